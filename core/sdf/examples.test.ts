/** Every real example system (Microkit and libvmm) is accepted for its architecture. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boardKernel, findBoard } from '../boards';
import { checkSdf } from './checkSdf';

const repoRoot = path.resolve(__dirname, '../..');
const dir = path.resolve(repoRoot, '../shared/conformance/examples');

/** Board from the file name and contents: x86 systems name it or use x86-only elements. */
function boardFor(file: string, text: string): { board: string; smp: boolean } {
  const x86 = /x86/.test(file) || /<ioport|pcidev=|<io_address_space/.test(text);
  return { board: x86 ? 'x86_64_generic_vtx' : 'qemu_virt_aarch64', smp: /(^|[-_])smp([-_.]|$)/.test(file) };
}

const files = readdirSync(dir).flatMap((sub) => readdirSync(path.join(dir, sub)).map((f) => path.join(sub, f)));

describe('example systems', () => {
  it('finds the examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });
  for (const f of files) {
    it(`accepts ${f}`, () => {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const { board, smp } = boardFor(path.basename(f), text);
      const kernel = boardKernel(findBoard(board)!, { smp });
      // prefill data files are not part of the shared examples: any non-empty content will do
      const readFile = (p: string) => {
        const full = path.join(dir, path.dirname(f), p);
        return existsSync(full) ? new Uint8Array(readFileSync(full)) : new Uint8Array(64);
      };
      const res = checkSdf(text, { fileName: path.basename(f), kernel, readFile });
      expect(res.diagnostics.filter((d) => d.severity === 'error').map((d) => d.toolMessage)).toEqual([]);
      expect(res.system).not.toBeNull();
      expect(res.system!.protectionDomains.length).toBeGreaterThan(0);
    });
  }
  it('rejects the legacy pp attribute only with a warning', () => {
    const f = files.find((x) => x.includes('virtio-snd'))!;
    const text = readFileSync(path.join(dir, f), 'utf8');
    const res = checkSdf(text, { fileName: 'v.system', kernel: findBoard('qemu_virt_aarch64')!.kernel });
    expect(res.diagnostics.some((d) => d.code === 'F.legacy-pp' && d.severity === 'warning')).toBe(true);
  });
});

/** Every example system builds for its board in both boot modes, and the kernel state satisfies the
 * build invariants: caps point to live objects, objects do not overlap and lie in their untypeds,
 * mappings point into RAM or the region's phys_addr, and every PD's CSpace has the D.3 layout. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boardKernel, findBoard } from '../boards';
import { checkSdf, type SystemDescription } from '../sdf';
import { buildSystem } from './build';
import { checkInvariants } from './invariants.testkit';
import { exampleBoard } from './testing';

const repoRoot = path.resolve(__dirname, '../..');
const dir = path.resolve(repoRoot, '../shared/conformance/examples');
const files = readdirSync(dir).flatMap((sub) => readdirSync(path.join(dir, sub)).map((f) => path.join(sub, f)));

function load(f: string): { system: SystemDescription; board: string; smp: boolean } | null {
  const text = readFileSync(path.join(dir, f), 'utf8');
  const board = exampleBoard(path.basename(f), text);
  const smp = /(^|[-_])smp([-_.]|$)/.test(path.basename(f));
  const readFile = (p: string) => {
    const full = path.join(dir, path.dirname(f), p);
    return existsSync(full) ? new Uint8Array(readFileSync(full)) : new Uint8Array(64);
  };
  const r = checkSdf(text, { fileName: path.basename(f), kernel: boardKernel(findBoard(board)!, { smp }), readFile });
  return r.system ? { system: r.system, board, smp } : null;
}

describe('building the example systems', () => {
  it('finds the examples', () => expect(files.length).toBeGreaterThanOrEqual(20));
  for (const f of files) {
    const loaded = load(f);
    if (!loaded) throw new Error(`${f} is rejected by the SDF checks`);
    for (const mode of ['current', 'legacy'] as const) {
      it(`builds ${f} (${mode} boot) with every invariant holding`, () => {
        const res = buildSystem(loaded.system, { board: findBoard(loaded.board)!, bootMode: mode, smp: loaded.smp });
        expect(res.diagnostics.filter((x) => x.severity === 'error').map((x) => x.toolMessage)).toEqual([]);
        expect(res.ok).toBe(true);
        checkInvariants(loaded.system, res);
        expect(JSON.parse(JSON.stringify(res.description))).toEqual(res.description);
      });
    }
  }
});

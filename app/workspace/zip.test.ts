import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { defaultExample } from '../../core/examples';
import { workspaceFromZip, workspaceToZip } from './zip';

describe('workspace zip', () => {
  it('round-trips the default example with its board and main file', () => {
    const e = defaultExample();
    const ws = { files: e.files, board: 'qemu_virt_riscv64', main: e.main };
    expect(workspaceFromZip(workspaceToZip(ws))).toEqual(ws);
  });

  it('is byte-for-byte reproducible', () => {
    const ws = { files: { 'a.system': '<system/>' }, board: 'x', main: 'a.system' };
    expect(workspaceToZip(ws)).toEqual(workspaceToZip(ws));
  });

  it('imports a hand-made zip without a manifest, flattening folders', () => {
    const bytes = zipSync({ 'proj/hello.system': strToU8('<system/>'), 'proj/hello.js': strToU8('x') });
    const ws = workspaceFromZip(bytes);
    expect(ws.main).toBe('hello.system');
    expect(ws.board).toBe('x86_64_generic_vtx');
    expect(Object.keys(ws.files).sort()).toEqual(['hello.js', 'hello.system']);
  });

  it('rejects non-zips and zips without a system description', () => {
    expect(() => workspaceFromZip(strToU8('plain text'))).toThrow('not a zip');
    expect(() => workspaceFromZip(zipSync({ 'a.js': strToU8('x') }))).toThrow('no .system file');
  });
});

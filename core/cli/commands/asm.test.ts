import { describe, expect, it } from 'vitest';
import type { CliIO } from '../io';
import asm from './asm';

function memoryIO(files: Record<string, string>) {
  const out = { stdout: '', stderr: '', written: new Map<string, Uint8Array | string>() };
  const io: CliIO = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    readFile: (p) => new TextEncoder().encode(files[p]),
    readText: (p) => files[p],
    writeFile: (p, d) => void out.written.set(p, d),
    exists: (p) => p in files,
    cwd: '/',
  };
  return { io, out };
}

describe('asm command', () => {
  it('writes FILE.bin next to the source and says so', async () => {
    const { io, out } = memoryIO({ 'boot.asm': 'org 0x7c00\njmp $\n' });
    expect(await asm(['boot.asm'], io)).toBe(0);
    expect(Array.from(out.written.get('boot.bin') as Uint8Array)).toEqual([0xeb, 0xfe]);
    expect(out.stdout).toBe('wrote boot.bin: 2 bytes, origin 0x7c00\n');
  });
  it('honours -o and --bits', async () => {
    const { io, out } = memoryIO({ 'a.s': 'mov rax, -1' });
    expect(await asm(['a.s', '-o', 'x.img', '--bits', '64'], io)).toBe(0);
    expect((out.written.get('x.img') as Uint8Array).length).toBe(7);
  });
  it('prints a hex dump with --hex', async () => {
    const { io, out } = memoryIO({ 'a.asm': 'db "AB", 0' });
    expect(await asm(['a.asm', '--hex'], io)).toBe(0);
    expect(out.stdout).toBe(`00000000  ${'41 42 00'.padEnd(47)}  AB.\n`);
    expect(out.written.size).toBe(0);
  });
  it('prints errors as FILE:LINE:COL and exits 1', async () => {
    const { io, out } = memoryIO({ 'bad.asm': 'nop\n  frob ax\nmov al, 300\n' });
    expect(await asm(['bad.asm'], io)).toBe(1);
    expect(out.stderr).toBe("bad.asm:2:3: error: unknown mnemonic 'frob'\nbad.asm:3:9: error: value 300 out of range for 8-bit operand\n2 errors\n");
    expect(out.written.size).toBe(0);
  });
  it('exits 2 on usage errors', async () => {
    const { io } = memoryIO({});
    expect(await asm([], io)).toBe(2);
    expect(await asm(['a.asm', '--bits', '8'], io)).toBe(2);
    expect(await asm(['a.asm', '--what'], io)).toBe(2);
  });
  it('prints a listing', async () => {
    const { io, out } = memoryIO({ 'l.asm': 'start: nop\n; c\nhlt' });
    expect(await asm(['l.asm', '--listing', '--hex'], io)).toBe(0);
    expect(out.stdout.split('\n').slice(0, 3)).toEqual([
      '    1 00000000 90                      start: nop',
      '    2                                  ; c',
      '    3 00000001 f4                      hlt',
    ]);
  });
});

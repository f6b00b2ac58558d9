import { describe, expect, it } from 'vitest';
import { memoryIO as memIO } from '../memoryIO';
import x86 from './x86';


const HELLO = `bits 32
org 0x100000
  mov esi, msg
next:
  lodsb
  test al, al
  jz done
  out 0xe9, al
  jmp next
done:
  mov eax, 42
  hlt
msg: db "hello", 10, 0
`;

describe('cli x86', () => {
  it('runs an .asm file in the mode its bits directive names and prints console, stop reason and registers', async () => {
    const { io, out } = memIO({ 'h.asm': HELLO });
    expect(await x86(['h.asm'], io)).toBe(0);
    const text = out.join('');
    expect(text).toContain('hello\n');
    expect(text).toContain('stopped: hlt');
    expect(text).toMatch(/rax=0x000000000000002a/);
  });

  it('--json prints one object with lower-case register names', async () => {
    const { io, out } = memIO({ 'h.asm': HELLO });
    expect(await x86(['h.asm', '--json'], io)).toBe(0);
    const obj = JSON.parse(out.join(''));
    expect(obj.output).toBe('hello\n');
    expect(obj.stopReason).toBe('hlt');
    expect(obj.instructions).toBeGreaterThan(10);
    expect(obj.registers.rax).toBe('0x000000000000002a');
    expect(Object.keys(obj.registers)).toEqual(expect.arrayContaining(['rip', 'rflags', 'cr0', 'rsp']));
  });

  it('runs a raw .bin at address 0 in the requested mode and honours --max-instructions', async () => {
    const loop = new Uint8Array([0xeb, 0xfe]); // jmp $
    const { io, out } = memIO({ 'l.bin': loop });
    expect(await x86(['l.bin', '--mode', '16', '--max-instructions', '1000', '--json'], io)).toBe(0);
    const obj = JSON.parse(out.join(''));
    expect(obj.stopReason).toBe('budget');
    expect(obj.instructions).toBe(1000);
  });

  it('reports assembler errors with file:line:column and exits 1', async () => {
    const { io, err } = memIO({ 'bad.asm': 'bits 64\nmov rax, [\n' });
    expect(await x86(['bad.asm'], io)).toBe(1);
    expect(err.join('')).toMatch(/^bad\.asm:2:\d+: error: /);
  });

  it('usage errors exit 2', async () => {
    const { io } = memIO({});
    expect(await x86([], io)).toBe(2);
    expect(await x86(['x.bin', '--mode', '8'], io)).toBe(2);
    expect(await x86(['x.bin', '--bogus'], io)).toBe(2);
  });

  it('a triple fault exits 1 and names the exception', async () => {
    const { io, out } = memIO({ 'f.asm': 'bits 64\norg 0x100000\nud2\n' });
    expect(await x86(['f.asm'], io)).toBe(1);
    expect(out.join('')).toContain('last exception: #UD invalid opcode');
  });
});

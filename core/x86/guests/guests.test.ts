/** Guest programs that set up paging and an IDT, take and handle exceptions, and report on
 * port 0xE9. Each is assembled with core/x86/asm and run on the flat machine. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assemble } from '../asm';
import { runFlat } from '../machine/run';
import { sourceBits } from '../machine/source';

const dir = path.dirname(fileURLToPath(import.meta.url));

function run(file: string) {
  const source = readFileSync(path.join(dir, file), 'utf8');
  const bits = sourceBits(source) ?? 64;
  const asm = assemble(source, { bits });
  expect(asm.errors).toEqual([]);
  return runFlat({ bytes: asm.bytes, origin: asm.origin, mode: bits, maxInstructions: 1_000_000 });
}

describe('guest programs', () => {
  it('boots from real mode through protected mode into long mode', () => {
    const r = run('boot16to64.asm');
    expect(r.output).toBe('real mode\nprotected mode\nlong mode 11\n');
    expect(r.stopReason).toBe('hlt');
  });

  it('handles #DE, #UD, #BP, #GP and #PF through a 64-bit IDT', () => {
    const r = run('exceptions64.asm');
    expect(r.output).toBe('#DE\n#UD\n#BP\n#GP 0000000000000000\n#PF 0000000200000010 0000000000000000\nvalue 000000000000600d\n');
    expect(r.stopReason).toBe('hlt');
    expect(r.unsupported).toBe(0); // UD2 is a defined instruction, not an unsupported one
  });

  it('pages with 4 KiB tables in 32-bit mode, reports CR2 and error codes, escalates to #DF', () => {
    const r = run('paging32.asm');
    expect(r.output).toBe('#PF 00300010 00000000\n#PF 00301000 00000003\n5\n#DF 00000000\n');
    expect(r.stopReason).toBe('hlt');
  });

  it('runs ring 3 code: IRETQ to user, SYSCALL/SYSRET, INT 0x80 through a DPL-3 gate, #GP on HLT', () => {
    const r = run('usermode64.asm');
    expect(r.output).toBe('user: 8\nback: 8\nint 0x80 from ring 3\n#GP from ring 3\n');
    expect(r.lastException).toMatch(/^#GP general protection \(error code 0x0\)/);
  });

  it('raises #SS on a non-canonical stack (handled on an IST stack) and #NP for segments and gates', () => {
    const r = run('faults64.asm');
    expect(r.output).toBe('S0+\nN0038\nN0202\nE\n');
    expect(r.stopReason).toBe('hlt');
  });

  it('a fault without an IDT ends in a triple fault', () => {
    const asm = assemble('bits 64\norg 0x100000\nmov rax, [0x12345678000]\nhlt\n', { bits: 64 });
    const r = runFlat({ bytes: asm.bytes, origin: asm.origin, mode: 64 });
    expect(r.stopReason).toBe('triple-fault');
    expect(r.lastException).toMatch(/^#PF page fault \(error code 0x0\) at 0x100000/);
  });
});

/** Every error comes back as data with a line and column; nothing throws or hangs. */
import { describe, expect, it } from 'vitest';
import { assemble } from './index';

function errorsOf(src: string, bits: 16 | 32 | 64 = 64) {
  return assemble(src, { bits }).errors.map((e) => `${e.line}:${e.column}: ${e.message}`);
}

describe('assembler errors', () => {
  it('reports an unknown mnemonic at its column', () => {
    expect(errorsOf('  nop\n  movx eax, 1')).toEqual(["2:3: unknown mnemonic 'movx'"]);
  });
  it('reports a mistyped mnemonic alone on a line instead of making it a label', () => {
    expect(errorsOf('clx')).toEqual(["1:1: unknown mnemonic 'clx'"]);
  });
  it('reports a bad operand combination', () => {
    expect(errorsOf('mov eax, bx')).toEqual(["1:1: invalid combination of opcode and operands for 'mov'"]);
    expect(errorsOf('lea eax, 5')).toEqual(["1:1: invalid combination of opcode and operands for 'lea'"]);
  });
  it('reports values out of range', () => {
    expect(errorsOf('mov al, 300')).toEqual(['1:9: value 300 out of range for 8-bit operand']);
    expect(errorsOf('db 256')).toEqual(['1:4: value 256 does not fit in 8 bits']);
    expect(errorsOf('dw 0x10000')).toEqual(['1:4: value 65536 does not fit in 16 bits']);
    expect(errorsOf('int 256')).toEqual(['1:5: value 256 out of range for 8-bit operand']);
    expect(errorsOf('add rax, 0x80000000')).toEqual(['1:10: value 2147483648 out of range for 32-bit operand']);
  });
  it('reports undefined symbols at their use', () => {
    expect(errorsOf('jmp nowhere')).toEqual(["1:5: undefined symbol 'nowhere'"]);
    expect(errorsOf('mov eax, [rbx+missing]')).toEqual(["1:15: undefined symbol 'missing'"]);
  });
  it('reports duplicate labels with the first definition', () => {
    expect(errorsOf('a: nop\na: nop')).toEqual(["2:1: duplicate label 'a' (first defined on line 1)"]);
    expect(errorsOf('f:\n.x: nop\ng:\n.x: nop\nf.x: nop')).toEqual(["5:1: duplicate label 'f.x' (first defined on line 2)"]);
  });
  it('requires a size for ambiguous memory operands', () => {
    expect(errorsOf('inc [rax]')).toEqual(['1:5: operation size not specified']);
    expect(errorsOf('mov [rax], 1')).toEqual(['1:5: operation size not specified']);
    // NASM wants a size for push/pop/nop even where only one would fit
    expect(errorsOf('push [rax]')).toEqual(['1:6: operation size not specified']);
    expect(errorsOf('pop [rax]')).toEqual(['1:5: operation size not specified']);
    expect(errorsOf('call [rax]')).toEqual([]);
  });
  it('reports short jumps out of range', () => {
    expect(errorsOf('x: times 200 nop\njmp short x')).toEqual(['2:5: short jump is out of range (distance -202)']);
    expect(errorsOf('x: times 200 nop\nloop x')).toEqual(['2:6: short jump is out of range (distance -202)']);
  });
  it('rejects 64-bit registers and instructions outside long mode', () => {
    expect(errorsOf('mov rax, 1', 32)).toEqual(["1:5: register 'rax' is only available in 64-bit mode"]);
    expect(errorsOf('mov eax, [r8]', 32)).toEqual(["1:10: register 'r8' is only available in 64-bit mode"]);
    expect(errorsOf('swapgs', 32)).toEqual(["1:1: 'swapgs' is only valid in 64-bit mode"]);
    expect(errorsOf('push ds', 64)).toEqual(["1:1: invalid combination of opcode and operands for 'push'"]);
    expect(errorsOf('into', 64)).toEqual(["1:1: 'into' is not valid in 64-bit mode"]);
  });
  it('rejects high-byte registers with a REX prefix', () => {
    expect(errorsOf('mov ah, sil')).toEqual(["1:1: 'ah' cannot be used in an instruction that needs a REX prefix"]);
  });
  it('rejects impossible addresses', () => {
    expect(errorsOf('mov eax, [rax+ebx]')[0]).toMatch(/invalid effective address/);
    expect(errorsOf('mov eax, [rsp*2]')[0]).toMatch(/'rsp' cannot be an index register/);
    expect(errorsOf('mov ax, [bx+cx]', 16)[0]).toMatch(/only bx or bp, plus si or di/);
    expect(errorsOf('mov eax, [rax*3+rbx]')[0]).toMatch(/scale must be 1, 2, 4 or 8/);
    expect(errorsOf('mov ecx, [0x80000000]')[0]).toMatch(/sign-extended 32-bit/);
    expect(errorsOf('mov ecx, [qword 5]')[0]).toMatch(/64-bit displacement is only available for mov to or from al\/ax\/eax\/rax/);
    expect(errorsOf('mov eax, [byte rax+1000]')).toEqual(['1:10: value 1000 out of range for 8-bit operand']);
  });
  it('rejects sized operands where an address is expected', () => {
    expect(errorsOf('lgdt dword [rax]')).toEqual(["1:1: invalid combination of opcode and operands for 'lgdt'"]);
    expect(errorsOf('lea eax, byte [rbx]')).toEqual([]);
  });
  it('rejects lock where it is not allowed', () => {
    expect(errorsOf('lock mov [rax], eax')).toEqual(["1:1: 'lock' is not allowed with 'mov'"]);
    expect(errorsOf('lock add eax, ebx')).toEqual(["1:1: 'lock' is not allowed with 'add'"]);
  });
  it('bounds TIMES instead of hanging', () => {
    expect(errorsOf('times 1000000000000 db 0')).toEqual(['1:7: TIMES value 1000000000000 is too large']);
    expect(errorsOf('times -1 db 0')).toEqual(['1:7: TIMES value -1 is negative']);
    expect(errorsOf('times 1e12 db 0')).toEqual(["1:7: invalid number '1e12'"]);
  });
  it('reports expression problems', () => {
    expect(errorsOf('mov eax, 1/0')).toEqual(['1:12: division by zero']);
    expect(errorsOf('mov eax, (1+2')).toEqual(["1:14: missing ')'"]);
    expect(errorsOf("db 'abc")).toEqual(['1:4: unterminated string']);
    expect(errorsOf('mov eax, ebx+1')).toEqual(["1:10: register 'ebx' is not allowed here"]);
  });
  it('reports unsupported preprocessor lines and self-referencing defines', () => {
    expect(errorsOf('%macro foo 0')).toEqual(["1:1: preprocessor directives like '%macro' are not supported (only %define and %undef)"]);
    expect(errorsOf('  %include "x.asm"')).toEqual(["1:3: preprocessor directives like '%include' are not supported (only %define and %undef)"]);
    expect(errorsOf('%define A B\n%define B A\nmov eax, A')).toEqual(['3:10: %define expands into itself']);
  });
  it('reports bad directives', () => {
    expect(errorsOf('bits 48')).toEqual(["1:1: 'bits' must be 16, 32 or 64"]);
    expect(errorsOf('align 3')).toEqual(['1:7: alignment must be a power of two']);
    expect(errorsOf('nop\norg 0x100')).toEqual(['2:1: program origin redefined (org must come before any code or data)']);
    expect(errorsOf('equ 5')).toEqual(["1:1: 'equ' needs a label before it"]);
  });
  it('keeps going after an error and reports every bad line', () => {
    const r = assemble('nop\nbogus eax\nmov al, 999\nhlt', { bits: 32 });
    expect(r.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(Array.from(r.bytes)).toEqual([0x90, 0xf4]);
  });
  it('gives an end column for the offending text', () => {
    const [e] = assemble('  frob eax', { bits: 32 }).errors;
    expect([e.column, e.endColumn]).toEqual([3, 7]);
  });
  it('never throws on arbitrary input', () => {
    const junk = ['[[[', ']]', 'mov ,', 'mov eax,', ',,,', 'db', 'times', 'times 3', '$$$', 'a: b: c:', 'mov [eax+', 'jmp 1:', '`\\x', '\u0000', 'mov eax, [rip+rip]', 'push far [eax]', 'mov cs, ax', 'org x\nx:'];
    for (const src of junk) {
      const r = assemble(src, { bits: 32 });
      expect(Array.isArray(r.errors)).toBe(true);
    }
  });
  it('reports a circular size dependency instead of hanging', () => {
    const r = assemble('times x db 0\nx: equ $ + 1', { bits: 32 });
    expect(r.errors.length).toBeGreaterThan(0);
  });
});

/** Encodings NASM is known to produce for the tricky cases (hand-checked byte strings). */
import { describe, expect, it } from 'vitest';
import { assemble } from './index';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

function bytesOf(bits: 16 | 32 | 64, src: string): string {
  const r = assemble(src, { bits });
  expect(r.errors).toEqual([]);
  return hex(r.bytes);
}

const CASES: [16 | 32 | 64, string, string][] = [
  // SIB and ModRM corner cases
  [64, 'mov rax, [rsp+8]', '48 8b 44 24 08'],
  [64, 'mov eax, [rsp]', '8b 04 24'],
  [64, 'mov eax, [r12]', '41 8b 04 24'],
  [64, 'mov eax, [rbp]', '8b 45 00'],
  [64, 'mov eax, [r13]', '41 8b 45 00'],
  [64, 'mov eax, [r13+rax*2]', '41 8b 44 45 00'],
  [64, 'mov eax, [rbp+r12*4]', '42 8b 44 a5 00'],
  [64, 'mov eax, [rax*4]', '8b 04 85 00 00 00 00'],
  [64, 'mov eax, [rbx+rcx*8+0x12345678]', '8b 84 cb 78 56 34 12'],
  [64, 'mov eax, [rcx-0x80]', '8b 41 80'],
  [64, 'mov eax, [rcx+0x80]', '8b 81 80 00 00 00'],
  [64, 'mov eax, [ebx]', '67 8b 03'],
  [64, 'mov eax, [0x1000]', '8b 04 25 00 10 00 00'],
  [64, 'mov al, [fs:0x10]', '64 8a 04 25 10 00 00 00'],
  [32, 'mov eax, [ebx*2]', '8b 04 1b'],
  [32, 'mov eax, [ebx*3]', '8b 04 5b'],
  [32, 'mov eax, [ebp+esi*4-8]', '8b 44 b5 f8'],
  [32, 'mov eax, [esp+4]', '8b 44 24 04'],
  [32, 'mov eax, [ebp]', '8b 45 00'],
  // RIP-relative
  [64, 'lea rax, [rel x]\nx:', '48 8d 05 00 00 00 00'],
  [64, 'x: lea rax, [rel x]', '48 8d 05 f9 ff ff ff'],
  [64, 'default rel\nmov eax, [x]\nx: dd 0', '8b 05 00 00 00 00 00 00 00 00'],
  [64, 'mov ecx, [rip+0x10]', '8b 0d 10 00 00 00'],
  // 16-bit addressing
  [16, 'mov ax, [bx+si]', '8b 00'],
  [16, 'mov ax, [si+bx]', '8b 00'],
  [16, 'mov ax, [bp]', '8b 46 00'],
  [16, 'mov ax, [bp+di+0x100]', '8b 83 00 01'],
  [16, 'mov ax, [di-2]', '8b 45 fe'],
  [16, 'mov al, [si]', '8a 04'],
  [16, 'mov bx, [0x1234]', '8b 1e 34 12'],
  [16, 'mov eax, [bx]', '66 8b 07'],
  [16, 'mov ax, [eax]', '67 8b 00'],
  [32, 'mov ax, [bx+si]', '66 67 8b 00'],
  // moffs
  [16, 'mov ax, [0x1234]', 'a1 34 12'],
  [32, 'mov eax, [0x1234]', 'a1 34 12 00 00'],
  [32, 'mov [0x1234], al', 'a2 34 12 00 00'],
  [64, 'mov rax, [0x1122334455667788]', '48 a1 88 77 66 55 44 33 22 11'],
  [64, 'mov eax, [qword 5]', 'a1 05 00 00 00 00 00 00 00'],
  [64, 'mov rax, [qword fs:0x10]', '64 48 a1 10 00 00 00 00 00 00 00'],
  [32, 'mov eax, [dword 5]', 'a1 05 00 00 00'],
  // displacement size asked for inside the brackets
  [64, 'mov eax, [dword rax+1]', '8b 80 01 00 00 00'],
  [64, 'mov eax, [byte rax+1]', '8b 40 01'],
  // immediates: accumulator short forms, sign-extended imm8
  [64, 'add eax, 1', '83 c0 01'],
  [64, 'add eax, 1000', '05 e8 03 00 00'],
  [64, 'add rax, -1', '48 83 c0 ff'],
  [64, 'add al, 1', '04 01'],
  [64, 'add ax, 1', '66 83 c0 01'],
  [64, 'add ecx, 0x80', '81 c1 80 00 00 00'],
  [32, 'add eax, 0xffffffff', '83 c0 ff'],
  [32, 'cmp byte [eax], 0x80', '80 38 80'],
  [32, 'sub dword [eax], 0x7f', '83 28 7f'],
  [32, 'test al, 1', 'a8 01'],
  // a sized immediate sizes an unsized memory operand
  [32, 'add [ebx], byte 5', '80 03 05'],
  [32, 'add [ebx], word 5', '66 83 03 05'],
  [32, 'add [ebx], dword 5', '83 03 05'],
  [32, 'mov [ebx], dword 5', 'c7 03 05 00 00 00'],
  [64, 'cmp [ebx], byte -1', '67 80 3b ff'],
  [32, 'test ecx, 1', 'f7 c1 01 00 00 00'],
  [32, 'imul eax, ecx, 10', '6b c1 0a'],
  [32, 'imul eax, ecx, 1000', '69 c1 e8 03 00 00'],
  [32, 'imul eax, 10', '6b c0 0a'],
  [64, 'mov rax, 1', 'b8 01 00 00 00'],
  [64, 'mov r8, 1', '41 b8 01 00 00 00'],
  [64, 'mov rax, -1', '48 c7 c0 ff ff ff ff'],
  [64, 'mov rax, 0x100000000', '48 b8 00 00 00 00 01 00 00 00'],
  [64, 'mov spl, 1', '40 b4 01'],
  [64, 'mov qword [rax], 1', '48 c7 00 01 00 00 00'],
  [32, 'push 1', '6a 01'],
  [32, 'push 0x1000', '68 00 10 00 00'],
  [32, 'push word 5', '66 6a 05'],
  [16, 'push 5', '6a 05'],
  [16, 'push 0x1234', '68 34 12'],
  [64, 'push 0x1000', '68 00 10 00 00'],
  [64, 'push r8', '41 50'],
  [64, 'pop r15', '41 5f'],
  [32, 'enter 16, 0', 'c8 10 00 00'],
  [32, 'ret 8', 'c2 08 00'],
  // shifts and bit operations
  [32, 'shl eax, 1', 'd1 e0'],
  [32, 'shl eax, 4', 'c1 e0 04'],
  [64, 'sar rax, cl', '48 d3 f8'],
  [32, 'shld eax, ebx, 4', '0f a4 d8 04'],
  [32, 'bt eax, 3', '0f ba e0 03'],
  [32, 'bts [eax], ecx', '0f ab 08'],
  [32, 'bswap eax', '0f c8'],
  [64, 'bswap r9', '49 0f c9'],
  [32, 'setne al', '0f 95 c0'],
  [32, 'cmovz eax, ecx', '0f 44 c1'],
  [64, 'movsxd rax, ecx', '48 63 c1'],
  [64, 'movzx eax, byte [rdi]', '0f b6 07'],
  [32, 'inc eax', '40'],
  [32, 'dec ecx', '49'],
  [64, 'inc eax', 'ff c0'],
  [64, 'xchg eax, eax', '87 c0'],
  [32, 'xchg eax, ecx', '91'],
  [32, 'xchg ecx, eax', '91'],
  [32, 'xchg ecx, edx', '87 ca'],
  [32, 'xchg [eax], ecx', '87 08'],
  [64, 'mov rax, ds', '8c d8'],
  [64, 'mov ds, rax', '8e d8'],
  [64, 'jmp far [rax]', '48 ff 28'],
  [64, 'jmp far dword [rax]', 'ff 28'],
  [64, 'lock cmpxchg [rdi], ecx', 'f0 0f b1 0f'],
  [64, 'lock xadd [rax], rbx', 'f0 48 0f c1 18'],
  // strings
  [64, 'rep movsq', 'f3 48 a5'],
  [32, 'repne scasb', 'f2 ae'],
  [16, 'rep stosw', 'f3 ab'],
  // system
  [64, 'mov cr3, rax', '0f 22 d8'],
  [64, 'mov rax, cr0', '0f 20 c0'],
  [64, 'mov cr8, rax', '44 0f 22 c0'],
  [32, 'mov eax, cr0', '0f 20 c0'],
  [32, 'mov dr7, eax', '0f 23 f8'],
  [32, 'mov ds, ax', '8e d8'],
  [32, 'mov ax, ds', '66 8c d8'],
  [32, 'mov eax, ds', '8c d8'],
  [32, 'push ds', '1e'],
  [32, 'pop es', '07'],
  [32, 'push fs', '0f a0'],
  [64, 'pop gs', '0f a9'],
  [16, 'lgdt [0x500]', '0f 01 16 00 05'],
  [32, 'lidt [eax]', '0f 01 18'],
  [64, 'invlpg [rax]', '0f 01 38'],
  [32, 'ltr ax', '0f 00 d8'],
  [32, 'in al, dx', 'ec'],
  [32, 'in eax, 0x60', 'e5 60'],
  [32, 'out 0x80, al', 'e6 80'],
  [16, 'out dx, ax', 'ef'],
  [32, 'int 0x80', 'cd 80'],
  [32, 'int 3', 'cd 03'],
  [32, 'int3', 'cc'],
  [64, 'syscall', '0f 05'],
  [64, 'swapgs', '0f 01 f8'],
  [64, 'iretq', '48 cf'],
  [32, 'iret', 'cf'],
  [16, 'iretd', '66 cf'],
  [64, 'pushf', '9c'],
  [32, 'pushfd', '9c'],
  [64, 'sysretq', '48 0f 07'],
  [32, 'cpuid', '0f a2'],
  [32, 'rdmsr', '0f 32'],
  [32, 'wrmsr', '0f 30'],
  [32, 'rdtsc', '0f 31'],
  [32, 'xsetbv', '0f 01 d1'],
  [32, 'vmcall', '0f 01 c1'],
  [32, 'pause', 'f3 90'],
  [32, 'clts', '0f 06'],
  [32, 'wbinvd', '0f 09'],
  [32, 'ud2', '0f 0b'],
  [32, 'hlt', 'f4'],
  [64, 'cdqe', '48 98'],
  [64, 'cqo', '48 99'],
  [32, 'cwde', '98'],
  [16, 'cbw', '98'],
  [32, 'cdq', '99'],
  // far transfers
  [32, 'jmp 0x08:0x1000', 'ea 00 10 00 00 08 00'],
  [32, 'jmp word 0x08:0x1000', '66 ea 00 10 08 00'],
  [16, 'jmp 0:0x7c00', 'ea 00 7c 00 00'],
  [16, 'jmp dword 0x08:0x10000', '66 ea 00 00 01 00 08 00'],
  [32, 'call 0x10:0x2000', '9a 00 20 00 00 10 00'],
  [32, 'jmp far [eax]', 'ff 28'],
  [64, 'call far [rax]', '48 ff 18'],
  [32, 'retf', 'cb'],
  [32, 'retf 4', 'ca 04 00'],
  // indirect near
  [64, 'jmp rax', 'ff e0'],
  [64, 'call [rax]', 'ff 10'],
  [32, 'call eax', 'ff d0'],
  [16, 'jmp word [bx]', 'ff 27'],
];

describe('encodings known from NASM', () => {
  for (const [bits, src, expected] of CASES) {
    it(`${bits}-bit: ${src.replace(/\n/g, ' | ')} → ${expected}`, () => {
      expect(bytesOf(bits, src)).toBe(expected);
    });
  }
});

describe('jump sizing', () => {
  it('uses a short jump backwards up to -128', () => {
    expect(bytesOf(32, 'x: times 126 nop\njmp x').slice(-5)).toBe('eb 80');
  });
  it('switches to a near jump at -129', () => {
    expect(bytesOf(32, 'x: times 127 nop\njmp x').slice(-14)).toBe('e9 7c ff ff ff');
  });
  it('uses a short jump forwards up to +127', () => {
    expect(bytesOf(32, 'jmp y\ntimes 127 nop\ny:').slice(0, 5)).toBe('eb 7f');
  });
  it('switches to a near jump forwards at +128', () => {
    expect(bytesOf(32, 'jmp y\ntimes 128 nop\ny:').slice(0, 14)).toBe('e9 80 00 00 00');
  });
  it('uses rel16 near jumps in 16-bit code', () => {
    expect(bytesOf(16, 'jz y\ntimes 200 nop\ny:').slice(0, 11)).toBe('0f 84 c8 00');
    expect(bytesOf(16, 'call y\ny:')).toBe('e8 00 00');
  });
  it('honours short and near keywords', () => {
    expect(bytesOf(32, 'jmp near y\ny:')).toBe('e9 00 00 00 00');
    expect(bytesOf(32, 'jne short y\ny:')).toBe('75 00');
  });
  it('settles chains of jumps that depend on each other', () => {
    const src = ['a: jmp d', 'b: jmp c', 'times 60 nop', 'c: jmp a', 'times 60 nop', 'd: jmp b'].join('\n');
    const r = assemble(src, { bits: 32 });
    expect(r.errors).toEqual([]);
    // d is at 2+2+60+2+60 = 126, so a's jump is +124: short
    expect(hex(r.bytes.slice(0, 2))).toBe('eb 7c');
    expect(r.symbols.get('d')).toBe(126);
  });
  it('uses jecxz/jcxz/jrcxz address-size prefixes', () => {
    expect(bytesOf(32, 'x: jecxz x')).toBe('e3 fe');
    expect(bytesOf(32, 'x: jcxz x')).toBe('67 e3 fd');
    expect(bytesOf(64, 'x: jrcxz x')).toBe('e3 fe');
    expect(bytesOf(64, 'x: jecxz x')).toBe('67 e3 fd');
    expect(bytesOf(16, 'x: loop x')).toBe('e2 fe');
    expect(bytesOf(16, 'x: loop x, ecx')).toBe('67 e2 fd');
    expect(bytesOf(64, 'x: loopne x, ecx')).toBe('67 e0 fd');
  });
});

/** Memory-operand forms and addressing modes a hand-written guest is likely to use. */
import { describe, expect, it } from 'vitest';
import { reg, runAsm } from '../testing';

const DATA = 'jmp over\nalign 16\nbuf: dq 0x1122334455667788, -2, 0, 0\nsmall: db 0x80, 0x7f\nover:';

const cases: [string, string, Record<string, bigint>, (16 | 32 | 64)?][] = [
  ['movzx/movsx from memory', `${DATA}\nmovzx eax, byte [small]\nmovsx rbx, byte [small]\nmovsx ecx, word [buf]`, { rax: 0x80n, rbx: 0xffffffffffffff80n, rcx: 0x7788n }],
  ['RIP-relative lea and load', `${DATA}\nlea rsi, [rel buf]\nmov rax, [rsi+8]\nmov rbx, [rel buf]`, { rax: 0xfffffffffffffffen, rbx: 0x1122334455667788n }],
  ['ALU with memory destination and immediates', `${DATA}\nadd qword [buf+16], 5\nsub dword [buf+16], 1\nor byte [buf+16], 0x10\nmov rax, [buf+16]\ninc qword [buf+16]\nmov rbx, [buf+16]`, { rax: 0x14n, rbx: 0x15n }],
  ['xchg with memory', `${DATA}\nmov eax, 9\nxchg [buf+16], eax\nmov ebx, [buf+16]`, { rax: 0n, rbx: 9n }],
  ['imul reg, mem, imm', `${DATA}\nmov dword [buf+16], 7\nimul eax, [buf+16], -3`, { rax: 0xffffffebn }],
  ['div by memory', `${DATA}\nmov qword [buf+16], 10\nmov eax, 123\nxor edx, edx\ndiv qword [buf+16]`, { rax: 12n, rdx: 3n }],
  ['bt with a register offset beyond the operand', `${DATA}\nmov ecx, 65\nbts [buf+16], ecx\nmov eax, [buf+24]\nmov rbx, 0`, { rax: 2n }],
  ['SIB with index and scale', `${DATA}\nlea rsi, [buf]\nmov ecx, 1\nmov rax, [rsi+rcx*8]\nmov rbx, [rsi+rcx*8-8]`, { rax: 0xfffffffffffffffen, rbx: 0x1122334455667788n }],
  ['indirect call through memory', `${DATA}\nmov rax, target\nmov [buf+16], rax\ncall [buf+16]\njmp done\ntarget: mov ebx, 77\nret\ndone:`, { rbx: 77n }],
  ['cmov from memory', `${DATA}\nxor eax, eax\ncmp eax, 0\ncmove rax, [buf]`, { rax: 0x1122334455667788n }],
  ['setcc to memory and movs with 32-bit addresses', `${DATA}\nstc\nsetc byte [buf+16]\nmovzx eax, byte [buf+16]\nlea esi, [buf]\nlea edi, [buf+16]\nmov ecx, 8\na32 rep movsb\nmov rbx, [buf+16]`, { rax: 1n, rbx: 0x1122334455667788n }],
  ['push/pop memory', `${DATA}\npush qword [buf]\npop qword [buf+16]\nmov rax, [buf+16]`, { rax: 0x1122334455667788n }],
  ['32-bit memory forms', `${DATA}\nmov eax, [buf]\nadd eax, [buf+4]\nmov ebx, buf\nmov ecx, [ebx+4]`, { rax: 0x6688aaccn, rcx: 0x11223344n }, 32],
  ['16-bit addressing modes', 'mov bx, 0x500\nmov si, 2\nmov word [bx+si], 0x1234\nmov ax, [bx+si]\nmov bp, 0x500\nmov cx, [bp+2]', { rax: 0x1234n, rcx: 0x1234n }, 16],
];

describe('memory forms', () => {
  for (const [name, code, regs, bits] of cases) {
    it(name, () => {
      const res = runAsm(code, bits ?? 64);
      expect(res.stopReason).toBe('hlt');
      for (const [r, v] of Object.entries(regs)) expect([r, reg(res, r) & (bits === 32 || bits === 16 ? 0xffffffffn : -1n & 0xffffffffffffffffn)]).toEqual([r, v]);
    });
  }
});

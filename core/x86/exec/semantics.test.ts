import { describe, expect, it } from "vitest";
import { afterAll, beforeAll } from 'vitest';
import { EXEC_OPTIONS } from '../cpu/cpu';
import { reg, runAsm } from '../testing';

// Every case runs twice: with the specialised fast handlers and with the generic ones only.
for (const specialize of [true, false]) describe(specialize ? 'fast handlers' : 'generic handlers', () => {
  beforeAll(() => { EXEC_OPTIONS.specialize = specialize; });
  afterAll(() => { EXEC_OPTIONS.specialize = true; });
  semantics();
});

function semantics() {

const CF = 1n, PF = 4n, AF = 16n, ZF = 64n, SF = 128n, OF = 2048n;
const ARITH = CF | PF | ZF | SF | OF;

function flags(res: ReturnType<typeof runAsm>, mask = ARITH): bigint {
  return reg(res, 'rflags') & mask;
}

describe('ALU results and flags', () => {
  const cases: [string, string, bigint, bigint][] = [
    // [name, code, expected rax, expected flags (CF PF ZF SF OF)]
    ['add 32 signed overflow', 'mov eax, 0x7fffffff\nadd eax, 1', 0x80000000n, SF | OF | PF],
    ['add 32 carry to zero', 'mov eax, 0xffffffff\nadd eax, 1', 0n, CF | ZF | PF],
    ['add 8 both carry and overflow', 'mov eax, 0x80\nadd al, 0x80', 0n, CF | ZF | PF | OF],
    ['add 64 carries across halves', 'mov rax, 0xffffffff\nadd rax, 1', 0x100000000n, PF],
    ['add 64 overflow', 'mov rax, 0x7fffffffffffffff\nadd rax, 1', 0x8000000000000000n, SF | OF | PF],
    ['add 64 carry out', 'mov rax, -1\nadd rax, 2', 1n, CF],
    ['sub borrow', 'xor eax, eax\nsub eax, 1', 0xffffffffn, CF | SF | PF],
    ['sub 64 borrow across halves', 'mov rax, 0x100000000\nsub rax, 1', 0xffffffffn, PF],
    ['sub 16 overflow', 'mov eax, 0x8000\nsub ax, 1', 0x7fffn, OF | PF],
    ['cmp equal', 'mov eax, 5\ncmp eax, 5', 5n, ZF | PF],
    ['adc uses carry', 'stc\nmov eax, 1\nadc eax, 1', 3n, PF],
    ['sbb uses borrow', 'stc\nmov eax, 1\nsbb eax, 1', 0xffffffffn, CF | SF | PF],
    ['adc 64 with carry into high half', 'stc\nmov rax, 0xffffffff\nadc rax, 0', 0x100000000n, PF],
    ['and clears CF and OF', 'stc\nmov eax, 0xf0\nand eax, 0x0f', 0n, ZF | PF],
    ['xor self', 'mov rax, -1\nxor eax, eax', 0n, ZF | PF],
    ['or sign', 'xor eax, eax\nor eax, 0x80000000', 0x80000000n, SF | PF],
    ['inc keeps CF', 'stc\nmov eax, 0x7fffffff\ninc eax', 0x80000000n, CF | SF | OF | PF],
    ['dec to zero keeps CF clear', 'clc\nmov eax, 1\ndec eax', 0n, ZF | PF],
    ['dec 64 across halves', 'mov rax, 0x100000000\ndec rax', 0xffffffffn, PF],
    ['neg sets CF for nonzero', 'mov eax, 1\nneg eax', 0xffffffffn, CF | SF | PF],
    ['neg of zero', 'xor eax, eax\nneg eax', 0n, ZF | PF],
    ['neg most negative overflows', 'mov eax, 0x80000000\nneg eax', 0x80000000n, CF | SF | OF | PF],
    ['not keeps flags', 'mov eax, 0\ncmp eax, 0\nnot eax', 0xffffffffn, ZF | PF],
    ['32-bit write zero-extends', 'mov rax, -1\nmov eax, 1\ncmp eax, 0', 1n, 0n],
    ['8-bit high register write', 'mov eax, 0x1234\nmov ah, 0xff\ncmp eax, 0', 0xff34n, 0n],
    ['16-bit write merges', 'mov rax, -1\nmov ax, 0\ncmp eax, 0', 0xffffffffffff0000n, SF | PF],
  ];
  for (const [name, code, rax, fl] of cases) {
    it(name, () => {
      const res = runAsm(code);
      expect(res.stopReason).toBe('hlt');
      expect(reg(res, 'rax')).toBe(rax);
      expect(flags(res)).toBe(fl);
    });
  }
});

describe('shifts and rotates', () => {
  const cases: [string, string, bigint, bigint, bigint][] = [
    // [name, code, rax, flags, mask]
    ['shl carries out the top bit', 'mov eax, 0x80000001\nshl eax, 1', 2n, CF | OF, CF | OF | ZF | SF],
    ['shl by 4 (CF is the last bit out)', 'mov eax, 0x12345678\nshl eax, 4', 0x23456780n, CF, CF | ZF | SF],
    ['shr keeps last bit out in CF', 'mov eax, 3\nshr eax, 1', 1n, CF | OF * 0n, CF | ZF],
    ['shr of sign bit sets OF for count 1', 'mov eax, 0x80000000\nshr eax, 1', 0x40000000n, OF, CF | OF],
    ['sar keeps the sign', 'mov eax, 0x80000000\nsar eax, 4', 0xf8000000n, SF, CF | OF | SF | ZF],
    ['sar 8-bit', 'mov eax, 0x80\nsar al, 7', 0xffn, CF * 0n | SF, CF | SF | ZF],
    ['shift count 0 changes nothing', 'stc\nmov eax, 5\nmov cl, 0\nshl eax, cl', 5n, CF, CF],
    ['shift count is masked to 5 bits', 'mov eax, 1\nmov cl, 33\nshl eax, cl', 2n, 0n, CF],
    ['shl 64', 'mov rax, 1\nshl rax, 63', 0x8000000000000000n, SF, CF | SF | ZF],
    ['shr 64 across halves', 'mov rax, 0x100000000\nshr rax, 1', 0x80000000n, 0n, CF | ZF],
    ['rol', 'mov eax, 0x80000001\nrol eax, 1', 3n, CF, CF],
    ['ror', 'mov eax, 1\nror eax, 1', 0x80000000n, CF | OF, CF | OF],
    ['rcl through carry', 'xor eax, eax\nstc\nrcl eax, 1', 1n, 0n, CF],
    ['rcr through carry', 'xor eax, eax\nstc\nrcr eax, 1', 0x80000000n, 0n, CF],
    ['rol 64', 'mov rax, 0x8000000000000000\nrol rax, 4', 8n, 0n, CF],
    ['shld', 'mov eax, 0x12345678\nmov edx, 0x9abcdef0\nshld eax, edx, 8', 0x3456789an, 0n, CF],
    ['shrd', 'mov eax, 0x12345678\nmov edx, 0x9abcdef0\nshrd eax, edx, 8', 0xf0123456n, 0n, CF],
  ];
  for (const [name, code, rax, fl, mask] of cases) {
    it(name, () => {
      const res = runAsm(code);
      expect(reg(res, 'rax')).toBe(rax);
      expect(flags(res, mask)).toBe(fl);
    });
  }
});

describe('multiply and divide', () => {
  it('mul 32 gives edx:eax and sets CF/OF when the high half is used', () => {
    const res = runAsm('mov eax, 0x80000000\nmov ecx, 4\nmul ecx');
    expect(reg(res, 'rax')).toBe(0n);
    expect(reg(res, 'rdx')).toBe(2n);
    expect(flags(res, CF | OF)).toBe(CF | OF);
  });
  it('mul 64', () => {
    const res = runAsm('mov rax, -1\nmov rcx, 2\nmul rcx');
    expect(reg(res, 'rax')).toBe(0xfffffffffffffffen);
    expect(reg(res, 'rdx')).toBe(1n);
  });
  it('mul 8 writes ax', () => {
    const res = runAsm('mov eax, 0xff\nmov cl, 0xff\nmul cl');
    expect(reg(res, 'rax')).toBe(0xfe01n);
  });
  it('imul 2 and 3 operands with overflow flags', () => {
    const res = runAsm('mov eax, 0x40000000\nimul eax, eax, 2\nmov ebx, -3\nimul ebx, ebx');
    expect(reg(res, 'rax')).toBe(0x80000000n);
    expect(reg(res, 'rbx')).toBe(9n);
    expect(flags(res, CF | OF)).toBe(0n);
    const ov = runAsm('mov eax, 0x40000000\nimul eax, eax, 2');
    expect(flags(ov, CF | OF)).toBe(CF | OF);
  });
  it('imul one operand signed 64', () => {
    const res = runAsm('mov rax, -2\nmov rcx, 3\nimul rcx');
    expect(reg(res, 'rax')).toBe(0xfffffffffffffffan);
    expect(reg(res, 'rdx')).toBe(0xffffffffffffffffn);
  });
  it('div 64 by 32', () => {
    const res = runAsm('mov edx, 1\nxor eax, eax\nmov ecx, 3\ndiv ecx');
    expect(reg(res, 'rax')).toBe(0x55555555n);
    expect(reg(res, 'rdx')).toBe(1n);
  });
  it('idiv truncates toward zero', () => {
    const res = runAsm('mov eax, -7\ncdq\nmov ecx, 2\nidiv ecx');
    expect(reg(res, 'rax')).toBe(0xfffffffdn);
    expect(reg(res, 'rdx')).toBe(0xffffffffn);
  });
  it('divide by zero raises #DE (unhandled: triple fault)', () => {
    const res = runAsm('xor ecx, ecx\ndiv ecx');
    expect(res.stopReason).toBe('triple-fault');
    expect(res.lastException).toMatch(/^#GP|#DE|#DF/);
  });
  it('quotient overflow raises #DE', () => {
    const res = runAsm('mov edx, 5\nmov ecx, 2\ndiv ecx');
    expect(res.stopReason).toBe('triple-fault');
  });
});

describe('data movement and bit operations', () => {
  const cases: [string, string, Record<string, bigint>][] = [
    ['movzx/movsx', 'mov ecx, 0x80\nmovzx eax, cl\nmovsx ebx, cl\nmovsx rdx, cl', { rax: 0x80n, rbx: 0xffffff80n, rdx: 0xffffffffffffff80n }],
    ['movsxd', 'mov ecx, -2\nmovsxd rax, ecx', { rax: 0xfffffffffffffffen }],
    ['cbw family', 'mov eax, 0x80\ncbw\nmov ebx, eax\nmov eax, -1\ncdqe\nmov rcx, rax\nmov eax, 0x80000000\ncdq', { rbx: 0xff80n, rcx: 0xffffffffffffffffn, rdx: 0xffffffffn }],
    ['cqo', 'mov rax, -5\ncqo', { rdx: 0xffffffffffffffffn }],
    ['lea 64 exact', 'mov rbx, 0x7fffffffffffffff\nlea rax, [rbx+rbx*2+5]', { rax: 0x8000000000000002n }],
    ['xchg and bswap', 'mov eax, 0x11223344\nmov ebx, 2\nxchg eax, ebx\nbswap ebx\nmov rcx, 0x0102030405060708\nbswap rcx', { rax: 2n, rbx: 0x44332211n, rcx: 0x0807060504030201n }],
    ['cmpxchg success', 'mov eax, 1\nmov ecx, 1\nmov edx, 9\ncmpxchg ecx, edx', { rcx: 9n, rax: 1n }],
    ['cmpxchg failure loads accumulator', 'mov eax, 2\nmov ecx, 1\nmov edx, 9\ncmpxchg ecx, edx', { rcx: 1n, rax: 1n }],
    ['xadd', 'mov eax, 5\nmov ecx, 7\nxadd eax, ecx', { rax: 12n, rcx: 5n }],
    ['bsf/bsr', 'mov ecx, 0x00f0\nbsf eax, ecx\nbsr ebx, ecx', { rax: 4n, rbx: 7n }],
    ['bt family', 'mov eax, 0\nbts eax, 3\nbtc eax, 0\nbtr eax, 3\nsetc bl\nmovzx ebx, bl', { rax: 1n, rbx: 1n }],
    ['setcc and cmov', 'mov eax, 3\ncmp eax, 4\nsetl bl\nsetg cl\nmov edx, 7\ncmovl eax, edx\nmovzx ebx, bl\nmovzx ecx, cl', { rax: 7n, rbx: 1n, rcx: 0n }],
    ['cmov 32 false still zero-extends', 'mov rax, -1\nxor ecx, ecx\ncmp ecx, 0\ncmovne eax, ecx', { rax: 0xffffffffn }],
    ['push/pop and pushf/popf', 'push 5\npop rax\nstc\npushf\npop rbx\nand ebx, 1', { rax: 5n, rbx: 1n }],
    ['lahf/sahf', 'stc\nlahf\nmov bl, ah\nand ebx, 1\nmov ah, 0\nsahf\nsetc cl\nmovzx ecx, cl', { rbx: 1n, rcx: 0n }],
    ['enter/leave', 'mov rbp, 0x1234\nmov rbx, rsp\nenter 16, 0\nmov rcx, rbp\nsub rbx, rcx\nleave\nmov rax, rbp', { rax: 0x1234n, rbx: 8n }],
    ['rep stosq and rep movsb', 'mov rdi, 0x200000\nmov eax, 0x41\nmov ecx, 4\nrep stosq\nmov rsi, 0x200000\nmov rdi, 0x300000\nmov ecx, 32\nrep movsb\nmov rax, [0x300018]\nmov rbx, rcx', { rax: 0x41n, rbx: 0n }],
    ['repne scasb finds a byte', 'mov rdi, str\nmov al, 0\nmov ecx, -1\nrepne scasb\nnot ecx\ndec ecx\nmov eax, ecx\njmp done\nstr: db "hello", 0\ndone:', { rax: 5n }],
    ['std makes strings go down', 'mov rdi, 0x200010\nstd\nmov eax, 7\nstosb\ncld\nmov rax, rdi', { rax: 0x20000fn }],
    ['loop counts rcx', 'mov ecx, 5\nxor eax, eax\nagain: add eax, 2\nloop again', { rax: 10n, rcx: 0n }],
    ['call and ret', 'call f\njmp done\nf: mov eax, 42\nret\ndone:', { rax: 42n }],
    ['jcc signed vs unsigned', 'mov eax, -1\ncmp eax, 1\nmov ebx, 0\njb skip\nmov ebx, 1\nskip: mov ecx, 0\njl skip2\nmov ecx, 1\nskip2:', { rbx: 1n, rcx: 0n }],
    ['rdtsc counts instructions', 'nop\nnop\nrdtsc', { rax: 2n, rdx: 0n }],
    ['cpuid vendor', 'xor eax, eax\ncpuid', { rbx: 0x756e6547n, rdx: 0x49656e69n, rcx: 0x6c65746en }],
  ];
  for (const [name, code, regs] of cases) {
    it(name, () => {
      const res = runAsm(code);
      expect(res.stopReason).toBe('hlt');
      for (const [r, v] of Object.entries(regs)) expect([r, reg(res, r)]).toEqual([r, v]);
    });
  }
});

describe('modes', () => {
  it('16-bit real mode code runs with segment arithmetic', () => {
    const res = runAsm('mov ax, 0x1000\nmov ds, ax\nmov word [0x10], 0xbeef\nmov ax, 0x1001\nmov es, ax\nmov bx, [es:0]', 16);
    expect(res.stopReason).toBe('hlt');
    expect(reg(res, 'rbx')).toBe(0xbeefn);
  });
  it('32-bit code uses 32-bit registers and zero-extends nothing above', () => {
    const res = runAsm('mov eax, 0xffffffff\ninc eax\nsetz bl\nmovzx ebx, bl', 32);
    expect(reg(res, 'rax')).toBe(0n);
    expect(reg(res, 'rbx')).toBe(1n);
  });
  it('real-mode INT n goes through the IVT and IRET returns', () => {
    const res = runAsm('xor ax, ax\nmov ds, ax\nmov word [0x80*4], handler\nmov word [0x80*4+2], 0\nmov bx, 1\nint 0x80\nadd bx, 10\njmp done\nhandler: mov bx, 5\npushf\npop cx\niret\ndone:', 16);
    expect(res.stopReason).toBe('hlt');
    expect(reg(res, 'rbx')).toBe(15n);
    expect(reg(res, 'rcx') & 0x200n).toBe(0n); // IF cleared inside the handler
  });

  it('pusha/popa and enter with nesting level in 32-bit code', () => {
    const res = runAsm('mov eax, 1\nmov ebx, 2\npusha\nxor eax, eax\nxor ebx, ebx\npopa\nmov ebp, esp\nenter 8, 2\nmov ecx, ebp\nleave\nsub ecx, esp', 32);
    expect(reg(res, 'rax')).toBe(1n);
    expect(reg(res, 'rbx')).toBe(2n);
    expect(reg(res, 'rcx') & 0xffffffffn).toBe(0xfffffffcn); // frame pointer 4 below the caller's ESP
  });

  it('unsupported instructions raise #UD and are counted', () => {
    const res = runAsm('db 0x0f, 0x0d, 0x00\n'); // prefetch: not in the decoder table
    expect(res.unsupported).toBe(1);
    expect(res.stopReason).toBe('triple-fault');
  });
});

describe('RDRAND', () => {
  it('sets CF, clears the other arithmetic flags, gives different values each time and the same ones on a rerun', () => {
    const code = 'mov eax, 0x7fffffff\nadd eax, 1\nrdrand rax\nrdrand rbx\nrdrand cx\nmov rdx, 0x1111222233334444\nrdrand dx';
    const a = runAsm(code);
    expect(flags(a)).toBe(CF);
    expect(reg(a, 'rax')).not.toBe(reg(a, 'rbx'));
    expect(reg(a, 'rax') >> 32n).not.toBe(reg(a, 'rax') & 0xffffffffn); // both halves filled
    expect(reg(a, 'rdx') >> 16n).toBe(0x111122223333n); // a 16-bit destination keeps the rest
    expect(runAsm(code).registers).toEqual(a.registers);
    expect(a.unsupported).toBe(0);
  });
});

describe('kernel-half (negative) addresses', () => {
  // PML4[256] maps 0xffff800000000000 onto physical 0 with a 1 GiB page, or through a page directory with 2 MiB pages
  const setup = (big: boolean) => `
    mov rax, cr3
    mov qword [rax + 256 * 8], 0x30000 | 3
    mov qword [0x30000], ${big ? '0x83' : '0x31000 | 3'}
    mov qword [0x31000], 0x83
    mov cr3, rax
    mov rax, 0xffff800000000000 + high
    jmp rax
  high:
    mov rbx, 0x1234
    mov rdx, 0xffff800000000000 + data
    mov rcx, [rdx]
    lea rsi, [rel data]
    jmp done
  data: dq 0x1122334455667788
  done:`;
  for (const big of [true, false]) {
    it(`code and data at 0xffff8000_0000xxxx through ${big ? '1 GiB' : '2 MiB'} pages keep their page offsets`, () => {
      const res = runAsm(setup(big));
      expect(res.stopReason).toBe('hlt');
      expect(reg(res, 'rbx')).toBe(0x1234n);
      expect(reg(res, 'rcx')).toBe(0x1122334455667788n);
      expect(reg(res, 'rsi') >> 32n).toBe(0xffff8000n);
      expect(reg(res, 'rip') >> 32n).toBe(0xffff8000n);
    });
  }
});
}

/** The block compiler must be invisible: hot loops give the same registers, flags, memory,
 * instruction counts, faults and VM exits with and without it. */
import { afterEach, describe, expect, it } from 'vitest';
import { assemble } from '../asm';
import { EXEC_OPTIONS } from '../cpu/cpu';
import { FlatMachine } from '../machine/flat';
import { registerDump } from '../cpu/dump';

function run(src: string, bits: 32 | 64, jit: boolean, budget = 5_000_000) {
  EXEC_OPTIONS.jit = jit;
  const a = assemble(`bits ${bits}\norg 0x100000\n${src}\n`, { bits });
  if (a.errors.length) throw new Error(a.errors.map((e) => `${e.line}: ${e.message}`).join('\n'));
  const m = new FlatMachine({ mode: bits, origin: a.origin });
  m.load(a.bytes);
  const stop = m.run(budget);
  let hash = 0;
  for (let i = 0x100000; i < 0x140000; i += 4) hash = (Math.imul(hash, 31) + new DataView(m.ram.buffer).getInt32(i, true)) | 0;
  return { stop, regs: registerDump(m.cpu), icount: m.cpu.icount, out: m.output, hash, compiled: m.cpu.blocksCompiled > 0 };
}

function same(src: string, bits: 32 | 64, budget?: number) {
  const slow = run(src, bits, false, budget);
  const fast = run(src, bits, true, budget);
  expect(slow.compiled).toBe(false);
  expect(fast.compiled).toBe(true); // the test must exercise compiled blocks
  expect({ ...fast, compiled: false }).toEqual(slow);
  return fast;
}

afterEach(() => {
  EXEC_OPTIONS.jit = true;
});

const LOOPS = [
  // register ALU with every jcc flavour
  `mov ecx, 3000
  xor eax, eax
  mov ebx, 7
l: add eax, ecx
  xor ebx, eax
  sub ebx, 3
  and ebx, 0xffff
  or eax, 1
  cmp eax, ebx
  jb skip
  inc ebx
skip: dec ecx
  jnz l
  hlt`,
  // memory forms: load, add, store, read-modify-write, immediates
  `mov esi, 0x120000
  mov ecx, 4096
l: mov eax, [esi]
  add eax, ecx
  mov [esi], eax
  add dword [esi+4], 3
  xor [esi+8], eax
  mov dword [esi+12], 0x55
  add esi, 16
  dec ecx
  jnz l
  hlt`,
  // signed conditions and test
  `mov ecx, 2000
  mov edx, -1000
l: add edx, 1
  test edx, 3
  jz z
  cmp edx, 0
  jl neg
  jg pos
z: inc ebx
  jmp next
neg: add esi, 2
  jmp next
pos: sub edi, 1
next: dec ecx
  jnz l
  hlt`,
];

describe('block compiler', () => {
  for (const [i, src] of LOOPS.entries()) {
    it(`loop ${i} is identical with and without compiled blocks (32-bit)`, () => {
      same(src, 32);
    });
  }

  it('64-bit loops with 64-bit arithmetic and carries across halves', () => {
    same(`mov rcx, 5000
  mov rax, 0xfffffff0
  mov rbx, 0x100000000
  mov rsi, 0x120000
l: add rax, rcx
  sub rbx, 1
  mov [rsi], rax
  mov rdx, [rsi]
  xor rdx, rbx
  add qword [rsi+8], 1
  add rsi, 16
  dec rcx
  jnz l
  hlt`, 64);
  });

  it('stops exactly at the instruction budget inside a compiled loop', () => {
    for (const budget of [777, 1000, 12345]) {
      const r = same(`mov ecx, 100000\nl: add eax, 1\ndec ecx\njnz l\nhlt`, 32, budget);
      expect(r.icount).toBe(budget);
      expect(r.stop).toBe('budget');
    }
  });

  it('a page fault inside a compiled block is precise', () => {
    const src = `mov esp, 0x80000
  ; 32-bit paging: identity map 0..4 MiB, then unmap 0x130000
  mov edi, 0x20000
  mov ecx, 2048
  xor eax, eax
  rep stosd
  mov dword [0x20000], 0x21003
  mov edi, 0x21000
  mov eax, 3
  mov ecx, 1024
f: mov [edi], eax
  add eax, 0x1000
  add edi, 4
  dec ecx
  jnz f
  mov dword [0x21000 + 0x130*4], 0
  mov eax, 0x20000
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  lidt [idtr]
  mov esi, 0x12f000
  mov ecx, 0x2000
l: mov eax, [esi]
  add eax, ecx
  mov [esi], eax
  add esi, 4
  dec ecx
  jnz l
  hlt
pf: mov eax, cr2
  out 0xe9, al
  mov ebx, esi
  hlt
align 8
idtr: dw 14*8+7
  dd idt
idt: times 14 dq 0
  dw pf & 0xffff, 8, 0x8e00, pf >> 16`;
    const r = same(src, 32);
    expect(r.regs.rbx).toBe('0x0000000000130000');
  });

  it('a store into the code of the running block is seen at once', () => {
    // the loop patches the immediate of its own "add eax, imm" after 100 iterations
    same(`mov ecx, 300
l: add eax, 1
  cmp ecx, 200
  jne keep
  mov byte [l+1], 0x05
keep: dec ecx
  jnz l
  hlt`, 32);
  });
});

describe('block compiler under VMX', () => {
  it('an EPT violation inside a compiled loop exits with the same RIP, address and count', async () => {
    const { Vcpu, vmEnter } = await import('../vmx/vcpu');
    const { SimpleEpt } = await import('../vmx/simpleEpt');
    const { VMCS, PRIMARY, SECONDARY } = await import('../vmx/constants');
    const results = [true, false].map((jit) => {
      EXEC_OPTIONS.jit = jit;
      const ram = new Uint8Array(8 << 20);
      const code = assemble('bits 32\norg 0x1000\nmov esi, 0x10000\nl: mov eax, [esi]\nadd eax, 1\nmov [esi], eax\nadd esi, 4\njmp l\n', { bits: 32 });
      ram.set(code.bytes, 0x400000 + 0x1000);
      const ept = new SimpleEpt();
      ept.map(0, 0x400000, 0x20000); // guest-physical 0..128 KiB: the loop walks off its end
      const vcpu = new Vcpu({ bytes: ram });
      vcpu.ept = ept;
      const v = vcpu.vmcs;
      v.write(VMCS.PRIMARY_PROCESSOR_CONTROLS, PRIMARY.ACTIVATE_SECONDARY_CONTROLS);
      v.write(VMCS.SECONDARY_PROCESSOR_CONTROLS, SECONDARY.ENABLE_EPT);
      v.write(VMCS.GUEST_CR0, 0x31);
      for (const s of ['CS', 'DS', 'ES', 'SS']) {
        v.write(VMCS[`GUEST_${s}_LIMIT`], 0xffffffff);
        v.write(VMCS[`GUEST_${s}_ACCESS_RIGHTS`], s === 'CS' ? 0xc09b : 0xc093);
      }
      v.write(VMCS.GUEST_RIP, 0x1000);
      v.write(VMCS.GUEST_RFLAGS, 2);
      const r = vmEnter(vcpu, 1_000_000);
      return { r, esi: vcpu.cpu.r[6], compiled: vcpu.cpu.blocksCompiled > 0 };
    });
    expect(results[0].compiled).toBe(true);
    expect({ ...results[0], compiled: false }).toEqual({ ...results[1], compiled: false });
    expect(results[0].r).toMatchObject({ kind: 'exit', reason: 48, guestPhysical: 0x20000, rip: 0x1005 });
  });
});

import { describe, expect, it } from 'vitest';
import { assemble } from '../asm';
import { EPT_R, EPT_RWX, EPT_X, SimpleEpt } from './simpleEpt';
import { EXIT, INTR_INFO, PIN, PRIMARY, SECONDARY, VMCS, ENTRY_CTL, EXIT_REASON_ENTRY_FAILURE } from './constants';
import { Vcpu, vmEnter, type VmExitInfo } from './vcpu';

const HOST_BASE = 0x400000; // guest-physical 0 lives here in host RAM
const GUEST_SIZE = 0x200000;

/** A 32-bit protected-mode guest (flat segments, paging off) with its code at 0x1000. */
function guest(code: string, opts: { rights?: number } = {}) {
  const ram = new Uint8Array(8 * 1024 * 1024);
  const asm = assemble(`bits 32\norg 0x1000\n${code}\n`, { bits: 32 });
  if (asm.errors.length) throw new Error(JSON.stringify(asm.errors));
  ram.set(asm.bytes, HOST_BASE + 0x1000);
  const ept = new SimpleEpt();
  ept.map(0, HOST_BASE, GUEST_SIZE, opts.rights ?? EPT_RWX);
  const io = { log: [] as string[] };
  const vcpu = new Vcpu({ bytes: ram }, {
    in: (p, s) => { io.log.push(`in ${p.toString(16)}/${s}`); return 0x5a; },
    out: (p, s, v) => { io.log.push(`out ${p.toString(16)}/${s}=${v.toString(16)}`); },
  });
  vcpu.ept = ept;
  const v = vcpu.vmcs;
  v.write(VMCS.PIN_BASED_CONTROLS, PIN.EXTERNAL_INTERRUPT_EXITING | PIN.NMI_EXITING);
  v.write(VMCS.PRIMARY_PROCESSOR_CONTROLS, PRIMARY.HLT_EXITING | PRIMARY.USE_IO_BITMAPS | PRIMARY.USE_MSR_BITMAPS | PRIMARY.ACTIVATE_SECONDARY_CONTROLS);
  v.write(VMCS.SECONDARY_PROCESSOR_CONTROLS, SECONDARY.ENABLE_EPT);
  v.write(VMCS.GUEST_CR0, 0x31);
  for (const [s, sel, ar] of [['CS', 8, 0xc09b], ['DS', 16, 0xc093], ['ES', 16, 0xc093], ['SS', 16, 0xc093], ['FS', 16, 0xc093], ['GS', 16, 0xc093]] as const) {
    v.write(VMCS[`GUEST_${s}_SELECTOR`], sel);
    v.write(VMCS[`GUEST_${s}_BASE`], 0);
    v.write(VMCS[`GUEST_${s}_LIMIT`], 0xffffffff);
    v.write(VMCS[`GUEST_${s}_ACCESS_RIGHTS`], ar);
  }
  v.write(VMCS.GUEST_TR_ACCESS_RIGHTS, 0x8b);
  v.write(VMCS.GUEST_TR_LIMIT, 0x67);
  v.write(VMCS.GUEST_RIP, 0x1000);
  v.write(VMCS.GUEST_RSP, 0x8000);
  v.write(VMCS.GUEST_RFLAGS, 2);
  return { vcpu, ram, ept, io, asm };
}

function enterExit(vcpu: Vcpu, budget = 10_000): VmExitInfo {
  const r = vmEnter(vcpu, budget);
  if (r.kind !== 'exit') throw new Error(`expected an exit, got ${r.kind}`);
  return r;
}

/** What a VMM does after emulating a fault-like instruction exit. */
function skip(vcpu: Vcpu, e: VmExitInfo): void {
  vcpu.vmcs.write(VMCS.GUEST_RIP, e.rip + e.instructionLength);
}

describe('VMX non-root exits', () => {
  it('CPUID always exits with its instruction length and RIP at the instruction', () => {
    const { vcpu } = guest('mov eax, 1\ncpuid\nhlt');
    const e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.CPUID);
    expect(e.instructionLength).toBe(2);
    expect(e.rip).toBe(0x1005);
    expect(e.qualification).toBe(0);
    expect(vcpu.vmcs.read(VMCS.EXIT_REASON)).toBe(EXIT.CPUID);
    skip(vcpu, e);
    expect(enterExit(vcpu).reason).toBe(EXIT.HLT);
  });

  it('port I/O exits by bitmap with the Intel qualification; allowed ports go to the device', () => {
    const { vcpu, io } = guest('mov al, 0x41\nout 0x80, al\nmov dx, 0x3f8\nout dx, al\nin ax, dx\nhlt');
    vcpu.ioBitmap[0x80 >> 3] &= ~(1 << (0x80 & 7)); // pass port 0x80 through
    let e = enterExit(vcpu);
    expect(io.log).toEqual(['out 80/1=41']);
    expect(e.reason).toBe(EXIT.IO);
    expect(e.qualification).toBe((0x3f8 << 16) | 0); // 1 byte, OUT, DX operand
    expect(e.instructionLength).toBe(1);
    skip(vcpu, e);
    e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.IO);
    expect(e.qualification).toBe((0x3f8 << 16) | (1 << 3) | 1); // 2 bytes, IN
    expect(e.instructionLength).toBe(2);
  });

  it('unconditional I/O exiting reports immediate operands', () => {
    const { vcpu } = guest('in eax, 0x60\nhlt');
    const v = vcpu.vmcs;
    v.write(VMCS.PRIMARY_PROCESSOR_CONTROLS, (v.read(VMCS.PRIMARY_PROCESSOR_CONTROLS) & ~PRIMARY.USE_IO_BITMAPS) | PRIMARY.UNCONDITIONAL_IO_EXITING);
    const e = enterExit(vcpu);
    expect(e.qualification).toBe((0x60 << 16) | (1 << 6) | (1 << 3) | 3);
  });

  it('RDMSR/WRMSR exit by MSR bitmap; passed-through MSRs do not', () => {
    const { vcpu } = guest('mov ecx, 0x174\nrdmsr\nmov ecx, 0xc0000080\nrdmsr\nwrmsr\nhlt');
    vcpu.msrBitmap[0x174 >> 3] &= ~(1 << (0x174 & 7)); // read of SYSENTER_CS passes
    let e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.RDMSR);
    expect(vcpu.cpu.r[1] >>> 0).toBe(0xc0000080);
    skip(vcpu, e);
    e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.WRMSR);
    expect(e.instructionLength).toBe(2);
  });

  it('MOV to CR0 exits only when a masked bit differs from the read shadow; reads see the shadow', () => {
    const { vcpu } = guest('mov eax, cr0\nmov ebx, eax\nor eax, 0x20\nmov cr0, eax\nand eax, ~0x20\nmov cr0, eax\nhlt');
    const v = vcpu.vmcs;
    v.write(VMCS.CR0_GUEST_HOST_MASK, 0x20); // NE owned by the host
    v.write(VMCS.CR0_READ_SHADOW, 0);
    const e = enterExit(vcpu);
    expect(vcpu.cpu.r[3] & 0x20).toBe(0); // guest read NE from the shadow
    expect(e.reason).toBe(EXIT.CR_ACCESS);
    expect(e.qualification).toBe(0 | (0 << 4) | (0 << 8)); // CR0, MOV to CR, RAX
    expect(e.instructionLength).toBe(3);
    skip(vcpu, e);
    expect(enterExit(vcpu).reason).toBe(EXIT.HLT); // writing NE=0 matches the shadow: no exit
  });

  it('CR3 load exiting names the source register', () => {
    const { vcpu } = guest('mov esi, 0x5000\nmov cr3, esi\nhlt');
    const v = vcpu.vmcs;
    v.write(VMCS.PRIMARY_PROCESSOR_CONTROLS, v.read(VMCS.PRIMARY_PROCESSOR_CONTROLS) | PRIMARY.CR3_LOAD_EXITING);
    const e = enterExit(vcpu);
    expect(e.qualification).toBe(3 | (6 << 8));
  });

  it('VMCALL, XSETBV and INVD exit unconditionally', () => {
    const { vcpu } = guest('vmcall\ninvd\nxsetbv\nhlt');
    vcpu.vmcs.write(VMCS.GUEST_CR4, 1 << 18); // OSXSAVE: without it XSETBV is #UD, not an exit
    const reasons: number[] = [];
    for (let i = 0; i < 3; i++) {
      const e = enterExit(vcpu);
      reasons.push(e.reason);
      skip(vcpu, e);
    }
    expect(reasons).toEqual([EXIT.VMCALL, EXIT.INVD, EXIT.XSETBV]);
  });

  it('XSETBV with CR4.OSXSAVE clear is #UD in the guest, before any exit (SDM 25.1.1: #UD has priority)', () => {
    const { vcpu } = guest('xsetbv\nhlt');
    vcpu.vmcs.write(VMCS.EXCEPTION_BITMAP, 1 << 6);
    const e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.EXCEPTION_NMI);
    expect(vcpu.vmcs.read(VMCS.EXIT_INTERRUPTION_INFO) >>> 0).toBe((0x80000000 | (3 << 8) | 6) >>> 0);
    expect(e.rip).toBe(0x1000);
  });

  it('RDTSCP is #UD unless the "enable RDTSCP" secondary control is set; with it, it runs (or exits with RDTSC exiting)', () => {
    const { vcpu } = guest('rdtscp\nhlt');
    const v = vcpu.vmcs;
    v.write(VMCS.EXCEPTION_BITMAP, 1 << 6);
    let e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.EXCEPTION_NMI);
    expect(v.read(VMCS.EXIT_INTERRUPTION_INFO) & 0xff).toBe(6);
    v.write(VMCS.GUEST_RIP, 0x1000);
    v.write(VMCS.SECONDARY_PROCESSOR_CONTROLS, SECONDARY.ENABLE_EPT | SECONDARY.ENABLE_RDTSCP);
    e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.HLT);
    v.write(VMCS.GUEST_RIP, 0x1000);
    v.write(VMCS.PRIMARY_PROCESSOR_CONTROLS, v.read(VMCS.PRIMARY_PROCESSOR_CONTROLS) | PRIMARY.RDTSC_EXITING);
    expect(enterExit(vcpu).reason).toBe(EXIT.RDTSCP);
  });

  it('RDRAND runs in the guest, and exits (reason 57) only with RDRAND exiting', () => {
    const { vcpu } = guest('rdrand eax\nhlt');
    const v = vcpu.vmcs;
    expect(enterExit(vcpu).reason).toBe(EXIT.HLT);
    expect(vcpu.cpu.flagsRaw & 1).toBe(1);
    v.write(VMCS.GUEST_RIP, 0x1000);
    v.write(VMCS.SECONDARY_PROCESSOR_CONTROLS, SECONDARY.ENABLE_EPT | SECONDARY.RDRAND_EXITING);
    const e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.RDRAND);
    expect(e.instructionLength).toBe(3);
  });

  it('EPT violation reports the access, what the walk allowed and the guest-physical address', () => {
    const { vcpu, ept } = guest('mov dword [0x3000], 7\nmov eax, [0x300004]\nhlt');
    ept.map(0x3000, HOST_BASE + 0x3000, 0x1000, EPT_R | EPT_X); // read-only page
    let e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.EPT_VIOLATION);
    expect(e.guestPhysical).toBe(0x3000);
    expect(e.qualification & 0x3f).toBe(0x2 | 0x8 | 0x20); // write; readable+executable
    expect(e.qualification & 0x180).toBe(0x180); // linear valid, final translation
    expect(e.rip).toBe(0x1000);
    ept.map(0x3000, HOST_BASE + 0x3000, 0x1000, EPT_RWX);
    vcpu.cpu.flushTlb();
    e = enterExit(vcpu);
    expect(e.guestPhysical).toBe(0x300004); // unmapped MMIO-style address
    expect(e.qualification & 0x3f).toBe(0x1);
    expect(e.rip).toBe(0x100a);
  });

  it('instruction fetch from a non-executable page is an EPT violation with bit 2', () => {
    const { vcpu } = guest('nop', { rights: EPT_R });
    const e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.EPT_VIOLATION);
    expect(e.qualification & 7).toBe(4);
    expect(e.guestPhysical).toBe(0x1000);
  });

  it('injects an external interrupt through the guest IDT when IF = 1', () => {
    const { vcpu, ram } = guest(`
      lgdt [gdtr]
      lidt [idtr]
      sti
      spin: jmp spin
      handler: mov eax, 0x1234
      hlt
      align 8
      gdt: dq 0, 0x00cf9a000000ffff, 0x00cf92000000ffff
      gdtr: dw 23
      dd gdt
      idtr: dw 0x20*8+7
      dd idt
      idt: times 0x21*8 db 0`);
    const v = vcpu.vmcs;
    // wait until the guest has executed STI and its shadow has passed
    const r = vmEnter(vcpu, 10);
    expect(r.kind).toBe('budget');
    // write the gate for vector 0x20 into guest memory
    const idt = (vcpu.cpu.idtr.base) + 0x20 * 8 + HOST_BASE;
    const handlerAddr = findHandler(ram);
    new DataView(ram.buffer).setUint32(idt, (8 << 16) | (handlerAddr & 0xffff), true);
    new DataView(ram.buffer).setUint32(idt + 4, (handlerAddr & 0xffff0000) | 0x8e00, true);
    v.write(VMCS.ENTRY_INTERRUPTION_INFO, (INTR_INFO.VALID | 0x20) >>> 0);
    const e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.HLT);
    expect(vcpu.cpu.r[0]).toBe(0x1234);
    expect(v.read(VMCS.ENTRY_INTERRUPTION_INFO) & INTR_INFO.VALID).toBe(0);
  });

  it('injection of an external interrupt with IF = 0 fails the entry', () => {
    const { vcpu } = guest('hlt');
    vcpu.vmcs.write(VMCS.ENTRY_INTERRUPTION_INFO, (INTR_INFO.VALID | 0x20) >>> 0);
    const e = enterExit(vcpu);
    expect(e.reason).toBe((EXIT.INVALID_GUEST_STATE | EXIT_REASON_ENTRY_FAILURE) >>> 0);
  });

  it('interrupt-window exiting fires once IF = 1 and the STI shadow has passed', () => {
    const { vcpu } = guest('nop\nsti\nnop\nnop\nhlt');
    const v = vcpu.vmcs;
    v.write(VMCS.PRIMARY_PROCESSOR_CONTROLS, v.read(VMCS.PRIMARY_PROCESSOR_CONTROLS) | PRIMARY.INTERRUPT_WINDOW_EXITING);
    const e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.INTERRUPT_WINDOW);
    expect(e.rip).toBe(0x1003); // after STI and the one instruction it shields
  });

  it('the preemption timer exits after value x 2^5 instructions, also while halted', () => {
    const { vcpu } = guest('spin: jmp spin');
    const v = vcpu.vmcs;
    v.write(VMCS.PIN_BASED_CONTROLS, v.read(VMCS.PIN_BASED_CONTROLS) | PIN.PREEMPTION_TIMER);
    v.write(VMCS.PREEMPTION_TIMER_VALUE, 10);
    const e = enterExit(vcpu, 100_000);
    expect(e.reason).toBe(EXIT.PREEMPTION_TIMER);
    expect(e.instructions).toBeGreaterThanOrEqual(9 * 32);
    expect(e.instructions).toBeLessThanOrEqual(10 * 32);
    const h = guest('sti\nhlt');
    h.vcpu.vmcs.write(VMCS.PRIMARY_PROCESSOR_CONTROLS, h.vcpu.vmcs.read(VMCS.PRIMARY_PROCESSOR_CONTROLS) & ~PRIMARY.HLT_EXITING);
    h.vcpu.vmcs.write(VMCS.PIN_BASED_CONTROLS, PIN.PREEMPTION_TIMER);
    h.vcpu.vmcs.write(VMCS.PREEMPTION_TIMER_VALUE, 3);
    expect(enterExit(h.vcpu).reason).toBe(EXIT.PREEMPTION_TIMER);
  });

  it('a budget ends the run without an exit and the next entry continues', () => {
    const { vcpu } = guest('mov ecx, 100\nl: loop l\nhlt');
    const r = vmEnter(vcpu, 50);
    expect(r.kind).toBe('budget');
    const e = enterExit(vcpu, 1000);
    expect(e.reason).toBe(EXIT.HLT);
    expect(vcpu.cpu.r[1]).toBe(0);
  });

  it('a host interrupt exits with reason 1 when external-interrupt exiting is on', () => {
    const { vcpu } = guest('spin: jmp spin');
    vcpu.externalInterruptPending = true;
    const e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.EXTERNAL_INTERRUPT);
    expect(e.instructions).toBe(0);
  });

  it('HLT without HLT exiting leaves the guest halted until an interrupt is injected', () => {
    const { vcpu } = guest('sti\nhlt\nmov eax, 5\nhlt');
    const v = vcpu.vmcs;
    v.write(VMCS.PRIMARY_PROCESSOR_CONTROLS, v.read(VMCS.PRIMARY_PROCESSOR_CONTROLS) & ~PRIMARY.HLT_EXITING);
    const r = vmEnter(vcpu, 1000);
    expect(r.kind).toBe('halted');
    expect(v.read(VMCS.GUEST_ACTIVITY_STATE)).toBe(1);
    expect(vmEnter(vcpu, 1000).kind).toBe('halted'); // stays halted
  });

  it('exceptions selected by the exception bitmap exit with reason 0 and the interruption information', () => {
    const { vcpu } = guest('int3\nxor ecx, ecx\ndiv ecx\nhlt');
    const v = vcpu.vmcs;
    v.write(VMCS.EXCEPTION_BITMAP, (1 << 3) | (1 << 0));
    let e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.EXCEPTION_NMI);
    expect(e.rip).toBe(0x1000);
    expect(e.instructionLength).toBe(1);
    expect(v.read(VMCS.EXIT_INTERRUPTION_INFO) >>> 0).toBe((0x80000000 | (6 << 8) | 3) >>> 0);
    skip(vcpu, e);
    e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.EXCEPTION_NMI);
    expect(e.rip).toBe(0x1003); // the faulting DIV
    expect(v.read(VMCS.EXIT_INTERRUPTION_INFO) >>> 0).toBe((0x80000000 | (3 << 8) | 0) >>> 0);
  });

  it('a triple fault in the guest exits with reason 2', () => {
    const { vcpu } = guest('xor ecx, ecx\ndiv ecx');
    expect(enterExit(vcpu).reason).toBe(EXIT.TRIPLE_FAULT);
  });

  it('an I/O exit does not retire the instruction and the VMCS shows the guest state at the exit', () => {
    const { vcpu } = guest('mov esp, 0x7000\nstc\nmov al, 1\nout 0x80, al\nhlt');
    const e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.IO);
    expect(e.instructions).toBe(3);
    expect(vcpu.cpu.icount).toBe(3);
    const v = vcpu.vmcs;
    expect(v.read(VMCS.GUEST_RIP)).toBe(e.rip);
    expect(v.read(VMCS.GUEST_RSP)).toBe(0x7000);
    expect(v.read(VMCS.GUEST_RFLAGS) & 1).toBe(1); // CF from STC
    expect(v.read(VMCS.GUEST_CS_SELECTOR)).toBe(8);
    expect(v.clone().read(VMCS.GUEST_RSP)).toBe(0x7000);
  });

  it('an intercepted CPUID or RDMSR has no effect in the guest and does not retire', () => {
    const { vcpu } = guest('mov eax, 1\nmov ebx, 7\ncpuid\nmov ecx, 0x10\nrdmsr\nhlt');
    let e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.CPUID);
    expect([vcpu.cpu.r[0], vcpu.cpu.r[3], vcpu.cpu.icount]).toEqual([1, 7, 2]);
    skip(vcpu, e);
    e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.RDMSR);
    expect([vcpu.cpu.r[0], vcpu.cpu.r[2], vcpu.cpu.icount]).toEqual([1, 0, 3]);
  });

  it('guest state written between exits is what the next entry runs with', () => {
    const { vcpu, ram } = guest('out 0x80, al\npush eax\nout 0x80, al\nmov eax, [0x100]\nout 0x80, al\nhlt');
    new DataView(ram.buffer).setUint32(HOST_BASE + 0x2100, 0xcafe, true);
    const v = vcpu.vmcs;
    let e = enterExit(vcpu);
    skip(vcpu, e);
    v.write(VMCS.GUEST_RSP, 0x6000);
    e = enterExit(vcpu);
    expect(v.read(VMCS.GUEST_RSP)).toBe(0x5ffc);
    skip(vcpu, e);
    v.write(VMCS.GUEST_DS_BASE, 0x2000); // a segment change: the whole guest state is loaded again
    e = enterExit(vcpu);
    expect(vcpu.cpu.r[0]).toBe(0xcafe);
    expect(v.read(VMCS.GUEST_RSP)).toBe(0x5ffc);
    expect(v.read(VMCS.GUEST_DS_BASE)).toBe(0x2000);
  });

  it('a CPU change made after an exit is undone by the next entry once the state was synced', () => {
    const { vcpu } = guest('out 0x80, al\nhlt');
    const e = enterExit(vcpu);
    vcpu.syncGuestState();
    vcpu.cpu.segBase[4] = 0x5000; // e.g. an FS_BASE write by the host
    skip(vcpu, e);
    expect(enterExit(vcpu).reason).toBe(EXIT.HLT);
    expect(vcpu.cpu.segBase[4]).toBe(0);
    expect(vcpu.vmcs.read(VMCS.GUEST_FS_BASE)).toBe(0);
  });

  it('a 64-bit guest with its own page tables runs through EPT', () => {
    const { vcpu, ram } = guest('');
    const code = assemble('bits 64\norg 0x1000\nmov rax, 0x1122334455667788\nmov [0x2000], rax\ncpuid\n', { bits: 64 });
    ram.set(code.bytes, HOST_BASE + 0x1000);
    const dv = new DataView(ram.buffer);
    // guest page tables at gpa 0x10000: one 2 MiB page identity-mapped
    dv.setUint32(HOST_BASE + 0x10000, 0x11003, true);
    dv.setUint32(HOST_BASE + 0x11000, 0x12003, true);
    dv.setUint32(HOST_BASE + 0x12000, 0x83, true);
    const v = vcpu.vmcs;
    v.write(VMCS.ENTRY_CONTROLS, ENTRY_CTL.IA32E_MODE_GUEST);
    v.write(VMCS.GUEST_CR0, 0x80000031);
    v.write(VMCS.GUEST_CR4, 0x20);
    v.write(VMCS.GUEST_CR3, 0x10000);
    v.write(VMCS.GUEST_CS_ACCESS_RIGHTS, 0xa09b);
    const e = enterExit(vcpu);
    expect(e.reason).toBe(EXIT.CPUID);
    expect(dv.getUint32(HOST_BASE + 0x2000, true)).toBe(0x55667788);
    expect(dv.getUint32(HOST_BASE + 0x12000, true) & 0x60).toBe(0x60); // accessed + dirty
    expect(EPT_X).toBe(4);
  });
});

/** The handler is the `mov eax, 0x1234` (B8 34 12 00 00) in the guest image. */
function findHandler(ram: Uint8Array): number {
  for (let a = HOST_BASE + 0x1000; a < HOST_BASE + 0x1100; a++) {
    if (ram[a] === 0xb8 && ram[a + 1] === 0x34 && ram[a + 2] === 0x12) return a - HOST_BASE;
  }
  throw new Error('handler not found');
}

/** VMX non-root operation: a VCPU with its VMCS, bitmaps and EPT, and `vmEnter`, which loads
 * the guest state, injects the pending event, runs the guest on the CPU model for a budget of
 * instructions and returns either a VM exit (with the fields written as Intel specifies) or
 * "budget" (preempted by the host scheduler, no exit) or "halted" (guest in HLT, nothing to do). */
import type { Instruction } from '../decoder';
import { Cpu, CpuFault, TWO32, type NonRootHooks } from '../cpu/cpu';
import { Access, type EptTranslator, type IoBus, type PhysicalMemory } from '../cpu/types';
import { CR0, EFER, EXC, FLAG } from '../cpu/constants';
import '../exec';
import * as K from './constants';
import { LIVE_READ, LIVE_WRITE, Vmcs, type GuestStateHolder } from './vmcs';

// Module-local copies of the tables: the entry/exit path reads them constantly, and some loaders (tsx) turn every
// access to an imported binding into a getter call.
const { ACTIVITY, CR_ACCESS_TYPE, ENTRY_CTL, EPT_QUAL, EXIT, EXIT_CTL, EXIT_REASON_ENTRY_FAILURE, INTERRUPTIBILITY, INTR_INFO, INTR_TYPE, PIN, PREEMPTION_TIMER_RATE, PRIMARY, SECONDARY, VMCS } = K;

export interface VmExitInfo {
  kind: 'exit';
  /** basic exit reason, with bit 31 set for VM-entry failures */
  reason: number;
  qualification: number;
  instructionLength: number;
  guestPhysical: number;
  guestLinear: number;
  /** guest RIP (not advanced: fault-like exits point at the instruction) */
  rip: number;
  instructions: number;
}
export type VmEnterResult = VmExitInfo | { kind: 'budget' | 'halted'; instructions: number };

const SEG_FIELDS = ['ES', 'CS', 'SS', 'DS', 'FS', 'GS'];
/** per segment register: selector, base, limit, access-rights encodings (precomputed: entry and exit are hot) */
const SEG_ENC = SEG_FIELDS.map((s) => [VMCS[`GUEST_${s}_SELECTOR`], VMCS[`GUEST_${s}_BASE`], VMCS[`GUEST_${s}_LIMIT`], VMCS[`GUEST_${s}_ACCESS_RIGHTS`]] as const);

/** The guest-state fields the CPU model holds between an exit and the next entry (read back lazily, see Vmcs.hold),
 * numbered for `guestField`; segment fields are SEG_CODE + 4 * segment + (selector, base, limit, rights). */
const F_CR0 = 1, F_CR3 = 2, F_CR4 = 3, F_EFER = 4, F_LDTR_SEL = 5, F_LDTR_BASE = 6, F_LDTR_LIMIT = 7, F_LDTR_AR = 8,
  F_TR_SEL = 9, F_TR_BASE = 10, F_TR_LIMIT = 11, F_TR_AR = 12, F_GDTR_BASE = 13, F_GDTR_LIMIT = 14, F_IDTR_BASE = 15,
  F_IDTR_LIMIT = 16, F_RIP = 17, F_RSP = 18, F_RFLAGS = 19, F_INTERRUPTIBILITY = 20, F_ACTIVITY = 21, SEG_CODE = 32;
const FIELD_CODE = new Uint8Array(0x8000);
const LIVE = new Uint8Array(0x8000);
{
  const codes: [number, number][] = [
    [VMCS.GUEST_CR0, F_CR0], [VMCS.GUEST_CR3, F_CR3], [VMCS.GUEST_CR4, F_CR4], [VMCS.GUEST_EFER, F_EFER],
    [VMCS.GUEST_LDTR_SELECTOR, F_LDTR_SEL], [VMCS.GUEST_LDTR_BASE, F_LDTR_BASE], [VMCS.GUEST_LDTR_LIMIT, F_LDTR_LIMIT], [VMCS.GUEST_LDTR_ACCESS_RIGHTS, F_LDTR_AR],
    [VMCS.GUEST_TR_SELECTOR, F_TR_SEL], [VMCS.GUEST_TR_BASE, F_TR_BASE], [VMCS.GUEST_TR_LIMIT, F_TR_LIMIT], [VMCS.GUEST_TR_ACCESS_RIGHTS, F_TR_AR],
    [VMCS.GUEST_GDTR_BASE, F_GDTR_BASE], [VMCS.GUEST_GDTR_LIMIT, F_GDTR_LIMIT], [VMCS.GUEST_IDTR_BASE, F_IDTR_BASE], [VMCS.GUEST_IDTR_LIMIT, F_IDTR_LIMIT],
    [VMCS.GUEST_RIP, F_RIP], [VMCS.GUEST_RSP, F_RSP], [VMCS.GUEST_RFLAGS, F_RFLAGS], [VMCS.GUEST_INTERRUPTIBILITY, F_INTERRUPTIBILITY],
    [VMCS.GUEST_ACTIVITY_STATE, F_ACTIVITY],
  ];
  for (let i = 0; i < 6; i++) for (let j = 0; j < 4; j++) codes.push([SEG_ENC[i][j], SEG_CODE + 4 * i + j]);
  for (const [enc, code] of codes) {
    FIELD_CODE[enc] = code;
    LIVE[enc] = LIVE_READ | LIVE_WRITE;
  }
  LIVE[VMCS.ENTRY_CONTROLS] = LIVE_WRITE; // decides EFER.LMA at entry
}
/** held fields an entry can load alone (no mode, paging or segment consequences) */
const SIMPLE_LOAD = new Uint8Array(256);
for (const code of [F_RIP, F_RSP, F_RFLAGS, F_INTERRUPTIBILITY, F_ACTIVITY]) SIMPLE_LOAD[code] = 1;

/** Raised inside the CPU to leave non-root operation. */
class VmExitSignal {
  constructor(readonly reason: number, readonly qualification: number, readonly length: number, readonly gpa = 0, readonly linear = 0) {}
}

/** Between an exit and the next entry the guest state stays in `cpu` (the VMCS guest-state fields read it back on
 * demand, and an entry loads only the fields written meanwhile). Code that changes `cpu` directly after an exit
 * (rather than through the VMCS) calls `syncGuestState()` first, so the next entry restores the VMCS's values as
 * before. Exits taken by instructions (I/O, CPUID, MSRs, HLT, ...) return through the run loop ('vm-exit'), not by
 * throwing; EPT violations, exception-bitmap exits and triple faults still unwind (they arise deep in an access). */
export class Vcpu implements NonRootHooks, GuestStateHolder {
  readonly vmcs = new Vmcs();
  /** the guest's CPU; its general registers are the seL4 VCPU context */
  readonly cpu: Cpu;
  /** I/O bitmaps A and B (ports 0..0xFFFF, one bit each; set = exit). seL4 starts with "trap all". */
  readonly ioBitmap = new Uint8Array(8192).fill(0xff);
  /** MSR bitmap page: read-low, read-high, write-low, write-high (1 KiB each; set = exit) */
  readonly msrBitmap = new Uint8Array(4096).fill(0xff);
  ept: EptTranslator | null = null;
  /** a host interrupt arrived while the guest ran (external-interrupt exiting) */
  externalInterruptPending = false;
  private timerSaved: number | null = null;
  /** the guest state was loaded at least once (the first entry always flushes the TLB) */
  private entered = false;
  private lastEpt: EptTranslator | null = null;

  /** INVEPT: the EPT's mappings changed (the kernel unmapped or remapped guest-physical pages). */
  invalidateEpt(): void {
    this.cpu.flushTlb();
  }
  /** the event being injected at entry (reported as IDT-vectoring information if its delivery exits) */
  private injecting = 0;
  /** an exit taken without unwinding (I/O): set by the intercept, consumed by runGuest */
  private exitPending = false;
  /** set while `interceptExits` runs: `exit` records the exit instead of throwing */
  private softExit = false;
  private pendingReason = 0;
  private pendingQualification = 0;
  private pendingLength = 0;

  constructor(mem: PhysicalMemory, io: IoBus = { in: (_p, s) => (s === 4 ? -1 : s === 2 ? 0xffff : 0xff), out: () => {} }) {
    this.cpu = new Cpu(mem, io);
    this.cpu.reset();
  }

  // ---------------------------------------------------------------------------- hooks

  interceptExits(cpu: Cpu, ins: Instruction, what: string, arg = 0): boolean {
    this.softExit = true;
    try {
      this.intercept(cpu, ins, what, arg);
    } finally {
      this.softExit = false;
    }
    return this.exitPending;
  }

  intercept(cpu: Cpu, ins: Instruction, what: string, arg = 0): void {
    const v = this.vmcs;
    const primary = v.read(VMCS.PRIMARY_PROCESSOR_CONTROLS);
    const secondary = primary & PRIMARY.ACTIVATE_SECONDARY_CONTROLS ? v.read(VMCS.SECONDARY_PROCESSOR_CONTROLS) : 0;
    const len = ins.length;
    switch (what) {
      case 'cpuid': this.exit(EXIT.CPUID, 0, len); break;
      case 'invd': this.exit(EXIT.INVD, 0, len); break;
      case 'xsetbv': this.exit(EXIT.XSETBV, 0, len); break;
      case 'vmcall': this.exit(EXIT.VMCALL, 0, len); break;
      case 'hlt': if (primary & PRIMARY.HLT_EXITING) this.exit(EXIT.HLT, 0, len); break;
      case 'invlpg': if (primary & PRIMARY.INVLPG_EXITING) this.exit(EXIT.INVLPG, arg, len); break;
      case 'rdtsc': if (primary & PRIMARY.RDTSC_EXITING) this.exit(EXIT.RDTSC, 0, len); break;
      case 'rdtscp':
        // without "enable RDTSCP" the instruction does not exist for the guest (SDM 25.3)
        if (!(secondary & SECONDARY.ENABLE_RDTSCP)) throw new CpuFault(EXC.UD);
        if (primary & PRIMARY.RDTSC_EXITING) this.exit(EXIT.RDTSCP, 0, len);
        break;
      case 'pause': if (primary & PRIMARY.PAUSE_EXITING) this.exit(EXIT.PAUSE, 0, len); break;
      case 'wbinvd': if (secondary & SECONDARY.WBINVD_EXITING) this.exit(EXIT.WBINVD, 0, len); break;
      case 'rdrand': if (secondary & SECONDARY.RDRAND_EXITING) this.exit(EXIT.RDRAND, 0, len); break;
      case 'descriptor':
        if (secondary & SECONDARY.DESCRIPTOR_TABLE_EXITING) {
          this.exit(/^(l|s)(g|i)dt$/.test(ins.mnemonic) ? EXIT.GDTR_IDTR : EXIT.LDTR_TR, 0, len);
        }
        break;
      case 'io': this.ioIntercept(cpu, ins, arg, primary); break;
      case 'rdmsr': case 'wrmsr': this.msrIntercept(what === 'wrmsr', arg >>> 0, primary, len); break;
      case 'movtocr': case 'movfromcr': this.crIntercept(cpu, ins, what === 'movtocr', arg, primary); break;
      case 'clts': {
        const mask = v.read(VMCS.CR0_GUEST_HOST_MASK), shadow = v.read(VMCS.CR0_READ_SHADOW);
        if (mask & CR0.TS && shadow & CR0.TS) this.exit(EXIT.CR_ACCESS, CR_ACCESS_TYPE.CLTS << 4, len);
        break;
      }
      case 'lmsw': {
        const mask = v.read(VMCS.CR0_GUEST_HOST_MASK) & 0xf, shadow = v.read(VMCS.CR0_READ_SHADOW) & 0xf;
        const mem = ins.operands[0].kind === 2 ? 1 : 0;
        if ((arg ^ shadow) & mask) this.exit(EXIT.CR_ACCESS, (CR_ACCESS_TYPE.LMSW << 4) | (mem << 6) | ((arg & 0xffff) << 16), len);
        break;
      }
    }
  }

  /** IN/OUT/INS/OUTS: true if the instruction exits (the exit is pending; the handler returns without effect and
   * the CPU's run loop stops with 'vm-exit'), so the common exit needs no exception. */
  ioExit(cpu: Cpu, ins: Instruction, port: number, size: number, isIn: boolean): boolean {
    const primary = this.vmcs.read(VMCS.PRIMARY_PROCESSOR_CONTROLS);
    const q = this.ioQualification(ins, port, size, isIn ? 1 : 0, primary);
    if (q < 0) return false;
    cpu.rip = cpu.ip0; // fault-like: RIP stays on the instruction
    this.exitPending = true;
    this.pendingReason = EXIT.IO;
    this.pendingQualification = q;
    this.pendingLength = ins.length;
    cpu.stopReason = 'vm-exit';
    return true;
  }

  private ioIntercept(cpu: Cpu, ins: Instruction, arg: number, primary: number): void {
    const port = arg & 0xffff, size = (arg >> 16) & 0xff, isIn = (arg >> 24) & 1;
    void cpu;
    const q = this.ioQualification(ins, port, size, isIn, primary);
    if (q >= 0) this.exit(EXIT.IO, q, ins.length);
  }

  /** the I/O exit qualification, or -1 if the access does not exit */
  private ioQualification(ins: Instruction, port: number, size: number, isIn: number, primary: number): number {
    let exits = (primary & PRIMARY.UNCONDITIONAL_IO_EXITING) !== 0;
    if (primary & PRIMARY.USE_IO_BITMAPS) {
      exits = false;
      for (let p = port; p < port + size; p++) {
        if (p > 0xffff || this.ioBitmap[p >> 3] & (1 << (p & 7))) exits = true;
      }
    }
    if (!exits) return -1;
    const string = ins.mnemonic.startsWith('ins') || ins.mnemonic.startsWith('outs');
    let imm = false;
    for (let i = 0; i < ins.operands.length; i++) if (ins.operands[i].kind === 3) imm = true;
    return (size - 1) | (isIn << 3) | (string ? 16 : 0) | (string && ins.rep ? 32 : 0) | (imm ? 64 : 0) | (port << 16);
  }

  private msrIntercept(write: boolean, msr: number, primary: number, len: number): void {
    const reason = write ? EXIT.WRMSR : EXIT.RDMSR;
    if (!(primary & PRIMARY.USE_MSR_BITMAPS)) this.exit(reason, 0, len);
    let base: number;
    if (msr <= 0x1fff) base = write ? 0x800 : 0;
    else if (msr >= 0xc0000000 && msr <= 0xc0001fff) base = write ? 0xc00 : 0x400;
    else return this.exit(reason, 0, len);
    const bit = msr & 0x1fff;
    if (this.msrBitmap[base + (bit >> 3)] & (1 << (bit & 7))) this.exit(reason, 0, len);
  }

  private crIntercept(cpu: Cpu, ins: Instruction, toCr: boolean, cr: number, primary: number): void {
    const gpr = toCr ? ins.operands[1].reg : ins.operands[0].reg;
    const q = cr | ((toCr ? CR_ACCESS_TYPE.MOV_TO_CR : CR_ACCESS_TYPE.MOV_FROM_CR) << 4) | (gpr << 8);
    const v = this.vmcs;
    if (toCr && (cr === 0 || cr === 4)) {
      const mask = v.read(cr === 0 ? VMCS.CR0_GUEST_HOST_MASK : VMCS.CR4_GUEST_HOST_MASK);
      const shadow = v.read(cr === 0 ? VMCS.CR0_READ_SHADOW : VMCS.CR4_READ_SHADOW);
      const value = cpu.r[gpr];
      if ((value ^ shadow) & mask) this.exit(EXIT.CR_ACCESS, q, ins.length);
      return;
    }
    if (cr === 3 && primary & (toCr ? PRIMARY.CR3_LOAD_EXITING : PRIMARY.CR3_STORE_EXITING)) this.exit(EXIT.CR_ACCESS, q, ins.length);
    if (cr === 8 && primary & (toCr ? PRIMARY.CR8_LOAD_EXITING : PRIMARY.CR8_STORE_EXITING)) this.exit(EXIT.CR_ACCESS, q, ins.length);
  }

  shadowCr(cr: number, actual: number): number {
    const mask = this.vmcs.read(cr === 0 ? VMCS.CR0_GUEST_HOST_MASK : VMCS.CR4_GUEST_HOST_MASK);
    const shadow = this.vmcs.read(cr === 0 ? VMCS.CR0_READ_SHADOW : VMCS.CR4_READ_SHADOW);
    return ((actual & ~mask) | (shadow & mask)) >>> 0;
  }

  eptViolation(cpu: Cpu, gpa: number, lin: number, access: Access, allowed: number, final: boolean): never {
    cpu.rip = cpu.ip0; // the access is not completed: RIP stays on the instruction
    const acc = access === Access.Write ? EPT_QUAL.WRITE : access === Access.Exec ? EPT_QUAL.FETCH : EPT_QUAL.READ;
    const q = acc | (allowed & 0x38) | EPT_QUAL.LINEAR_VALID | (final ? EPT_QUAL.FINAL : 0);
    throw new VmExitSignal(EXIT.EPT_VIOLATION, q, 0, gpa, lin);
  }

  exceptionExit(cpu: Cpu, vector: number, errorCode: number, cr2: number, instructionLength: number): void {
    const bitmap = this.vmcs.read(VMCS.EXCEPTION_BITMAP);
    let exits = (bitmap & (1 << vector)) !== 0;
    if (vector === 14) {
      // #PF (SDM "Exception bitmap"): with bit 14 set, exit iff (PFEC & mask) == match; with it clear, iff they differ
      const mask = this.vmcs.read(VMCS.PAGE_FAULT_ERROR_CODE_MASK), match = this.vmcs.read(VMCS.PAGE_FAULT_ERROR_CODE_MATCH);
      const equal = ((errorCode & mask) >>> 0) === (match >>> 0);
      exits = exits ? equal : !equal;
    }
    if (!exits) return;
    const soft = instructionLength > 0;
    const type = soft ? INTR_TYPE.SOFTWARE_EXCEPTION : INTR_TYPE.HARDWARE_EXCEPTION;
    const info = (vector | (type << 8) | (errorCode >= 0 ? INTR_INFO.DELIVER_ERROR_CODE : 0) | INTR_INFO.VALID) >>> 0;
    this.vmcs.write(VMCS.EXIT_INTERRUPTION_INFO, info);
    this.vmcs.write(VMCS.EXIT_INTERRUPTION_ERROR_CODE, errorCode >= 0 ? errorCode : 0);
    if (soft) cpu.rip = cpu.ip0; // INT3: RIP at the instruction, the VMM adds the length
    throw new VmExitSignal(EXIT.EXCEPTION_NMI, vector === 14 ? cr2 : 0, instructionLength);
  }

  tripleFault(cpu: Cpu): never {
    void cpu;
    throw new VmExitSignal(EXIT.TRIPLE_FAULT, 0, 0);
  }

  private exit(reason: number, qualification: number, length: number): void {
    const c = this.cpu;
    c.rip = c.ip0; // fault-like: RIP stays on the instruction
    if (!this.softExit) throw new VmExitSignal(reason, qualification, length);
    if (this.exitPending) return; // an intercept may name the same exit twice; the first stands
    this.exitPending = true;
    this.pendingReason = reason;
    this.pendingQualification = qualification;
    this.pendingLength = length;
    c.stopReason = 'vm-exit';
  }

  // ---------------------------------------------------------------------------- state sync

  /** VMCS guest-state area → CPU (at VM entry). */
  loadGuestState(): void {
    const v = this.vmcs, c = this.cpu;
    const cr0 = v.read(VMCS.GUEST_CR0) | 0, cr3 = v.read(VMCS.GUEST_CR3), cr4 = v.read(VMCS.GUEST_CR4) | 0;
    const efer0 = c.efer;
    const pagingChanged = cr0 !== c.cr0 || cr3 !== c.cr3 || cr4 !== c.cr4 || !this.entered;
    c.cr0 = cr0;
    c.cr3 = cr3;
    c.cr4 = cr4;
    const entry = v.read(VMCS.ENTRY_CONTROLS);
    let efer = v.read(VMCS.GUEST_EFER) | 0;
    // With "IA-32e mode guest" the processor sets EFER.LMA (and LME) on entry.
    if (entry & ENTRY_CTL.IA32E_MODE_GUEST) efer |= EFER.LMA | EFER.LME;
    else efer &= ~EFER.LMA;
    c.efer = efer;
    for (let i = 0; i < 6; i++) {
      const f = SEG_ENC[i];
      c.segSel[i] = v.read(f[0]);
      c.segBase[i] = v.read(f[1]);
      c.segLimit[i] = v.read(f[2]);
      c.segAttr[i] = v.read(f[3]);
    }
    c.ldtr = { sel: v.read(VMCS.GUEST_LDTR_SELECTOR), base: v.read(VMCS.GUEST_LDTR_BASE), limit: v.read(VMCS.GUEST_LDTR_LIMIT), attr: v.read(VMCS.GUEST_LDTR_ACCESS_RIGHTS) };
    c.tr = { sel: v.read(VMCS.GUEST_TR_SELECTOR), base: v.read(VMCS.GUEST_TR_BASE), limit: v.read(VMCS.GUEST_TR_LIMIT), attr: v.read(VMCS.GUEST_TR_ACCESS_RIGHTS) };
    c.gdtr = { base: v.read(VMCS.GUEST_GDTR_BASE), limit: v.read(VMCS.GUEST_GDTR_LIMIT) };
    c.idtr = { base: v.read(VMCS.GUEST_IDTR_BASE), limit: v.read(VMCS.GUEST_IDTR_LIMIT) };
    c.rip = signed64(v.read(VMCS.GUEST_RIP));
    c.setReg64(4, signed64(v.read(VMCS.GUEST_RSP)));
    c.setFlags(v.read(VMCS.GUEST_RFLAGS) | 2);
    const intr = v.read(VMCS.GUEST_INTERRUPTIBILITY);
    c.shadow = intr & INTERRUPTIBILITY.MOV_SS ? 2 : intr & INTERRUPTIBILITY.STI ? 1 : 0;
    c.halted = v.read(VMCS.GUEST_ACTIVITY_STATE) === ACTIVITY.HLT;
    c.updateMode();
    // the TLB is VPID-tagged: entries survive a VM exit and entry unless the paging state changed meanwhile
    if (pagingChanged || efer !== efer0) c.flushTlb();
    this.entered = true;
  }

  /** A held guest-state field's current value, exactly as saveGuestState stores it. */
  guestField(encoding: number): number {
    const c = this.cpu;
    const code = FIELD_CODE[encoding];
    switch (code) {
      case F_CR0: return c.cr0 >>> 0;
      case F_CR3: return c.cr3;
      case F_CR4: return c.cr4 >>> 0;
      case F_EFER: return c.efer;
      case F_LDTR_SEL: return c.ldtr.sel;
      case F_LDTR_BASE: return c.ldtr.base;
      case F_LDTR_LIMIT: return c.ldtr.limit;
      case F_LDTR_AR: return c.ldtr.attr;
      case F_TR_SEL: return c.tr.sel;
      case F_TR_BASE: return c.tr.base;
      case F_TR_LIMIT: return c.tr.limit;
      case F_TR_AR: return c.tr.attr;
      case F_GDTR_BASE: return c.gdtr.base;
      case F_GDTR_LIMIT: return c.gdtr.limit;
      case F_IDTR_BASE: return c.idtr.base;
      case F_IDTR_LIMIT: return c.idtr.limit;
      case F_RIP: return c.rip;
      case F_RSP: return c.reg64(4);
      case F_RFLAGS: return c.getFlags();
      case F_INTERRUPTIBILITY: return c.shadow === 2 ? INTERRUPTIBILITY.MOV_SS : c.shadow === 1 ? INTERRUPTIBILITY.STI : 0;
      case F_ACTIVITY: return c.halted ? ACTIVITY.HLT : ACTIVITY.ACTIVE;
    }
    const seg = (code - SEG_CODE) >> 2;
    switch ((code - SEG_CODE) & 3) {
      case 0: return c.segSel[seg];
      case 1: return c.segBase[seg];
      case 2: return c.segLimit[seg];
      default: return c.segAttr[seg];
    }
  }

  /** Make the VMCS guest-state area current (the values the last exit saved) before something changes the CPU
   * model directly (e.g. an MSR write by the VMM); the next entry then loads the whole guest state again. */
  syncGuestState(): void {
    this.vmcs.release();
  }

  /** VM exit (and host preemption): the CPU keeps the guest state; the VMCS reads it back field by field. */
  private holdGuestState(): void {
    this.vmcs.hold(this, LIVE);
  }

  /** VM entry: load what changed since the exit, or everything when the VMCS is the source of truth. */
  private enterGuestState(): void {
    const v = this.vmcs;
    if (!v.holding) {
      this.loadGuestState();
      return;
    }
    const writes = v.heldWrites, n = v.heldCount;
    for (let i = 0; i < n; i++) {
      if (SIMPLE_LOAD[FIELD_CODE[writes[i]]] === 0) {
        this.loadGuestState(); // reads the unwritten fields back from the CPU, so they load unchanged
        v.drop();
        return;
      }
    }
    const c = this.cpu;
    for (let i = 0; i < n; i++) {
      const enc = writes[i];
      switch (FIELD_CODE[enc]) {
        case F_RIP: c.rip = signed64(v.read(enc)); break;
        case F_RSP: c.setReg64(4, signed64(v.read(enc))); break;
        case F_RFLAGS: c.setFlags(v.read(enc) | 2); break;
        case F_INTERRUPTIBILITY: {
          const intr = v.read(enc);
          c.shadow = intr & INTERRUPTIBILITY.MOV_SS ? 2 : intr & INTERRUPTIBILITY.STI ? 1 : 0;
          break;
        }
        case F_ACTIVITY: c.halted = v.read(enc) === ACTIVITY.HLT; break;
      }
    }
    // mode, paging and segments are unchanged: cached translations and instruction links stay valid
    v.drop();
  }

  /** CPU → VMCS guest-state area (at VM exit, and when the host preempts the guest). */
  saveGuestState(): void {
    const v = this.vmcs, c = this.cpu;
    v.write(VMCS.GUEST_CR0, c.cr0 >>> 0);
    v.write(VMCS.GUEST_CR3, c.cr3);
    v.write(VMCS.GUEST_CR4, c.cr4 >>> 0);
    v.write(VMCS.GUEST_EFER, c.efer);
    for (let i = 0; i < 6; i++) {
      const f = SEG_ENC[i];
      v.write(f[0], c.segSel[i]);
      v.write(f[1], c.segBase[i]);
      v.write(f[2], c.segLimit[i]);
      v.write(f[3], c.segAttr[i]);
    }
    v.write(VMCS.GUEST_LDTR_SELECTOR, c.ldtr.sel); v.write(VMCS.GUEST_LDTR_BASE, c.ldtr.base);
    v.write(VMCS.GUEST_LDTR_LIMIT, c.ldtr.limit); v.write(VMCS.GUEST_LDTR_ACCESS_RIGHTS, c.ldtr.attr);
    v.write(VMCS.GUEST_TR_SELECTOR, c.tr.sel); v.write(VMCS.GUEST_TR_BASE, c.tr.base);
    v.write(VMCS.GUEST_TR_LIMIT, c.tr.limit); v.write(VMCS.GUEST_TR_ACCESS_RIGHTS, c.tr.attr);
    v.write(VMCS.GUEST_GDTR_BASE, c.gdtr.base); v.write(VMCS.GUEST_GDTR_LIMIT, c.gdtr.limit);
    v.write(VMCS.GUEST_IDTR_BASE, c.idtr.base); v.write(VMCS.GUEST_IDTR_LIMIT, c.idtr.limit);
    v.write(VMCS.GUEST_RIP, c.rip);
    v.write(VMCS.GUEST_RSP, c.reg64(4));
    v.write(VMCS.GUEST_RFLAGS, c.getFlags());
    v.write(VMCS.GUEST_INTERRUPTIBILITY, c.shadow === 2 ? INTERRUPTIBILITY.MOV_SS : c.shadow === 1 ? INTERRUPTIBILITY.STI : 0);
    v.write(VMCS.GUEST_ACTIVITY_STATE, c.halted ? ACTIVITY.HLT : ACTIVITY.ACTIVE);
  }

  // ---------------------------------------------------------------------------- entry

  /** Runs the guest for at most `budget` instructions. */
  enter(budget: number): VmEnterResult {
    const v = this.vmcs, c = this.cpu;
    this.enterGuestState();
    const secondary = v.read(VMCS.PRIMARY_PROCESSOR_CONTROLS) & PRIMARY.ACTIVATE_SECONDARY_CONTROLS ? v.read(VMCS.SECONDARY_PROCESSOR_CONTROLS) : 0;
    const ept = secondary & SECONDARY.ENABLE_EPT ? this.ept : null;
    if (ept !== this.lastEpt) c.flushTlb(); // another EPT (or none): cached translations are stale
    this.lastEpt = ept;
    c.ept = ept;
    c.nonRoot = this;
    const start = c.icount;
    try {
      // Event injection (VM-entry interruption information).
      const info = v.read(VMCS.ENTRY_INTERRUPTION_INFO);
      if (info & INTR_INFO.VALID) {
        const type = (info & INTR_INFO.TYPE_MASK) >> INTR_INFO.TYPE_SHIFT;
        if (type === INTR_TYPE.EXTERNAL && (!(c.flagsRaw & FLAG.IF) || c.shadow)) {
          return this.finish(EXIT.INVALID_GUEST_STATE | EXIT_REASON_ENTRY_FAILURE, 0, 0, 0, 0, start);
        }
        v.write(VMCS.ENTRY_INTERRUPTION_INFO, info & ~INTR_INFO.VALID);
        this.injecting = info;
        c.ip0 = c.rip;
        const vector = info & 0xff;
        const err = info & INTR_INFO.DELIVER_ERROR_CODE ? v.read(VMCS.ENTRY_EXCEPTION_ERROR_CODE) : -1;
        c.halted = false;
        if (type === INTR_TYPE.SOFTWARE_INTERRUPT || type === INTR_TYPE.SOFTWARE_EXCEPTION || type === INTR_TYPE.PRIVILEGED_SOFTWARE_EXCEPTION) {
          const ilen = v.read(VMCS.ENTRY_INSTRUCTION_LENGTH);
          c.rip += ilen; // the pushed return address follows the instruction
          c.deliver(vector, -1, 'software');
        } else if (type === INTR_TYPE.HARDWARE_EXCEPTION) {
          c.deliver(vector, err, 'exception');
        } else c.deliver(vector, -1, 'external');
        this.injecting = 0;
      }
      return this.runGuest(budget, start);
    } catch (e) {
      if (e instanceof VmExitSignal) return this.finish(e.reason, e.qualification, e.length, e.gpa, e.linear, start);
      if (e instanceof CpuFault) {
        // a fault while injecting: deliver it as the guest would see it
        this.injecting = 0;
        c.exception(e);
        return this.runGuest(budget, start);
      }
      throw e;
    } finally {
      c.nonRoot = null;
      c.ept = null;
    }
  }

  private runGuest(budget: number, start: number): VmEnterResult {
    const v = this.vmcs, c = this.cpu;
    const pin = v.read(VMCS.PIN_BASED_CONTROLS);
    const timerOn = (pin & PIN.PREEMPTION_TIMER) !== 0;
    let timer = timerOn ? (this.timerSaved ?? v.read(VMCS.PREEMPTION_TIMER_VALUE)) : 0;
    this.timerSaved = null;
    const tick = 1 << PREEMPTION_TIMER_RATE;
    let left = budget;
    try {
      for (;;) {
        if (this.externalInterruptPending && pin & PIN.EXTERNAL_INTERRUPT_EXITING) {
          this.externalInterruptPending = false;
          return this.finish(EXIT.EXTERNAL_INTERRUPT, 0, 0, 0, 0, start);
        }
        const primary = v.read(VMCS.PRIMARY_PROCESSOR_CONTROLS);
        const window = (primary & PRIMARY.INTERRUPT_WINDOW_EXITING) !== 0;
        if (window && c.flagsRaw & FLAG.IF && c.shadow === 0) return this.finish(EXIT.INTERRUPT_WINDOW, 0, 0, 0, 0, start);
        if (timerOn && timer === 0) return this.finish(EXIT.PREEMPTION_TIMER, 0, 0, 0, 0, start);
        if (left <= 0) {
          if (timerOn) this.timerSaved = timer;
          this.holdGuestState();
          return { kind: 'budget', instructions: c.icount - start };
        }
        if (c.halted) {
          // The preemption timer keeps counting in HLT; time passes until it fires.
          if (timerOn) {
            c.icount += timer * tick - (c.icount % tick);
            timer = 0;
            continue;
          }
          this.holdGuestState();
          return { kind: 'halted', instructions: c.icount - start };
        }
        // Run in chunks that end at the next timer tick (or one instruction while waiting for a window).
        let chunk = left;
        if (timerOn) chunk = Math.min(chunk, tick - (c.icount % tick));
        if (window) chunk = 1;
        const before = c.icount;
        const why = c.run(chunk);
        if (this.exitPending) {
          // an exit taken in the handler: as if it had unwound from here (the timer has not counted this chunk)
          this.exitPending = false;
          c.stopReason = null;
          return this.finish(this.pendingReason, this.pendingQualification, this.pendingLength, 0, 0, start);
        }
        const ran = Math.max(1, c.icount - before);
        left -= ran;
        // a breakpoint ends the run as the budget would (same checks next, so a replay with that budget matches)
        if (why === 'breakpoint') left = 0;
        if (timerOn) timer = Math.max(0, timer - (Math.floor(c.icount / tick) - Math.floor(before / tick)));
        c.stopReason = null;
      }
    } finally {
      if (timerOn && v.read(VMCS.EXIT_CONTROLS) & EXIT_CTL.SAVE_PREEMPTION_TIMER) v.write(VMCS.PREEMPTION_TIMER_VALUE, timer);
    }
  }

  private finish(reason: number, qual: number, len: number, gpa: number, linear: number, start: number): VmExitInfo {
    const v = this.vmcs, c = this.cpu;
    this.holdGuestState();
    v.write(VMCS.EXIT_REASON, reason >>> 0);
    v.write(VMCS.EXIT_QUALIFICATION, qual);
    v.write(VMCS.EXIT_INSTRUCTION_LENGTH, len);
    v.write(VMCS.GUEST_PHYSICAL_ADDRESS, gpa);
    v.write(VMCS.GUEST_LINEAR_ADDRESS, linear);
    v.write(VMCS.IDT_VECTORING_INFO, this.injecting);
    this.injecting = 0;
    return { kind: 'exit', reason: reason >>> 0, qualification: qual, instructionLength: len, guestPhysical: gpa, guestLinear: linear, rip: c.rip, instructions: c.icount - start };
  }
}

function signed64(v: number): number {
  return v >= 2 ** 63 ? v - 2 ** 64 : v;
}

/** The kernel's entry point: run `vcpu` in VMX non-root operation for at most `budget` instructions. */
export function vmEnter(vcpu: Vcpu, budget: number): VmEnterResult {
  return vcpu.enter(budget);
}

export { TWO32 };

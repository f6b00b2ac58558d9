/** The x86_64 CPU model: architectural state, linear and physical memory access through a TLB,
 * segment loading, and the fetch/decode/execute loop with a decoded-instruction cache.
 * Instruction semantics live in ../exec; interrupt delivery in ./interrupts. */
import { decode, isDecodeError, type Instruction } from '../decoder';
import { CR0, CR4, EFER, FLAG, FLAGS_FIXED1, EXC, PFEC, ARITH_FLAGS } from './constants';
import { Access, type EptTranslator, type IoBus, type PhysicalMemory, type StopReason } from './types';
import { LazyFlags } from './flags';
// Hot-path aliases: module-level constants read once (cheaper than enum/namespace lookups).
const A_READ = Access.Read, A_WRITE = Access.Write, A_EXEC = Access.Exec;
const CR0_PE = CR0.PE, EFER_LMA = EFER.LMA, ARITH = ARITH_FLAGS, FIXED1 = FLAGS_FIXED1;

/** A fault raised while executing an instruction: delivered through the IDT by the run loop. */
export class CpuFault {
  constructor(readonly vector: number, readonly errorCode = -1, readonly cr2?: number) {}
}

/** Raised by hooks that must leave the run loop at once (VM exits, host stops). */
export class CpuStop {
  constructor(readonly reason: string, readonly data?: unknown) {}
}

export const TWO32 = 4294967296;

/** Hooks the VMX layer installs while the CPU runs in non-root operation. */
export interface NonRootHooks {
  /** called for instructions that may exit; throws CpuStop to exit. `what` names the instruction. */
  /** `intercept` for a handler that has done nothing yet: true if the instruction exits (then the handler returns at
   * once and `run` stops with 'vm-exit'), without unwinding */
  interceptExits?(cpu: Cpu, ins: Instruction, what: string, arg?: number): boolean;
  /** IN/OUT/INS/OUTS: true if the access exits (then the handler returns at once and `run` stops with 'vm-exit') */
  ioExit?(cpu: Cpu, ins: Instruction, port: number, size: number, isIn: boolean): boolean;
  intercept(cpu: Cpu, ins: Instruction, what: string, arg?: number): void;
  /** EPT violation on a guest-physical access */
  eptViolation(cpu: Cpu, gpa: number, lin: number, access: Access, allowed: number, final: boolean): never;
  /** a triple fault in the guest */
  tripleFault(cpu: Cpu): never;
  /** an exception about to be delivered; exits (throws) if the exception bitmap selects it.
   * `instructionLength` is non-zero for software exceptions (INT3). */
  exceptionExit?(cpu: Cpu, vector: number, errorCode: number, cr2: number, instructionLength: number): void;
  /** value a guest reads from CR0/CR4: bits owned by the host (mask) come from the read shadow */
  shadowCr(cr: number, actual: number): number;
}

const TLB_SIZE = 1024;
const IF_BIT = FLAG.IF;
const TLB_MASK = TLB_SIZE - 1;

type Handler = (cpu: Cpu, ins: Instruction) => void;

/** Handler table filled in by ../exec (keyed by mnemonic). Kept here to avoid an import cycle. */
export const HANDLERS: Record<string, Handler> = Object.create(null);
/** Builder of specialised handlers (../exec/fast), and a switch to compare both paths in tests. */
export const EXEC_OPTIONS: {
  specialize: boolean;
  specializer?: (ins: Instruction) => Handler | undefined;
  /** compile hot blocks to JavaScript functions (../exec/jit) */
  jit: boolean;
  compiler?: (first: Instruction, startRip: number, decodeAt: (ip: number) => Instruction | null) => { fn: BlockFn; length: number } | null;
} = { specialize: true, jit: true };

/** A compiled block: runs at most `left` instructions from its start, sets RIP, returns how many ran. */
export type BlockFn = (cpu: Cpu, left: number) => number;
/** executions of a branch target before its block is compiled */
const JIT_THRESHOLD = 50;

export class Cpu extends LazyFlags {
  // ---- general registers: low and high 32-bit halves ----
  readonly r = new Int32Array(16);
  readonly rh = new Int32Array(16);
  /** instruction pointer: a canonical address held as a number (in 16/32-bit code, 0..2^32-1) */
  rip = 0;
  /** RIP of the instruction being executed (fault-like events restore it) */
  ip0 = 0;
  /** the high half of the last 64-bit value read (operand helpers return the low half) */
  vh = 0;

  // ---- segments (index SEG_*): selector, base, limit, VMX-format access rights ----
  readonly segSel = new Int32Array(6);
  readonly segBase = new Float64Array(6);
  readonly segLimit = new Float64Array(6);
  readonly segAttr = new Int32Array(6);
  ldtr = { sel: 0, base: 0, limit: 0xffff, attr: 0x10082 };
  tr = { sel: 0, base: 0, limit: 0xffff, attr: 0x8b };
  gdtr = { base: 0, limit: 0xffff };
  idtr = { base: 0, limit: 0x3ff };

  // ---- control registers and MSR-held state ----
  cr0 = CR0.ET | CR0.NE;
  cr2 = 0;
  cr3 = 0;
  cr4 = 0;
  cr8 = 0;
  efer = 0;
  xcr0 = 1;
  readonly dr = new Float64Array(8);
  /** MSR values other than EFER/FS_BASE/GS_BASE, as [lo, hi] */
  readonly msrs = new Map<number, [number, number]>();
  kernelGsBase = 0;

  // ---- derived mode ----
  /** code size: 16, 32 or 64 */
  bits: 16 | 32 | 64 = 16;
  cpl = 0;
  /** STI / MOV SS interrupt shadow: 1 = blocking by STI, 2 = blocking by MOV SS, for the next instruction */
  shadow = 0;
  halted = false;

  // ---- counters ----
  /** instructions retired since reset (also the TSC) */
  icount = 0;
  /** unsupported instructions met (each raised #UD) */
  udCount = 0;
  readonly udByBytes = new Map<string, number>();

  // ---- surroundings ----
  mem: PhysicalMemory;
  ram: Uint8Array;
  dv: DataView;
  io: IoBus;
  /** EPT in effect (VMX non-root with EPT enabled) or null */
  ept: EptTranslator | null = null;
  nonRoot: NonRootHooks | null = null;
  /** pending external interrupt vectors (lowest index first) */
  readonly irqQueue: number[] = [];
  /** addresses (linear RIP) where run() stops before executing */
  readonly breakpoints = new Set<number>();
  /** the breakpoint a run passes once, at its first instruction: where the last run stopped, or where a debugger
   * continues from. Only that address: a run that merely starts at a breakpoint (a new timer chunk) still stops. */
  resumeAt = -1;

  // ---- TLB and decoded-instruction cache ----
  private readonly tlbTag = [new Float64Array(TLB_SIZE).fill(-1), new Float64Array(TLB_SIZE).fill(-1), new Float64Array(TLB_SIZE).fill(-1)];
  private readonly tlbPhys = [new Float64Array(TLB_SIZE), new Float64Array(TLB_SIZE), new Float64Array(TLB_SIZE)];
  // direct references to the read and write TLBs for the 4-byte fast paths
  private readonly tlbTagR = this.tlbTag[0];
  private readonly tlbPhysR = this.tlbPhys[0];
  private readonly tlbTagW = this.tlbTag[1];
  private readonly tlbPhysW = this.tlbPhys[1];
  private fetchTag = -1;
  /** bumped whenever translations, mode or cached code change: instruction links older than it are stale */
  epoch = 0;
  /** instructions a compiled block completed before it raised a fault (for precise accounting) */
  blockDone = 0;
  /** blocks compiled so far (statistics) */
  blocksCompiled = 0;
  /** set while the CPU makes implicit supervisor accesses (descriptor tables, TSS) */
  private systemAccess = false;
  /** per physical page: bitmap of bytes covered by cached instructions (512 bytes), or undefined */
  private codeBits: (Uint8Array | undefined)[] = [];
  private fetchPhys = 0;
  private icache: (Instruction | undefined)[][] = [];
  private codePage: Uint8Array;
  private readonly fetchBuf = new Uint8Array(16);
  /** exception being delivered (for double/triple fault rules), or -1 */
  private delivering = -1;
  stopReason: StopReason | null = null;
  /** the exception that started the most recent chain of faults (reports after a triple fault name it) */
  lastException: { vector: number; errorCode: number; rip: number } | null = null;

  constructor(mem: PhysicalMemory, io: IoBus) {
    super();
    this.mem = mem;
    this.ram = mem.bytes;
    this.dv = new DataView(mem.bytes.buffer, mem.bytes.byteOffset, mem.bytes.byteLength);
    this.io = io;
    this.codePage = new Uint8Array((mem.bytes.length + 4095) >>> 12);
    this.icache = new Array(this.codePage.length).fill(undefined); // packed: sparse writes would make it a dictionary
    this.codeBits = new Array(this.codePage.length).fill(undefined);
    this.reset();
  }

  /** Power-on state (real mode, CS:IP = F000:FFF0 as on hardware; callers usually set their own). */
  reset(): void {
    this.r.fill(0);
    this.rh.fill(0);
    this.flagsRaw = FLAGS_FIXED1;
    this.fOp = 0;
    for (let s = 0; s < 6; s++) {
      this.segSel[s] = 0;
      this.segBase[s] = 0;
      this.segLimit[s] = 0xffff;
      this.segAttr[s] = 0x93;
    }
    this.segSel[1] = 0xf000;
    this.segBase[1] = 0xffff0000;
    this.segAttr[1] = 0x9b;
    this.rip = 0xfff0;
    this.cr0 = CR0.ET | CR0.NE;
    this.cr2 = this.cr3 = this.cr4 = this.cr8 = this.efer = 0;
    this.xcr0 = 1;
    this.halted = false;
    this.shadow = 0;
    this.delivering = -1;
    this.updateMode();
    this.flushTlb();
  }

  // =====================================================================================
  // Mode

  get longMode(): boolean {
    return (this.efer & EFER.LMA) !== 0;
  }
  get pagingOn(): boolean {
    return (this.cr0 & CR0.PG) !== 0;
  }
  get protectedMode(): boolean {
    return (this.cr0 & CR0.PE) !== 0;
  }

  /** Recomputes code size and CPL after a change to CR0, EFER or CS. */
  updateMode(): void {
    const a = this.segAttr[1];
    if (!(this.cr0 & CR0_PE)) {
      this.bits = a & 0x4000 ? 32 : 16;
      this.cpl = 0;
    } else {
      this.bits = this.efer & EFER_LMA && a & 0x2000 ? 64 : a & 0x4000 ? 32 : 16;
      this.cpl = (a >> 5) & 3;
    }
    this.fetchTag = -1;
    this.epoch++;
  }

  // =====================================================================================
  // Registers

  /** Reads a general register as a sized value (1/2 bytes unsigned, 4 signed int32, 8: low half + this.vh). */
  getReg(reg: number, size: number, high8 = false): number {
    if (size === 4) return this.r[reg];
    if (size === 8) {
      this.vh = this.rh[reg];
      return this.r[reg];
    }
    if (size === 2) return this.r[reg] & 0xffff;
    return high8 ? (this.r[reg] >> 8) & 0xff : this.r[reg] & 0xff;
  }

  /** Writes a general register with x86 merge rules (32-bit writes zero the upper half). */
  setReg(reg: number, size: number, v: number, vh = 0, high8 = false): void {
    if (size === 4) {
      this.r[reg] = v;
      this.rh[reg] = 0;
    } else if (size === 8) {
      this.r[reg] = v;
      this.rh[reg] = vh;
    } else if (size === 2) this.r[reg] = (this.r[reg] & ~0xffff) | (v & 0xffff);
    else if (high8) this.r[reg] = (this.r[reg] & ~0xff00) | ((v & 0xff) << 8);
    else this.r[reg] = (this.r[reg] & ~0xff) | (v & 0xff);
  }

  /** A register's full 64-bit value as a number (exact up to 2^53; used for addresses). */
  reg64(reg: number): number {
    return this.rh[reg] * TWO32 + (this.r[reg] >>> 0);
  }
  setReg64(reg: number, v: number): void {
    const hi = Math.floor(v / TWO32);
    this.r[reg] = (v - hi * TWO32) | 0;
    this.rh[reg] = hi | 0;
  }
  regBig(reg: number): bigint {
    return (BigInt(this.rh[reg]) << 32n) | BigInt(this.r[reg] >>> 0);
  }
  setRegBig(reg: number, v: bigint): void {
    this.r[reg] = Number(BigInt.asIntN(32, v));
    this.rh[reg] = Number(BigInt.asIntN(32, v >> 32n));
  }

  /** RFLAGS as a number (all flags materialised). */
  getFlags(): number {
    return (this.flagsRaw & ~ARITH) | this.arithFlags() | FIXED1;
  }
  setFlags(v: number): void {
    this.flagsRaw = (v & 0x3f7fd5) | FIXED1;
    this.fOp = 0;
  }

  // =====================================================================================
  // Paging and the TLB

  flushTlb(): void {
    for (let a = 0; a < 3; a++) this.tlbTag[a].fill(-1);
    this.fetchTag = -1;
    this.epoch++;
  }
  flushTlbPage(lin: number): void {
    const vpn = Math.floor(lin / 4096);
    for (let a = 0; a < 3; a++) {
      for (const user of [0, 1]) {
        const tag = vpn * 2 + user;
        const i = vpn & TLB_MASK;
        if (this.tlbTag[a][i] === tag) this.tlbTag[a][i] = -1;
      }
    }
    this.fetchTag = -1;
    this.epoch++;
  }

  /** Linear → host-physical address for an access by the current privilege level. */
  xlate(lin: number, access: Access): number {
    const off = lin & 4095;
    const vpn = (lin - off) / 4096;
    const user = this.cpl === 3 && !this.systemAccess ? 1 : 0;
    const tag = vpn * 2 + user;
    const i = vpn & TLB_MASK;
    if (this.tlbTag[access][i] === tag) return this.tlbPhys[access][i] + off;
    const phys = this.walk(lin, access, user === 1, true);
    const base = phys - off;
    if (phys < this.ram.length) {
      this.tlbTag[access][i] = tag;
      this.tlbPhys[access][i] = base;
    }
    return phys;
  }

  /** Guest-physical → host-physical (identity unless EPT is in effect). */
  gpa(gpa: number, access: Access, lin: number, final: boolean): number {
    if (!this.ept) return gpa;
    const res = this.ept.translate(gpa, access);
    if ('hostPhys' in res) return res.hostPhys;
    return this.nonRoot!.eptViolation(this, gpa, lin, access, res.violation, final);
  }

  private readPhys64For(gpa: number, lin: number): [number, number] {
    const hp = this.gpa(gpa, A_READ, lin, false);
    return [this.physRead(hp, 4), this.physRead(hp + 4, 4)];
  }
  private writePhys32For(gpa: number, lin: number, v: number): void {
    const hp = this.gpa(gpa, A_WRITE, lin, false);
    this.physWrite(hp, 4, v);
  }

  /**
   * Walks the guest page tables (or none when paging is off). Sets accessed/dirty bits when
   * `commit`; raises #PF with CR2 on a fault. Returns the host-physical address.
   */
  walk(lin: number, access: Access, user: boolean, commit: boolean): number {
    if (!(this.cr0 & CR0.PG)) {
      const g = this.longMode ? lin : lin >>> 0;
      return this.gpa(g, access, lin, true);
    }
    const write = access === A_WRITE;
    const wp = (this.cr0 & CR0.WP) !== 0;
    const nxe = (this.efer & EFER.NXE) !== 0;
    let allowW = true, allowU = true, allowX = true;
    const fault = (present: boolean, rsvd = false): never => {
      let code = (present ? PFEC.P : 0) | (write ? PFEC.W : 0) | (user ? PFEC.U : 0) | (rsvd ? PFEC.RSVD : 0);
      if (access === A_EXEC && (nxe || this.cr4 & CR4.PAE)) code |= PFEC.I;
      throw new CpuFault(EXC.PF, code, lin);
    };
    const entries: { addr: number; lo: number }[] = [];
    let physPage: number;
    let pageMask: number;
    if (this.longMode || this.cr4 & CR4.PAE) {
      // 4-level (long mode) or 3-level PAE walk; 8-byte entries.
      const levels = this.longMode ? 4 : 3;
      let table = this.longMode ? Math.floor(this.cr3 / 4096) * 4096 : (this.cr3 >>> 0) & ~0x1f;
      for (let level = levels; level >= 1; level--) {
        const shift = 12 + 9 * (level - 1);
        // from the signed value: lin + 2^64 is not exact (kernel-half addresses lost their low bits)
        let idx = Math.floor(lin / 2 ** shift) & 511;
        if (!this.longMode && level === 3) idx = Math.floor((lin >>> 0) / 2 ** 30) & 3;
        const addr = !this.longMode && level === 3 ? table + idx * 8 : table + idx * 8;
        const [lo, hi] = this.readPhys64For(addr, lin);
        if (!(lo & 1)) fault(false);
        const isPdpte32 = !this.longMode && level === 3;
        if (!isPdpte32) {
          if (!(lo & 2)) allowW = false;
          if (!(lo & 4)) allowU = false;
          if (nxe && hi < 0) allowX = false;
          entries.push({ addr, lo });
        }
        const frame = (hi & 0xfffff) * TWO32 + ((lo >>> 0) & 0xfffff000);
        const large = level > 1 && level <= 3 && (lo & 0x80) !== 0 && !isPdpte32;
        if (large) {
          if (level === 3 && !this.longMode) fault(true, true);
          pageMask = 2 ** shift - 1;
          physPage = frame - (frame % (pageMask + 1));
          return this.finishWalk(lin, access, user, write, wp, allowW, allowU, allowX, entries, physPage, pageMask, commit, fault);
        }
        if (level === 1) {
          return this.finishWalk(lin, access, user, write, wp, allowW, allowU, allowX, entries, frame, 4095, commit, fault);
        }
        table = frame;
      }
      throw new Error('unreachable');
    }
    // Legacy 32-bit paging: 2 levels of 4-byte entries, 4 MiB pages with CR4.PSE.
    const l = lin >>> 0;
    const pdeAddr = ((this.cr3 >>> 0) & 0xfffff000) + (l >>> 22) * 4;
    const pde = this.physRead(this.gpa(pdeAddr, A_READ, lin, false), 4);
    if (!(pde & 1)) fault(false);
    if (!(pde & 2)) allowW = false;
    if (!(pde & 4)) allowU = false;
    entries.push({ addr: pdeAddr, lo: pde });
    if (pde & 0x80 && this.cr4 & CR4.PSE) {
      physPage = (pde & 0xffc00000) >>> 0;
      return this.finishWalk(lin, access, user, write, wp, allowW, allowU, allowX, entries, physPage, 0x3fffff, commit, fault);
    }
    const pteAddr = ((pde & 0xfffff000) >>> 0) + ((l >>> 12) & 0x3ff) * 4;
    const pte = this.physRead(this.gpa(pteAddr, A_READ, lin, false), 4);
    if (!(pte & 1)) fault(false);
    if (!(pte & 2)) allowW = false;
    if (!(pte & 4)) allowU = false;
    entries.push({ addr: pteAddr, lo: pte });
    return this.finishWalk(lin, access, user, write, wp, allowW, allowU, allowX, entries, (pte & 0xfffff000) >>> 0, 4095, commit, fault);
  }

  private finishWalk(
    lin: number, access: Access, user: boolean, write: boolean, wp: boolean, allowW: boolean, allowU: boolean, allowX: boolean,
    entries: { addr: number; lo: number }[], physPage: number, pageMask: number, commit: boolean, fault: (p: boolean) => never,
  ): number {
    if (user && !allowU) fault(true);
    if (write && !allowW && (user || wp)) fault(true);
    if (access === A_EXEC && !allowX) fault(true);
    if (commit) {
      // Accessed bits on every level; dirty on the leaf for writes.
      for (let k = 0; k < entries.length; k++) {
        const en = entries[k];
        let nv = en.lo | 0x20;
        if (write && k === entries.length - 1) nv |= 0x40;
        if (nv !== en.lo) this.writePhys32For(en.addr, lin, nv);
      }
    }
    const off = lin - Math.floor(lin / (pageMask + 1)) * (pageMask + 1); // exact also for negative lin
    const g = physPage + off;
    return this.gpa(g, access, lin, true);
  }

  /** Translates without side effects or faults (debugger, VMM page walks). Returns -1 if unmapped. */
  probe(lin: number): number {
    const saveEpt = this.ept;
    try {
      this.ept = null;
      return this.walk(lin, A_READ, false, false);
    } catch {
      return -1;
    } finally {
      this.ept = saveEpt;
    }
  }

  // =====================================================================================
  // Physical memory

  physRead(p: number, size: number): number {
    if (p + size <= this.ram.length) {
      if (size === 4) return this.dv.getInt32(p, true);
      if (size === 1) return this.ram[p];
      return this.dv.getUint16(p, true);
    }
    if (this.mem.mmio) return this.mem.mmio.read(p, size);
    return size === 4 ? -1 : size === 2 ? 0xffff : 0xff;
  }

  physWrite(p: number, size: number, v: number): void {
    if (p + size <= this.ram.length) {
      const page = p >>> 12;
      if (this.codePage[page] && this.overlapsCode(page, p & 4095, size)) this.invalidateCode(page);
      if (size === 4) this.dv.setInt32(p, v, true);
      else if (size === 1) this.ram[p] = v;
      else this.dv.setUint16(p, v, true);
      return;
    }
    this.mem.mmio?.write(p, size, v);
  }

  private overlapsCode(page: number, off: number, size: number): boolean {
    const bits = this.codeBits[page];
    if (bits === undefined) return true;
    for (let k = off; k < off + size && k < 4096; k++) if (bits[k >> 3] & (1 << (k & 7))) return true;
    return false;
  }

  /** Drops every decoded instruction (RAM was replaced wholesale). */
  invalidateAllCode(): void {
    this.icache = new Array(this.codePage.length).fill(undefined);
    this.codeBits = new Array(this.codePage.length).fill(undefined);
    this.codePage.fill(0);
    this.fetchTag = -1;
    this.epoch++;
  }

  /** Drops decoded instructions of a physical page (its bytes changed). */
  invalidateCode(page: number): void {
    this.icache[page] = undefined as unknown as (Instruction | undefined)[];
    this.codeBits[page] = undefined;
    this.codePage[page] = 0;
    this.fetchTag = -1;
    this.epoch++; // links into the dropped instructions are stale
  }

  // =====================================================================================
  // Linear memory (after segmentation)

  read(lin: number, size: number, access: Access = A_READ): number {
    const off = lin & 4095; // ToInt32 keeps this exact for any address held as a number
    if (off <= 4096 - size) {
      const p = this.xlate(lin, access);
      if (size === 8) {
        this.vh = this.physRead(p + 4, 4);
        return this.physRead(p, 4);
      }
      return this.physRead(p, size);
    }
    // crosses a page: byte by byte
    let lo = 0, hi = 0;
    for (let k = 0; k < size; k++) {
      const b = this.physRead(this.xlate(lin + k, access), 1);
      if (k < 4) lo |= b << (8 * k);
      else hi |= b << (8 * (k - 4));
    }
    this.vh = hi;
    if (size === 4 || size === 8) return lo | 0;
    return lo;
  }

  write(lin: number, size: number, v: number, vh = 0): void {
    const off = lin & 4095; // ToInt32 keeps this exact for any address held as a number
    if (off <= 4096 - size) {
      const p = this.xlate(lin, A_WRITE);
      if (size === 8) {
        this.physWrite(p, 4, v);
        this.physWrite(p + 4, 4, vh);
      } else this.physWrite(p, size, v);
      return;
    }
    // check both pages first so a fault leaves memory untouched
    this.xlate(lin, A_WRITE);
    this.xlate(lin + size - 1, A_WRITE);
    for (let k = 0; k < size; k++) {
      const b = k < 4 ? (v >>> (8 * k)) & 0xff : (vh >>> (8 * (k - 4))) & 0xff;
      this.physWrite(this.xlate(lin + k, A_WRITE), 1, b);
    }
  }

  /** Implicit supervisor-mode accesses (GDT/LDT/IDT/TSS): allowed on supervisor pages even at CPL 3. */
  sysRead(lin: number, size: number): number {
    const saved = this.systemAccess;
    this.systemAccess = true;
    try {
      return this.read(lin, size);
    } finally {
      this.systemAccess = saved;
    }
  }
  sysWrite(lin: number, size: number, v: number): void {
    const saved = this.systemAccess;
    this.systemAccess = true;
    try {
      this.write(lin, size, v);
    } finally {
      this.systemAccess = saved;
    }
  }

  /** 4-byte read with the TLB hit path inlined (compiled blocks and fast handlers use it). */
  read4(lin: number): number {
    const off = lin & 4095;
    if (off <= 4092) {
      const vpn = (lin - off) / 4096;
      const i = vpn & TLB_MASK;
      if (this.tlbTagR[i] === vpn * 2 + (this.cpl === 3 ? 1 : 0)) {
        const p = this.tlbPhysR[i] + off;
        if (p + 4 <= this.ram.length) return this.dv.getInt32(p, true);
      }
    }
    return this.read(lin, 4);
  }

  /** 4-byte write with the TLB hit path inlined. */
  write4(lin: number, v: number): void {
    const off = lin & 4095;
    if (off <= 4092) {
      const vpn = (lin - off) / 4096;
      const i = vpn & TLB_MASK;
      if (this.tlbTagW[i] === vpn * 2 + (this.cpl === 3 ? 1 : 0)) {
        const p = this.tlbPhysW[i] + off;
        if (p + 4 <= this.ram.length && this.codePage[p >>> 12] === 0) {
          this.dv.setInt32(p, v, true);
          return;
        }
      }
    }
    this.write(lin, 4, v);
  }

  /** Reads bytes from linear memory without faulting (disassembly view). Unmapped bytes are -1. */
  peekBytes(lin: number, n: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      const p = this.probe(lin + k);
      out.push(p < 0 ? -1 : this.physRead(p, 1));
    }
    return out;
  }

  // =====================================================================================
  // Segments and addresses

  /** Linear address of seg:offset where offset is already masked to the address size. */
  linear(seg: number, off: number): number {
    if (this.bits === 64) return seg >= 4 ? this.canon(this.segBase[seg] + off) : off;
    return (this.segBase[seg] + off) >>> 0;
  }

  /** Wraps a 64-bit sum into a signed canonical value; #GP(0) if it is not canonical. */
  canon(v: number): number {
    if (v >= 2 ** 63) v -= 2 ** 64;
    else if (v < -(2 ** 63)) v += 2 ** 64;
    if (v >= 2 ** 47 || v < -(2 ** 47)) throw new CpuFault(EXC.GP, 0);
    return v;
  }

  /** Selector to descriptor: returns [lo, hi] dwords, or throws #GP(selector). */
  readDescriptor(sel: number, vector = EXC.GP): [number, number] {
    const ti = sel & 4;
    const idx = sel & 0xfff8;
    const table = ti ? this.ldtr : this.gdtr;
    if (idx + 7 > table.limit) throw new CpuFault(vector, sel & 0xfffc);
    const base = table.base + idx;
    return [this.sysRead(base, 4), this.sysRead(base + 4, 4)];
  }

  /** Loads a segment register (ES..GS) following real/protected/long-mode rules. */
  loadSeg(seg: number, sel: number): void {
    sel &= 0xffff;
    if (!(this.cr0 & CR0.PE)) {
      this.segSel[seg] = sel;
      this.segBase[seg] = sel * 16;
      if (seg === 1) this.updateMode();
      return;
    }
    if ((sel & 0xfffc) === 0) {
      if (seg === 1 || (seg === 2 && !(this.bits === 64 && this.cpl !== 3))) throw new CpuFault(EXC.GP, 0);
      this.segSel[seg] = sel;
      this.segBase[seg] = seg >= 4 ? this.segBase[seg] : 0;
      this.segAttr[seg] = 0x10000; // unusable
      return;
    }
    const [lo, hi] = this.readDescriptor(sel);
    const attr = (hi >>> 8) & 0xf0ff;
    if (!(attr & 0x10)) throw new CpuFault(EXC.GP, sel & 0xfffc); // system descriptor
    if (!(attr & 0x80)) throw new CpuFault(seg === 2 ? EXC.SS : EXC.NP, sel & 0xfffc);
    this.setSegFromDescriptor(seg, sel, lo, hi);
    // set the accessed bit, as the CPU does
    if (!(attr & 1)) {
      const base = (sel & 4 ? this.ldtr.base : this.gdtr.base) + (sel & 0xfff8);
      this.sysWrite(base + 4, 4, hi | 0x100);
    }
  }

  setSegFromDescriptor(seg: number, sel: number, lo: number, hi: number): void {
    const base = ((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) >>> 0;
    let limit = (lo & 0xffff) | (hi & 0xf0000);
    if (hi & 0x800000) limit = limit * 4096 + 4095;
    this.segSel[seg] = sel;
    this.segBase[seg] = base; // in 64-bit mode FS/GS get the 32-bit descriptor base too (the MSRs set all 64 bits)
    this.segLimit[seg] = limit;
    this.segAttr[seg] = ((hi >>> 8) & 0xf0ff) | 1;
    if (seg === 1) this.updateMode();
  }

  // =====================================================================================
  // Stack

  get stackSize(): number {
    if (this.bits === 64) return 8;
    return this.segAttr[2] & 0x4000 ? 4 : 2;
  }

  /** Current stack pointer as an offset (masked to the stack size). */
  sp(): number {
    const ss = this.stackSize;
    if (ss === 8) return this.reg64(4);
    if (ss === 4) return this.r[4] >>> 0;
    return this.r[4] & 0xffff;
  }
  setSp(v: number): void {
    const ss = this.stackSize;
    if (ss === 8) this.setReg64(4, v);
    else if (ss === 4) this.r[4] = v | 0, (this.rh[4] = 0);
    else this.r[4] = (this.r[4] & ~0xffff) | (v & 0xffff);
  }

  push(size: number, v: number, vh = 0): void {
    const ss = this.stackSize;
    let sp = this.sp() - size;
    if (ss === 4) sp = sp >>> 0;
    else if (ss === 2) sp &= 0xffff;
    const lin = this.bits === 64 ? this.canonStack(sp) : this.linear(2, sp);
    this.write(lin, size, v, vh);
    this.setSp(sp);
  }

  pop(size: number): number {
    const sp = this.sp();
    const lin = this.bits === 64 ? this.canonStack(sp) : this.linear(2, sp);
    const v = this.read(lin, size);
    const h = this.vh;
    let nsp = sp + size;
    if (this.stackSize === 4) nsp = nsp >>> 0;
    else if (this.stackSize === 2) nsp &= 0xffff;
    this.setSp(nsp);
    this.vh = h;
    return v;
  }

  private canonStack(v: number): number {
    try {
      return this.canon(v);
    } catch {
      throw new CpuFault(EXC.SS, 0);
    }
  }

  // =====================================================================================
  // Fetch, decode, execute

  /** Linear address of the next instruction. */
  pcLinear(): number {
    return this.bits === 64 ? this.rip : (this.segBase[1] + this.rip) >>> 0;
  }

  /** Fetches and decodes the instruction at RIP, using the decoded-instruction cache. */
  fetch(): Instruction {
    const lin = this.pcLinear();
    const off = lin & 4095;
    const vpn = (lin - off) / 4096;
    let pbase: number;
    if (vpn * 2 + (this.cpl === 3 ? 1 : 0) === this.fetchTag) pbase = this.fetchPhys;
    else {
      pbase = this.xlate(lin, A_EXEC) - off;
      this.fetchTag = pbase + 4096 <= this.ram.length ? vpn * 2 + (this.cpl === 3 ? 1 : 0) : -1;
      this.fetchPhys = pbase;
    }
    const p = pbase + off;
    const page = pbase / 4096;
    const lines = page < this.icache.length ? this.icache[page] : undefined;
    if (lines !== undefined) {
      const hit = lines[off];
      if (hit !== undefined && hit.bitness === this.bits) {
        this.cached = hit;
        return hit;
      }
    }
    // Gather up to 15 bytes; the second page is translated only if needed.
    const buf = this.fetchBuf;
    let n = 0;
    const inPage = Math.min(15, 4096 - off);
    for (; n < inPage; n++) buf[n] = p + n < this.ram.length ? this.ram[p + n] : this.physRead(p + n, 1);
    let crosses = false;
    if (inPage < 15) {
      let res = decode(buf, 0, this.bits, this.rip, inPage);
      if (isDecodeError(res) && res.error === 'truncated') {
        crosses = true;
        const p2 = this.xlate(lin + inPage, A_EXEC);
        for (let k = 0; n < 15; n++, k++) buf[n] = this.physRead(p2 + k, 1);
        res = decode(buf, 0, this.bits, this.rip, 15);
      }
      return this.finishFetch(res, page, off, crosses);
    }
    return this.finishFetch(decode(buf, 0, this.bits, this.rip, 15), page, off, false);
  }

  /** the instruction most recently stored in the cache (links are made only to cached ones) */
  private cached: Instruction | null = null;

  private finishFetch(res: ReturnType<typeof decode>, page: number, off: number, crosses: boolean): Instruction {
    this.cached = null;
    if (isDecodeError(res)) {
      this.countUnsupported(this.fetchBuf.slice(0, Math.max(1, res.length)));
      throw new CpuFault(EXC.UD);
    }
    const spec = EXEC_OPTIONS.specialize && EXEC_OPTIONS.specializer ? EXEC_OPTIONS.specializer(res) : undefined;
    res.exec = spec ?? HANDLERS[res.mnemonic];
    if (!crosses && page < this.codePage.length) {
      let lines = this.icache[page];
      if (lines === undefined) lines = this.icache[page] = new Array(4096);
      lines[off] = res;
      res.hits = 0; // cached: may become a compiled block
      this.cached = res;
      this.codePage[page] = 1;
      let bits = this.codeBits[page];
      if (bits === undefined) bits = this.codeBits[page] = new Uint8Array(512);
      for (let k = off; k < off + res.length && k < 4096; k++) bits[k >> 3] |= 1 << (k & 7);
    }
    return res;
  }

  countUnsupported(bytes: Uint8Array): void {
    this.udCount++;
    const key = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    this.udByBytes.set(key, (this.udByBytes.get(key) ?? 0) + 1);
  }

  /** Advances RIP past `ins` (the handlers call this first; branches then overwrite RIP). */
  nextRip(ins: Instruction): number {
    const n = this.rip + ins.length;
    if (this.bits === 64) return n;
    return this.bits === 32 ? n >>> 0 : n & 0xffff;
  }

  /**
   * Runs up to `budget` instructions. Returns why it stopped. Exceptions are delivered through
   * the IDT; hooks (VMX) may leave early by throwing CpuStop, which propagates to the caller.
   */
  run(budget: number): StopReason {
    this.stopReason = null;
    let left = budget;
    const bps = this.breakpoints;
    let first = true;
    let prev: Instruction | null = null;
    let prevNext = -1;
    while (left > 0) {
      try {
        while (left > 0) {
          if (this.irqQueue.length !== 0 && this.shadow === 0 && this.flagsRaw & IF_BIT) {
            this.takeInterrupt();
            prev = null;
          }
          if (this.halted) return 'halted';
          if (bps.size !== 0) {
            const pc = this.pcLinear();
            if (bps.has(pc) && !(first && pc === this.resumeAt)) {
              this.resumeAt = pc;
              return 'breakpoint';
            }
          }
          if (first) this.resumeAt = -1;
          first = false;
          const rip = this.rip;
          this.ip0 = rip;
          // Follow the link from the previous instruction when translations and code are unchanged.
          let ins: Instruction | undefined;
          if (prev !== null) {
            if (prev.l1Rip === rip && prev.l1Epoch === this.epoch) ins = prev.l1Ins;
            else if (prev.l2Rip === rip && prev.l2Epoch === this.epoch) ins = prev.l2Ins;
          }
          if (ins === undefined) {
            ins = this.fetch();
            if (prev !== null && this.cached === ins) {
              if (prev.l1Epoch !== this.epoch || prev.l1Rip === undefined) {
                prev.l1Rip = rip; prev.l1Ins = ins; prev.l1Epoch = this.epoch;
              } else {
                prev.l2Rip = rip; prev.l2Ins = ins; prev.l2Epoch = this.epoch;
              }
            }
          }
          // Hot branch targets run as compiled blocks.
          const blk = ins.block;
          if (blk !== undefined) {
            if (blk !== null && blk.rip === rip && left >= blk.length && bps.size === 0) {
              let n: number;
              try {
                n = blk.fn(this, left);
              } catch (e) {
                this.icount += this.blockDone;
                left -= this.blockDone;
                throw e;
              }
              this.icount += n;
              left -= n;
              prev = null;
              prevNext = -1;
              continue;
            }
          } else if (rip !== prevNext && ins.hits !== undefined && ++ins.hits >= JIT_THRESHOLD) {
            ins.block = this.compile(ins, rip);
          }
          const n = rip + ins.length;
          const bits = this.bits;
          this.rip = prevNext = bits === 64 ? n : bits === 32 ? n >>> 0 : n & 0xffff;
          if (this.shadow !== 0) this.shadow = 0; // an STI/MOV SS shadow covers only the instruction after it
          const ex = ins.exec as Handler | undefined;
          if (ex === undefined) {
            this.countUnsupported(this.fetchBuf.slice(0, ins.length));
            throw new CpuFault(EXC.UD);
          }
          ex(this, ins);
          this.icount++;
          left--;
          if (this.stopReason !== null) {
            if (this.stopReason === 'vm-exit') this.icount--; // the exiting instruction did not retire
            return this.stopReason;
          }
          prev = ins;
        }
      } catch (e) {
        if (!(e instanceof CpuFault)) throw e;
        prev = null;
        prevNext = -1;
        this.rip = this.ip0;
        this.exception(e);
        left--;
        if (this.stopReason) return this.stopReason;
      }
    }
    return 'budget';
  }

  /** Compiles the block at `rip` (null if it is not worth it or not possible). */
  private compile(first: Instruction, rip: number): { fn: BlockFn; length: number; rip: number } | null {
    const compiler = EXEC_OPTIONS.compiler;
    if (!EXEC_OPTIONS.jit || !compiler || this.bits === 16) return null;
    let pbase: number;
    try {
      const lin = this.pcLinearOf(rip);
      pbase = this.xlate(lin, A_EXEC) - (lin & 4095);
    } catch {
      return null;
    }
    if (pbase + 4096 > this.ram.length) return null;
    const linBase = this.pcLinearOf(rip) - (this.pcLinearOf(rip) & 4095);
    const csBase = this.pcLinearOf(rip) - rip;
    const bits = this.bits;
    const decodeAt = (ip: number): Instruction | null => {
      const lin = csBase + ip;
      if (lin < linBase || lin >= linBase + 4096) return null;
      const res = decode(this.ram, pbase + (lin - linBase), bits, ip, pbase + 4096);
      return isDecodeError(res) ? null : res;
    };
    const out = compiler(first, rip, decodeAt);
    if (!out) return null;
    this.blocksCompiled++;
    return { fn: out.fn, length: out.length, rip };
  }

  private pcLinearOf(rip: number): number {
    return this.bits === 64 ? rip : (this.segBase[1] + rip) >>> 0;
  }

  /** Executes exactly one instruction (or delivers the exception it raises). */
  step(): StopReason {
    const saved = [...this.breakpoints];
    this.breakpoints.clear();
    try {
      return this.run(1);
    } finally {
      for (const b of saved) this.breakpoints.add(b);
    }
  }

  private takeInterrupt(): void {
    const v = this.irqQueue.shift()!;
    this.halted = false;
    this.deliver(v, -1, 'external');
  }

  /** Queues an external interrupt (delivered when RFLAGS.IF = 1 and no interrupt shadow). */
  raiseIrq(vector: number): void {
    this.irqQueue.push(vector);
  }

  /** Delivers an exception, applying the double- and triple-fault rules. */
  exception(f: CpuFault): void {
    this.lastException = { vector: f.vector, errorCode: f.errorCode, rip: this.rip };
    // in VMX non-root operation an exception set in the exception bitmap exits instead (CR2 untouched)
    if (this.nonRoot?.exceptionExit) this.nonRoot.exceptionExit(this, f.vector, f.errorCode, f.cr2 ?? 0, 0);
    if (f.vector === EXC.PF && f.cr2 !== undefined) this.cr2 = f.cr2;
    this.deliver(f.vector, f.errorCode, 'exception');
  }

  deliver(vector: number, errorCode: number, kind: 'exception' | 'software' | 'external' | 'int3'): void {
    this.delivering = kind === 'exception' ? vector : 256;
    try {
      deliverHook(this, vector, errorCode, kind);
      this.delivering = -1;
    } catch (e) {
      if (!(e instanceof CpuFault)) throw e;
      const first = this.delivering;
      this.delivering = -1;
      // a fault while delivering INT n / INT3 is reported at the INT instruction itself
      if (kind === 'software' || kind === 'int3') this.rip = this.ip0;
      if (first === EXC.DF) {
        this.triple();
        return;
      }
      if (e.vector === EXC.PF && e.cr2 !== undefined) this.cr2 = e.cr2;
      // SDM vol. 3 table 6-5: contributory+contributory and #PF+(contributory or #PF) give #DF.
      const contributory = (v: number) => v === 0 || (v >= 10 && v <= 13);
      const isDouble = (contributory(first) && contributory(e.vector)) || (first === EXC.PF && (contributory(e.vector) || e.vector === EXC.PF));
      if (isDouble) this.deliver(EXC.DF, 0, 'exception');
      else this.deliver(e.vector, e.errorCode, 'exception');
    }
  }

  triple(): void {
    this.delivering = -1;
    if (this.nonRoot) this.nonRoot.tripleFault(this);
    this.stopReason = 'triple-fault';
    this.halted = true;
  }
}

/** Interrupt delivery, installed by ./interrupts (kept apart to keep this file about state). */
export let deliverHook: (cpu: Cpu, vector: number, errorCode: number, kind: string) => void = () => {
  throw new Error('interrupt delivery not installed');
};
export function installDeliver(fn: typeof deliverHook): void {
  deliverHook = fn;
}

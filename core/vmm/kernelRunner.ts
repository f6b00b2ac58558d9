/** The kernel's GuestRunner for x86 VMs: core/x86's Vcpu runs each kernel VCPU object's guest. Guest-physical
 * memory is translated through the kernel's EPT structures (the EPT PML4 installed in the TCB, filled by the
 * capDL initialiser from the VM's `<map>` elements); the frames they reach are backed by one contiguous buffer
 * that is also installed into the system's physical memory, so the VMM PD (which maps the same frames) and the
 * guest share bytes. The kernel object's VMCS map and GPRs stay the source of truth between runs. */
import { tcbArchEPTRoot, VM_READ_WRITE, VMCS_BY_ENCODING_LIST, VMCS_GUEST_RIP, type GuestExit, type GuestRunner, type Kernel, type TableObj, type TcbObj, type VcpuObj } from './kernelApi';
import { Access, SEL4_QUALIFIED_EXITS, Vcpu, type EptResult, type EptTranslator } from '../x86';
import { SEL4_CONTEXT_ORDER } from './state';
import { decodeQualification, ExitRing, exitName, OUTCOME, type VmExitRecord } from './record';
import { signed64 } from './address';

const TWO32 = 0x1_0000_0000;

/** One EPT leaf: [gpa, gpa + size) → buffer offset, writable or not (EPT leaves are always readable/executable). */
interface EptLeaf {
  gpa: number;
  size: number;
  paddr: bigint;
  offset: number;
  writable: boolean;
}

/** Where the runner puts frame bytes (core/microkit's PhysicalMemory.adopt). */
export interface FrameStore {
  adopt(paddr: bigint, bytes: Uint8Array): void;
}

class LeafEpt implements EptTranslator {
  private readonly ok = { hostPhys: 0 };
  private readonly bad = { violation: 0 };
  private last: EptLeaf | null = null;
  constructor(readonly leaves: EptLeaf[]) {}

  find(gpa: number): EptLeaf | null {
    const l = this.last;
    if (l && gpa >= l.gpa && gpa < l.gpa + l.size) return l;
    for (const e of this.leaves) if (gpa >= e.gpa && gpa < e.gpa + e.size) return (this.last = e);
    return null;
  }

  translate(gpa: number, access: Access): EptResult {
    const e = this.find(gpa);
    if (!e) {
      this.bad.violation = 0;
      return this.bad;
    }
    if (access === Access.Write && !e.writable) {
      this.bad.violation = 8 | 32; // readable, executable
      return this.bad;
    }
    this.ok.hostPhys = e.offset + (gpa - e.gpa);
    return this.ok;
  }
}

/** Collect the leaves of an EPT (4 levels, entries by index). */
function eptLeaves(k: Kernel, rootId: number): Omit<EptLeaf, 'offset'>[] {
  const out: Omit<EptLeaf, 'offset'>[] = [];
  const walk = (id: number, level: number, base: number): void => {
    const t = k.objects[id] as TableObj | undefined;
    if (!t) return;
    const span = 2 ** (12 + 9 * (level - 1));
    for (const [i, e] of t.entries) {
      const gpa = base + i * span;
      if (e.table >= 0) walk(e.table, level - 1, gpa);
      else out.push({ gpa, size: 2 ** e.sizeBits, paddr: e.paddr, writable: e.vmRights === VM_READ_WRITE || e.vmRights === 1 });
    }
  };
  walk(rootId, 4, 0);
  return out.sort((a, b) => a.gpa - b.gpa);
}

interface VcpuContext {
  vcpu: Vcpu;
  halted: boolean;
  /** exits delivered to the VMM, by basic reason */
  counts: Map<number, number>;
  exits: number;
  last: ExitRing;
  trace: VmExitRecord[];
  /** the kernel VCPU's ioVersion the CPU model's I/O bitmap was built from */
  ioVersion: number;
}

/** VMX I/O bitmap (1 bit per port, 1 = exit) from the kernel's per-port "allowed" bytes, 8 ports at a time. */
function fillIoBitmap(bitmap: Uint8Array, allowedPorts: Uint8Array): void {
  const allowed = new Uint32Array(allowedPorts.buffer, allowedPorts.byteOffset, 16384);
  for (let w = 0; w < 16384; w += 2) {
    if ((allowed[w] | allowed[w + 1]) === 0) {
      bitmap[w >> 1] = 0xff;
      continue;
    }
    let b = 0xff;
    const p = w * 4;
    for (let j = 0; j < 8; j++) if (allowedPorts[p + j]) b &= ~(1 << j);
    bitmap[w >> 1] = b;
  }
}

/** What the runner saw of one VCPU's exits (whatever the VMM does with them). */
export interface RunnerExitView {
  exits: number;
  exitCounts: Record<string, number>;
  lastExits: ReturnType<ExitRing['list']>;
  trace: VmExitRecord[];
}

export class X86GuestRunner implements GuestRunner {
  private readonly contexts = new Map<number, VcpuContext>();
  /** guest instructions a run may execute before the host scheduler takes the core back */
  budget = 200_000;
  /** instructions run by the last `run` (the engine charges time for them) */
  lastInstructions = 0;
  /** record every exit (CLI --trace) */
  tracing = false;
  /** guest RIPs the guest stops at before executing them (core/sim's guest-rip breakpoints) */
  breakpoints: ReadonlySet<number> = new Set();
  /** the next run starts at a breakpoint the user continues from: do not stop there again */
  skipBreakpoint = false;
  /** the RIP the last run stopped at because of a breakpoint, else null */
  breakpointHit: number | null = null;
  /** the last run ended in a VM exit (or HLT) rather than at its budget or a breakpoint */
  lastExited = false;

  constructor(private readonly frames: FrameStore) {}

  /** Exit statistics of a kernel VCPU object. */
  exitView(v: VcpuObj): RunnerExitView | null {
    const c = this.contexts.get(v.id);
    if (!c) return null;
    const exitCounts: Record<string, number> = {};
    for (const [r, n] of [...c.counts].sort((a, b) => a[0] - b[0])) exitCounts[exitName(r)] = n;
    return { exits: c.exits, exitCounts, lastExits: c.last.list(), trace: c.trace };
  }

  private count(c: VcpuContext, reason: number, qual: number, gpa: number, rip: number): void {
    c.exits++;
    c.counts.set(reason, (c.counts.get(reason) ?? 0) + 1);
    c.last.push(reason, qual, gpa, rip, OUTCOME.DELIVERED);
    if (this.tracing) {
      c.trace.push({ seq: c.exits, reason, name: exitName(reason), qualification: qual, decoded: decodeQualification(reason, qual), guestPhysical: gpa, rip, outcome: 'delivered to the VMM' });
    }
  }

  /** The core/x86 VCPU behind a kernel VCPU object (created at its first run). */
  vcpuFor(v: VcpuObj): Vcpu | null {
    return this.contexts.get(v.id)?.vcpu ?? null;
  }

  /** Create the CPU model for a kernel VCPU and back its EPT's frames (call before the VMM touches guest RAM). */
  prepare(v: VcpuObj, t: TcbObj, k: Kernel): void {
    this.context(v, t, k);
  }

  private context(v: VcpuObj, t: TcbObj, k: Kernel): VcpuContext {
    let c = this.contexts.get(v.id);
    if (c) return c;
    const rootCap = k.slots.caps[t.slotBase + tcbArchEPTRoot];
    const raw = rootCap ? eptLeaves(k, rootCap.obj) : [];
    // back every distinct frame once, packed into one buffer
    const byPaddr = new Map<bigint, number>();
    let size = 0x1000;
    for (const l of raw) {
      if (byPaddr.has(l.paddr)) continue;
      byPaddr.set(l.paddr, size);
      size += l.size;
    }
    const bytes = new Uint8Array(size);
    for (const [paddr, off] of byPaddr) {
      const leaf = raw.find((l) => l.paddr === paddr)!;
      this.frames.adopt(paddr, bytes.subarray(off, off + leaf.size));
    }
    const leaves = raw.map((l) => ({ ...l, offset: byPaddr.get(l.paddr)! }));
    const vcpu = new Vcpu({ bytes });
    vcpu.ept = new LeafEpt(leaves);
    c = { vcpu, halted: false, counts: new Map(), exits: 0, last: new ExitRing(), trace: [], ioVersion: -1 };
    this.contexts.set(v.id, c);
    return c;
  }

  run(v: VcpuObj, t: TcbObj, k: Kernel): GuestExit | null {
    this.breakpointHit = null;
    this.lastExited = false;
    const bps = this.breakpoints;
    const skip = this.skipBreakpoint;
    this.skipBreakpoint = false;
    if (bps.size !== 0 && !skip) {
      const at = signed64(v.vmcs.get(VMCS_GUEST_RIP) ?? 0n);
      if (bps.has(at)) this.breakpointHit = at;
    }
    if (this.budget <= 0 || this.breakpointHit !== null) {
      // stopped before the first instruction (a breakpoint here, or a replayed stop of that kind)
      this.lastInstructions = 0;
      return null;
    }
    const c = this.context(v, t, k);
    const x = c.vcpu;
    const cpuBps = x.cpu.breakpoints;
    if (cpuBps.size !== 0 || bps.size !== 0) {
      cpuBps.clear();
      for (const b of bps) cpuBps.add(b);
    }
    // continuing from a hit: the CPU passes that one breakpoint once
    x.cpu.resumeAt = skip ? signed64(v.vmcs.get(VMCS_GUEST_RIP) ?? 0n) : -1;
    const vm = x.vmcs;
    // kernel VCPU object → CPU model
    // the signed view: the CPU model holds kernel-half addresses (RIP, RSP, bases) as negative numbers
    for (const [f, val] of v.vmcs) vm.write(f, signed64(val));
    const cpu = x.cpu;
    for (let i = 0; i < SEL4_CONTEXT_ORDER.length; i++) {
      const r = SEL4_CONTEXT_ORDER[i];
      const val = v.gpr[i];
      cpu.r[r] = Number(val & 0xffffffffn) | 0;
      cpu.rh[r] = Number(val >> 32n) | 0;
    }
    // I/O bitmap from the kernel's per-port "allowed" bytes, rebuilt only when the kernel changed them
    if (c.ioVersion !== v.ioVersion) {
      fillIoBitmap(x.ioBitmap, v.ioAllowed);
      c.ioVersion = v.ioVersion;
    }
    const r = x.enter(this.budget);
    this.lastInstructions = r.instructions;
    // CPU model → kernel VCPU object
    for (const f of VMCS_BY_ENCODING_LIST) {
      const val = vm.read(f);
      if (val !== 0 || v.vmcs.has(f)) v.vmcs.set(f, BigInt.asUintN(64, BigInt(Math.trunc(val))));
    }
    for (let i = 0; i < SEL4_CONTEXT_ORDER.length; i++) {
      const reg = SEL4_CONTEXT_ORDER[i];
      v.gpr[i] = (BigInt(cpu.rh[reg] >>> 0) << 32n) | BigInt(cpu.r[reg] >>> 0);
    }
    if (r.kind === 'budget' && bps.size !== 0 && r.instructions < this.budget && bps.has(x.cpu.rip)) this.breakpointHit = x.cpu.rip;
    this.lastExited = r.kind !== 'budget';
    if (r.kind === 'budget') {
      // the host took the core back (a timer tick: an external-interrupt exit the kernel handles itself); the guest
      // is entered again on its next slice. Reported as a VM entry so a guest that never exits still shows progress.
      if (k.hook) k.emit({ kind: 'vm-entry', tcb: t.id, rip: BigInt.asUintN(64, BigInt(Math.trunc(x.cpu.rip))) });
      return null;
    }
    if (r.kind !== 'exit') {
      // halted with nothing armed: reported as an HLT exit after the HLT (the VMM decides how to wait)
      this.count(c, 12, 0, 0, x.cpu.rip);
      return { reason: 12, qualification: 0n, instructionLength: 0n, guestPhysical: 0n };
    }
    const reason = r.reason & 0x80000000 ? 0xffff : r.reason;
    const gpa = r.guestPhysical < 0 ? r.guestPhysical + TWO32 : r.guestPhysical;
    const qual = SEL4_QUALIFIED_EXITS.has(reason) ? r.qualification : 0;
    if (reason !== 1) this.count(c, reason, qual, gpa, r.rip);
    return {
      reason,
      qualification: BigInt(Math.trunc(qual)),
      instructionLength: BigInt(r.instructionLength),
      guestPhysical: BigInt(gpa),
    };
  }
}

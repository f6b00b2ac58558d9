/** Listens to a simulation's trace events and keeps what the run views need, compactly: the VM-exit log (columns),
 * consoles (per PD, per VM, interleaved), the timeline (what ran on each core, with marks), and checks the VM-exit
 * and guest-RIP breakpoints the engine does not know. Replays (step back, go to) rebuild it event for event. */
import { FaultLabel, SEL4_VMENTER_CALL_EIP_MR, SEL4_VMENTER_FAULT_EAX, SEL4_VMENTER_FAULT_GUEST_PHYSICAL_MR, SEL4_VMENTER_FAULT_INSTRUCTION_LEN_MR, SEL4_VMENTER_FAULT_QUALIFICATION_MR, type VcpuObj } from '../kernel';
import type { IrqLine } from '../microkit';
import type { Simulation, TraceEvent } from '../sim';
import { decodeQualification, exitName, SEL4_CONTEXT_ORDER, signed64 } from '../vmm';
import { CR_ACCESS_TYPE, GPR_NAMES } from '../x86';
import { gpaName, hexNum, msrName, portName } from './deviceNames';
import { ExitLog } from './exitLog';
import type { SimBreakpoint, TimelineView } from './simMessages';

const MAX_CHUNKS = 4000;
const MAX_SEGMENTS = 100_000;
const MAX_MARKS = 50_000;
const MAX_CONSOLE = 1 << 20;
const EXIT_CPUID = 10, EXIT_CR = 28, EXIT_IO = 30, EXIT_EPT = 48, EXIT_RDMSR = 31, EXIT_WRMSR = 32;
/** CPUID leaves that read ECX as a subleaf (Intel SDM vol. 2A, CPUID); the others ignore it */
const CPUID_SUBLEAVES = new Set([4, 7, 0xb, 0xd, 0xf, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1a, 0x1b, 0x1d, 0x1e, 0x1f, 0x20, 0x23, 0x24, 0x8000001d, 0x80000020]);
/** libsel4's VMEnter fault message, as the kernel wrote it into the VMM's IPC buffer: message register i is word
 * 1 + i (word 0 is the tag); the guest's registers follow in seL4's context order (EAX, EBX, ECX, EDX, ...) */
const mr = (buf: BigUint64Array, i: number): bigint => buf[1 + i];
const contextMr = (gpr: number): number => SEL4_VMENTER_FAULT_EAX + (SEL4_CONTEXT_ORDER as readonly number[]).indexOf(gpr);
const EAX_MR = contextMr(0), ECX_MR = contextMr(1), EDX_MR = contextMr(2); // GPR numbers: rax, rcx, rdx
const low32 = (v: bigint): number => Number(v & 0xffffffffn);

const FAULT_NAMES = new Map<number, string>(Object.entries(FaultLabel).map(([name, label]) => [label, name]));
const lineWords = (l: IrqLine): string => (l.kind === 'line' ? `line ${l.irq}` : l.kind === 'ioapic' ? `IOAPIC pin ${l.pin}` : `MSI vector ${l.vector}`);

type Segment = TimelineView['segments'][number];
type Mark = TimelineView['marks'][number];

export class SimRecorder {
  readonly exits = new ExitLog();
  /** VM names, index = ExitLog.vm */
  readonly vmNames: string[];
  private readonly vmOfTcb = new Map<number, number>();
  private readonly pdOfTcb = new Map<number, string>();
  private readonly openExit = new Map<number, number>();
  output: Record<string, string> = {};
  serial: Record<string, string> = {};
  chunks: { who: string; vm: boolean; text: string }[] = [];
  segments: Segment[] = [];
  marks: Mark[] = [];
  private current: (Segment | null)[] = [];
  breakpoints: SimBreakpoint[] = [];
  /** set when a VM-exit or guest-RIP breakpoint matched; the service pauses the run */
  hit: { text: string; exit: number } | null = null;
  /** off while replaying (breakpoints do not stop a replay) */
  armed = true;
  /** stop at the next VM exit whatever its reason (run to next exit) */
  stopOnAnyExit = false;
  /** exit index whose VCPU state to keep when it happens (a replay to a chosen exit) */
  captureExit: number | null = null;
  /** the VCPU as it was at the hit or chosen exit, before the VMM handled it (the same step goes on to handle it) */
  captured: { exit: number; vm: string; vmcs: Map<number, bigint>; gpr: VcpuObj['gpr'] } | null = null;

  constructor(private readonly sim: Simulation) {
    const vms: string[] = [];
    for (const p of sim.state.pds) {
      this.pdOfTcb.set(p.tcb.id, p.pd.name);
      if (p.pd.virtualMachine) {
        this.vmOfTcb.set(p.tcb.id, vms.length);
        vms.push(p.pd.virtualMachine.name);
      }
    }
    this.pdOfTcb.set(sim.state.monitor.tcb.id, 'monitor');
    this.vmNames = vms;
  }

  clear(): void {
    this.exits.clear();
    this.openExit.clear();
    this.output = {};
    this.serial = {};
    this.chunks = [];
    this.segments = [];
    this.marks = [];
    this.current = [];
    this.hit = null;
    this.captured = null;
  }

  record(e: TraceEvent): void {
    switch (e.kind) {
      case 'vm-exit':
        return this.onExit(e);
      case 'vm-entry': {
        const open = this.openExit.get(e.tcb);
        if (open !== undefined) this.exits.resumed(open, e.time, signed64(e.rip));
        this.openExit.delete(e.tcb);
        const vm = this.vmOfTcb.get(e.tcb);
        this.ran(e.core, e.time, vm === undefined ? this.who(e.tcb) : this.vmNames[vm], 'guest');
        return;
      }
      case 'output':
        return this.onOutput(e.pd, e.text);
      case 'kernel-message':
        return this.onOutput('kernel', e.text);
      case 'device-output':
        // a board serial line (x86: COM1 driven by a PD's port I/O) is a serial console like a VM's
        return this.onOutput(e.device, e.text, true);
      case 'syscall':
      case 'invoke':
        return this.ran(e.core, e.time, this.who(e.tcb), 'pd');
      case 'entry':
        return this.ran(e.core, e.time, e.pd, 'pd');
      case 'notify':
        this.ran(e.core, e.time, e.pd, 'pd');
        return this.mark(e, 'notify', this.describe(e));
      case 'ppcall':
        this.ran(e.core, e.time, e.pd, 'pd');
        return this.mark(e, 'ppc', this.describe(e));
      case 'irq':
        this.ran(e.core, e.time, 'kernel', 'kernel');
        return this.mark(e, 'irq', this.describe(e));
      case 'fault':
        return this.mark(e, 'fault', this.describe(e));
      default:
        return;
    }
  }

  /** A trace event in words, with the SDF's names: marks on the timeline and what stopped a run. */
  describe(e: TraceEvent): string {
    switch (e.kind) {
      case 'notify':
        return `${e.pd} → ${e.to ?? '?'} (ch ${e.ch})`;
      case 'ppcall':
        return `${e.pd} ⇒ ${e.to ?? '?'} (ch ${e.ch})`;
      case 'entry':
        return `${e.pd}: ${e.entry}${e.ch !== null ? ` (ch ${e.ch})` : ''}`;
      case 'irq': {
        const bind = this.sim.state.irqs.find((i) => i.kernelIrq === e.irq);
        if (!bind) return `IRQ ${e.irq}`;
        return `IRQ ${e.irq} (${lineWords(bind.line)}) for ${this.sim.state.pds[bind.pdIndex].pd.name}, ch ${bind.id}`;
      }
      case 'fault':
        return `fault in ${this.who(e.tcb)}: ${FAULT_NAMES.get(e.label) ?? `label ${e.label}`}`;
      default:
        return e.kind;
    }
  }

  private who(tcb: number): string {
    return this.pdOfTcb.get(tcb) ?? `tcb ${tcb}`;
  }

  private onExit(e: Extract<TraceEvent, { kind: 'vm-exit' }>): void {
    // the kernel has just written libsel4's VMEnter result into the VMM's IPC buffer
    const buf = this.sim.state.kernel.tcb(e.tcb).buf;
    const vm = this.vmOfTcb.get(e.tcb) ?? 0;
    const reason = e.reason & 0xffff;
    const row = {
      seq: e.seq, time: e.time, step: this.sim.stepCount(), core: e.core, vm, reason,
      qualification: Number(mr(buf, SEL4_VMENTER_FAULT_QUALIFICATION_MR)), ilen: Number(mr(buf, SEL4_VMENTER_FAULT_INSTRUCTION_LEN_MR)),
      gpa: Number(mr(buf, SEL4_VMENTER_FAULT_GUEST_PHYSICAL_MR)),
      rip: signed64(mr(buf, SEL4_VMENTER_CALL_EIP_MR)), // the signed view: kernel-half RIPs stay exact
      eax: low32(mr(buf, EAX_MR)), ecx: low32(mr(buf, ECX_MR)), edx: low32(mr(buf, EDX_MR)),
    };
    const index = this.exits.push(row);
    this.openExit.set(e.tcb, index);
    const seg = this.current[e.core];
    if (seg && seg.mode === 'guest') this.close(e.core, e.time);
    this.ran(e.core, e.time, this.who(e.tcb), 'pd');
    this.mark(e, 'vm-exit', exitName(reason));
    if (this.armed && !this.hit) {
      const text = this.stopOnAnyExit ? `next VM exit: ${exitName(reason)} in ${this.vmNames[vm] ?? ''}` : this.matchExit(row, this.vmNames[vm] ?? '');
      if (text) this.hit = { text, exit: index };
    }
    if ((this.hit && this.hit.exit === index) || this.captureExit === index) this.capture(e.tcb, index, this.vmNames[vm] ?? '');
  }

  private matchExit(r: { reason: number; qualification: number; gpa: number; rip: number; ecx: number }, vm: string): string | null {
    for (const b of this.breakpoints) {
      if (b.kind === 'guest-rip' && r.rip === b.rip && (!b.vm || b.vm === vm)) return `guest RIP ${hexNum(r.rip)} in ${vm}`;
      if (b.kind !== 'vm-exit' || b.reason !== r.reason || (b.vm && b.vm !== vm)) continue;
      if (b.port !== undefined && (r.reason !== EXIT_IO || Math.floor(r.qualification / 65536) % 65536 !== b.port)) continue;
      if (b.gpa !== undefined && (r.reason !== EXIT_EPT || r.gpa !== b.gpa)) continue;
      // RDMSR/WRMSR: the MSR number is in ECX
      if (b.msr !== undefined && ((r.reason !== EXIT_RDMSR && r.reason !== EXIT_WRMSR) || r.ecx !== b.msr)) continue;
      return `VM exit ${exitName(r.reason)} in ${vm}`;
    }
    return null;
  }

  private capture(tcb: number, exit: number, vm: string): void {
    const k = this.sim.state.kernel;
    const v = k.objects[k.tcb(tcb).vcpu] as VcpuObj | undefined;
    if (v) this.captured = { exit, vm, vmcs: new Map(v.vmcs), gpr: v.gpr.slice() };
  }

  private onOutput(who: string, text: string, serialLine = false): void {
    const vm = serialLine || this.vmNames.includes(who);
    const into = vm ? this.serial : this.output;
    const all = (into[who] ?? '') + text;
    into[who] = all.length > MAX_CONSOLE ? all.slice(all.length - MAX_CONSOLE / 2) : all;
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.who === who) last.text += text;
    else {
      this.chunks.push({ who, vm, text });
      if (this.chunks.length > MAX_CHUNKS) this.chunks.splice(0, MAX_CHUNKS / 2);
    }
  }

  private ran(core: number, time: number, who: string, mode: Segment['mode']): void {
    const cur = this.current[core];
    if (cur && cur.who === who && cur.mode === mode) {
      cur.end = Math.max(cur.end, time);
      return;
    }
    this.close(core, time);
    const seg: Segment = { core, start: time, end: time, who, mode };
    this.current[core] = seg;
    this.segments.push(seg);
    if (this.segments.length > MAX_SEGMENTS) this.segments.splice(0, MAX_SEGMENTS / 2);
  }

  private close(core: number, time: number): void {
    const cur = this.current[core];
    if (cur) cur.end = Math.max(cur.end, time);
    this.current[core] = null;
  }

  private mark(e: TraceEvent, kind: Mark['kind'], label: string): void {
    this.marks.push({ time: e.time, core: e.core, kind, label, step: this.sim.stepCount() });
    if (this.marks.length > MAX_MARKS) this.marks.splice(0, MAX_MARKS / 2);
  }

  /** The qualification decoded with names: port and direction, EPT access and device, CR number; for exits without
   * one, what the guest asked: the CPUID leaf, the MSR (and the value a WRMSR writes). */
  describeQualification(reason: number, q: number, gpa: number, regs: { eax: number; ecx: number; edx: number } = { eax: 0, ecx: 0, edx: 0 }): string {
    if (reason === EXIT_CPUID) return `leaf ${hexNum(regs.eax)}${CPUID_SUBLEAVES.has(regs.eax) ? `, subleaf ${hexNum(regs.ecx)}` : ''}`;
    if (reason === EXIT_RDMSR || reason === EXIT_WRMSR) {
      const name = msrName(regs.ecx);
      const msr = `MSR ${hexNum(regs.ecx)}${name ? ` (${name})` : ''}`;
      if (reason === EXIT_RDMSR) return `read ${msr}`;
      return `write 0x${regs.edx.toString(16).padStart(8, '0')}${regs.eax.toString(16).padStart(8, '0')} to ${msr}`;
    }
    const f = decodeQualification(reason, q);
    if (reason === EXIT_CR) {
      const cr = `CR${f['control register']}`, reg = GPR_NAMES[f['register']];
      switch (f['access type']) {
        case CR_ACCESS_TYPE.MOV_TO_CR:
          return `mov to ${cr} from ${reg}`;
        case CR_ACCESS_TYPE.MOV_FROM_CR:
          return `mov from ${cr} to ${reg}`;
        case CR_ACCESS_TYPE.CLTS:
          return 'clts (clears CR0.TS)';
        default:
          return `lmsw ${hexNum(f['LMSW source data'])}${f['LMSW memory operand'] ? ' (memory operand)' : ''} into CR0`;
      }
    }
    if (reason === EXIT_IO) {
      const port = f['port'];
      const name = portName(port);
      return `${f['direction in'] ? 'in' : 'out'} port ${hexNum(port)}${name ? ` (${name})` : ''}, ${f['size-1'] + 1} byte${f['size-1'] ? 's' : ''}${f['string'] ? ', string' : ''}${f['rep'] ? ', rep' : ''}`;
    }
    if (reason === EXIT_EPT) {
      const acc = f['write'] ? 'write' : f['fetch'] ? 'fetch' : 'read';
      const name = gpaName(gpa);
      return `${acc} at ${hexNum(gpa)}${name ? ` (${name})` : ''}`;
    }
    const parts = Object.entries(f).filter(([, v]) => v !== 0).map(([k, v]) => `${k}=${v}`);
    return parts.join(' ');
  }
}

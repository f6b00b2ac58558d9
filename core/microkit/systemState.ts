/** The runtime's view of a built Microkit system: core/build's buildSystem creates every object the way the capDL
 * initialiser does (TCBs, SCs, CSpaces §D.3/§D.4, VSpaces, IRQ handlers, I/O ports) and starts the threads; this
 * file finds each PD's objects in that kernel state and adds what libmicrokit knows from its patched symbols
 * (channel/IRQ/port bitmasks, setvars) and the contents of physical memory (prefill data). */
import type { Board } from '../boards';
import { buildSystem, type BuildResult } from '../build';
import type { CNodeObj, EndpointObj, FrameObj, Kernel, NotificationObj, SchedContextObj, TableObj, TcbObj } from '../kernel';
import type { Diagnostic, ProtectionDomain, SystemDescription } from '../sdf';
import { PAGE } from './constants';
import { PhysicalMemory } from './memory';

export interface PdState {
  pd: ProtectionDomain;
  tcb: TcbObj;
  sc: SchedContextObj;
  ntfn: NotificationObj;
  ep: EndpointObj | null;
  vspace: TableObj;
  /** libmicrokit's patched bitmasks (§C.3) */
  notifications: bigint;
  pps: bigint;
  irqs: bigint;
  ioports: bigint;
  ipcBuffer: bigint;
  stackTop: bigint;
  stackBottom: bigint;
  /** setvar symbol -> value (§C.8) */
  setvars: Map<string, bigint>;
  /** channel id -> name of the PD at the other end (for traces and views) */
  peers: Map<number, string>;
  /** first kernel slot of the PD's Microkit CNode (small CPtrs index it directly) */
  cspaceBase: number;
}

export interface MonitorState {
  tcb: TcbObj;
  ep: EndpointObj;
  cspaceBase: number;
}

/** An interrupt source as a device names it: ARM/RISC-V line number, x86 IOAPIC pin or MSI vector. */
export type IrqLine = { kind: 'line'; irq: number } | { kind: 'ioapic'; pin: number } | { kind: 'msi'; vector: number };

export interface IrqBinding {
  /** kernel IRQ number (index into the kernel's IRQ tables) */
  kernelIrq: number;
  pdIndex: number;
  /** the PD's channel id for it */
  id: number;
  line: IrqLine;
}

export interface SystemState {
  kernel: Kernel;
  system: SystemDescription;
  board: Board;
  pds: PdState[];
  monitor: MonitorState;
  memory: PhysicalMemory;
  irqs: IrqBinding[];
  /** TCB object id -> pdIndex (-1 = monitor) */
  pdOfTcb: Map<number, number>;
  /** MR name -> physical base address (of its first frame) */
  mrPaddr: Map<string, bigint>;
  /** the build the state came from (spec, plan, description for views) */
  build: BuildResult;
}

export class BuildError extends Error {
  constructor(message: string, readonly diagnostics: Diagnostic[]) {
    super(message);
  }
}

function irqLine(irq: ProtectionDomain['irqs'][number]): IrqLine {
  return irq.kind === 'conventional' ? { kind: 'line', irq: Number(irq.irq) } : irq.kind === 'ioapic' ? { kind: 'ioapic', pin: Number(irq.pin) } : { kind: 'msi', vector: irq.vector };
}

function lineKey(l: IrqLine): string {
  return l.kind === 'line' ? `line:${l.irq}` : l.kind === 'ioapic' ? `ioapic:${l.pin}` : `msi:${l.vector}`;
}
export { lineKey as irqLineKey };

/** Build the system (throws BuildError with the build's diagnostics when it does not build). */
export function buildSystemState(system: SystemDescription, board: Board): SystemState {
  const res = buildSystem(system, { board });
  if (!res.ok || !res.kernel || !res.spec || !res.realised) {
    const first = res.diagnostics[0];
    throw new BuildError(first?.toolMessage ?? first?.message ?? 'the system did not build', res.diagnostics);
  }
  return fromBuild(system, board, res);
}

export function fromBuild(system: SystemDescription, board: Board, res: BuildResult): SystemState {
  const k: Kernel = res.kernel!;
  const spec = res.spec!;
  const real = res.realised!;
  const obj = <T>(o: { name: string } | null): T | null => {
    if (!o) return null;
    const id = real.kernelId.get(o as never);
    return id === undefined ? null : (k.objects[id] as T);
  };
  const must = <T>(o: { name: string } | null, what: string): T => {
    const v = obj<T>(o);
    if (!v) throw new Error(`build: no kernel object for ${what}`);
    return v;
  };
  const memory = new PhysicalMemory();

  // memory regions: frames in sequence order (frame_mr_<mr>_<seq>)
  const framesOf = new Map<string, FrameObj[]>();
  for (const o of [...spec.objects].filter((x) => x.kind === 'frame' && x.mr).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const f = obj<FrameObj>(o);
    if (!f || !o.name.startsWith('frame_mr_')) continue;
    const list = framesOf.get(o.mr!) ?? [];
    list.push(f);
    framesOf.set(o.mr!, list);
  }
  const mrPaddr = new Map<string, bigint>();
  for (const mr of system.memoryRegions) {
    const frames = framesOf.get(mr.name);
    mrPaddr.set(mr.name, mr.physAddr ?? frames?.[0]?.paddr ?? 0n);
    if (mr.prefill && mr.prefill.kind === 'file' && frames) {
      const data = mr.prefill.data;
      const page = Number(mr.pageSize);
      data.forEach((byte, i) => {
        const f = frames[Math.floor(i / page)];
        if (f) memory.write(f.paddr + BigInt(i % page), 1, BigInt(byte));
      });
    }
  }
  const mrByName = new Map(system.memoryRegions.map((m) => [m.name, m]));

  const mon = spec.monitor;
  const monTcb = must<TcbObj>(mon.tcb, 'the monitor TCB');
  const pdOfTcb = new Map<number, number>([[monTcb.id, -1]]);
  const pds: PdState[] = system.protectionDomains.map((pd) => {
    const o = spec.pds.find((p) => p.pdIndex === pd.pdIndex)!;
    const tcb = must<TcbObj>(o.tcb, `tcb_${pd.name}`);
    pdOfTcb.set(tcb.id, pd.pdIndex);
    const state: PdState = {
      pd, tcb,
      sc: must<SchedContextObj>(o.sc, `sched_context_${pd.name}`),
      ntfn: must<NotificationObj>(o.notification, `ntfn_${pd.name}`),
      ep: obj<EndpointObj>(o.endpoint),
      vspace: must<TableObj>(o.vspace, `the VSpace of ${pd.name}`),
      notifications: 0n, pps: 0n, irqs: 0n, ioports: 0n,
      ipcBuffer: o.ipcBuffer, stackTop: o.ipcBuffer - PAGE, stackBottom: o.stackBottom,
      setvars: new Map(), peers: new Map(),
      cspaceBase: must<CNodeObj>(o.cnode, `cnode_${pd.name}`).slotBase,
    };
    for (const irq of pd.irqs) state.irqs |= 1n << BigInt(irq.id);
    for (const io of pd.ioports) state.ioports |= 1n << BigInt(io.id);
    return state;
  });

  for (const ch of system.channels) {
    for (let i = 0; i < 2; i++) {
      const a = ch.ends[i];
      const z = ch.ends[1 - i];
      const sa = pds[a.pdIndex];
      sa.peers.set(a.id, z.pd);
      if (a.notify) sa.notifications |= 1n << BigInt(a.id);
      if (a.pp) sa.pps |= 1n << BigInt(a.id);
    }
  }

  // IRQs: the build knows each handler's kernel IRQ; its notification cap says whose and which id (badge 1 << id)
  const irqs: IrqBinding[] = [];
  for (const o of spec.irqs) {
    const n = o.slots.get(0);
    const kernelIrq = real.kernelIrq.get(o);
    if (!n || kernelIrq === undefined) continue;
    const owner = pds.find((p) => real.kernelId.get(n.obj) === p.ntfn.id);
    if (!owner) continue;
    const id = (n.badge ?? 0n).toString(2).length - 1;
    const src = owner.pd.irqs.find((i) => i.id === id);
    if (src) irqs.push({ kernelIrq, pdIndex: owner.pd.pdIndex, id, line: irqLine(src) });
  }

  // setvars (§C.8)
  for (const s of pds) {
    for (const sv of s.pd.setvars) {
      const v = sv.value;
      let value: bigint;
      switch (v.kind) {
        case 'map_vaddr': value = v.vaddr; break;
        case 'map_size': value = mrByName.get(v.mr)?.size ?? 0n; break;
        case 'map_prefill_size': {
          const p = mrByName.get(v.mr)?.prefill;
          value = p && p.kind === 'file' ? BigInt(p.data.length) : 0n;
          break;
        }
        case 'region_paddr': value = mrPaddr.get(v.mr) ?? 0n; break;
        case 'ioport_addr': value = v.addr; break;
        default: value = BigInt(v.id);
      }
      s.setvars.set(sv.symbol, value);
    }
  }

  const monEp = must<EndpointObj>(mon.endpoint, 'the monitor fault endpoint');
  const monitor: MonitorState = { tcb: monTcb, ep: monEp, cspaceBase: must<CNodeObj>(mon.cnode, 'cnode_monitor').slotBase };
  return { kernel: k, system, board, pds, monitor, memory, irqs, pdOfTcb, mrPaddr, build: res };
}

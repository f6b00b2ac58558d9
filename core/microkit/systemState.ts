/** The initial kernel state of a Microkit system: every PD's TCB, SC, notification, endpoint, reply object,
 * CSpace (root CNode + Microkit CNode, §D.3), VSpace with its maps, IRQ handlers and I/O ports, and the monitor
 * (§D.4) — laid out as the Microkit tool's capDL spec describes, created directly on the kernel model.
 * (A small adapter until core/build's buildSystem is usable; see SIMPLIFICATIONS.md.) */
import type { Board } from '../boards';
import {
  Cap, CapKind, Kernel, ObjectType, RIGHT_GRANT, RIGHT_GRANT_REPLY, RIGHT_READ, RIGHT_WRITE, tcbCTable, tcbFaultHandler, tcbVTable,
  ThreadState, VM_READ_ONLY, VM_READ_WRITE, type CNodeObj, type EndpointObj, type NotificationObj, type ReplyObj,
  type SchedContextObj, type TableObj, type TcbObj, type VcpuObj,
} from '../kernel';
import type { ProtectionDomain, SystemDescription } from '../sdf';
import {
  BASE_ENDPOINT_CAP, BASE_IOPORT_CAP, BASE_IRQ_CAP, BASE_OUTPUT_NOTIFICATION_CAP, BASE_TCB_CAP, BASE_VCPU_CAP, FAULT_BADGE_BIT,
  FAULT_EP_CAP, INPUT_CAP, MON_BASE_NOTIFICATION_CAP, MON_BASE_PD_TCB_CAP, MON_BASE_SCHED_CONTEXT_CAP, MON_FAULT_EP_CAP, MON_REPLY_CAP,
  MONITOR_BUDGET_US, MONITOR_EP, MONITOR_PRIORITY, PAGE, PD_CAP_BITS, PD_ROOT_CAP_BITS, PPC_BADGE_BIT, PROGRAM_ENTRY, REPLY_CAP,
  VSPACE_CAP,
} from './constants';
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
  /** MR name -> physical base address */
  mrPaddr: Map<string, bigint>;
}

const ALL_EP_RIGHTS = RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT | RIGHT_GRANT_REPLY;

function lineKey(l: IrqLine): string {
  return l.kind === 'line' ? `line:${l.irq}` : l.kind === 'ioapic' ? `ioapic:${l.pin}` : `msi:${l.vector}`;
}
export { lineKey as irqLineKey };

class Builder {
  private nextPaddr = 0x8000_0000n;
  constructor(readonly k: Kernel) {}

  obj<T>(type: number, sizeBits: number): T {
    const size = 1n << BigInt(sizeBits);
    const paddr = (this.nextPaddr + size - 1n) & ~(size - 1n);
    this.nextPaddr = paddr + size;
    return this.k.newObject(type, paddr, sizeBits) as T;
  }

  cap(kind: number, obj: { id: number; paddr: bigint; sizeBits: number } | null, rights = 0, badge = 0n): Cap {
    const c = new Cap();
    c.kind = kind as Cap['kind'];
    if (obj) {
      c.obj = obj.id;
      c.paddr = obj.paddr;
      c.sizeBits = obj.sizeBits;
    }
    c.rights = rights;
    c.badge = badge;
    return c;
  }

  put(slot: number, c: Cap): void {
    this.k.slots.insert(slot, c, -1, true, true);
  }

  cnode(radix: number): CNodeObj {
    return this.obj<CNodeObj>(ObjectType.seL4_CapTableObject, radix + 5);
  }

  cnodeCap(cn: CNodeObj, radix: number, guardSize: number): Cap {
    const c = this.cap(CapKind.CNode, cn, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT | RIGHT_GRANT_REPLY);
    c.radix = radix;
    c.guardSize = guardSize;
    c.guard = 0n;
    return c;
  }
}

function levelIndex(vaddr: bigint, level: number): number {
  return Number((vaddr >> BigInt(12 + 9 * (level - 1))) & 511n);
}

function mapPage(b: Builder, root: TableObj, vaddr: bigint, paddr: bigint, sizeBits: number, writable: boolean): void {
  const leafLevel = sizeBits === 21 ? 2 : 1;
  let table = root;
  const types = [0, ObjectType.seL4_X86_PageTableObject, ObjectType.seL4_X86_PageDirectoryObject, ObjectType.seL4_X86_PDPTObject];
  for (let level = 4; level > leafLevel; level--) {
    const idx = levelIndex(vaddr, level);
    const e = table.entries.get(idx);
    if (e && e.table >= 0) {
      table = b.k.objects[e.table] as TableObj;
      continue;
    }
    const child = b.obj<TableObj>(types[level - 1], 12);
    child.parent = table.id;
    child.parentIndex = idx;
    table.entries.set(idx, { table: child.id, paddr: child.paddr, sizeBits: 12, vmRights: VM_READ_WRITE, attr: 0 });
    table = child;
  }
  table.entries.set(levelIndex(vaddr, leafLevel), { table: -1, paddr, sizeBits, vmRights: writable ? VM_READ_WRITE : VM_READ_ONLY, attr: 0 });
}

/** Physical placement of memory regions: fixed ones at their address, the rest packed into the board's largest RAM range. */
function placeRegions(system: SystemDescription, board: Board): Map<string, bigint> {
  const ram = [...board.ram].sort((a, b) => (b.end - b.start > a.end - a.start ? 1 : -1))[0];
  let next = ram ? ram.start + 0x100_0000n : 0x1000_0000n;
  const out = new Map<string, bigint>();
  for (const mr of system.memoryRegions) {
    if (mr.physAddr !== null) {
      out.set(mr.name, mr.physAddr);
      continue;
    }
    const a = (next + mr.pageSize - 1n) & ~(mr.pageSize - 1n);
    out.set(mr.name, a);
    next = a + mr.size;
  }
  return out;
}

/** Kernel IRQ number for an SDF irq: x86 vectors are offset by 16 (IRQ_OFFSET); ARM/RISC-V numbers fold into the table. */
function kernelIrqOf(irq: ProtectionDomain['irqs'][number], used: Set<number>): number {
  let n = irq.kind === 'conventional' ? Number(irq.irq) : irq.vector + 16;
  if (n >= 256 || used.has(n)) {
    n = 255;
    while (used.has(n)) n--;
  }
  used.add(n);
  return n;
}

export function buildSystemState(system: SystemDescription, board: Board, opts: { cores?: number } = {}): SystemState {
  const maxCpu = Math.max(0, ...system.protectionDomains.map((p) => p.cpu));
  const k = new Kernel({ cores: Math.max(opts.cores ?? board.kernel.cores, maxCpu + 1) });
  k.board = board;
  const b = new Builder(k);
  const memory = new PhysicalMemory();
  const mrPaddr = placeRegions(system, board);
  const mrByName = new Map(system.memoryRegions.map((m) => [m.name, m]));
  const userTop = board.kernel.userTop;

  // ---- monitor ----
  const monTcb = b.obj<TcbObj>(ObjectType.seL4_TCBObject, 11);
  const monEp = b.obj<EndpointObj>(ObjectType.seL4_EndpointObject, 4);
  const monReply = b.obj<ReplyObj>(ObjectType.seL4_ReplyObject, 5);
  const monSc = b.obj<SchedContextObj>(ObjectType.seL4_SchedContextObject, 8);
  const monCn = b.cnode(9);
  b.put(monTcb.slotBase + tcbCTable, b.cnodeCap(monCn, 9, 64 - 9));
  b.put(monCn.slotBase + MON_FAULT_EP_CAP, b.cap(CapKind.Endpoint, monEp, ALL_EP_RIGHTS));
  b.put(monCn.slotBase + MON_REPLY_CAP, b.cap(CapKind.Reply, monReply, ALL_EP_RIGHTS));
  monTcb.prio = monTcb.mcp = MONITOR_PRIORITY;
  monTcb.core = 0;
  monTcb.name = 'monitor';
  monTcb.ipcBufferVaddr = (userTop & ~0xfffn) - PAGE;
  monTcb.regs[0] = PROGRAM_ENTRY;
  configureSc(monSc, MONITOR_BUDGET_US, MONITOR_BUDGET_US, 0, 0n);
  bindSc(monSc, monTcb);

  const pdOfTcb = new Map<number, number>([[monTcb.id, -1]]);
  const pds: PdState[] = [];
  const usedIrqs = new Set<number>();
  const irqs: IrqBinding[] = [];

  // ---- objects per PD ----
  for (const pd of system.protectionDomains) {
    const tcb = b.obj<TcbObj>(ObjectType.seL4_TCBObject, 11);
    const sc = b.obj<SchedContextObj>(ObjectType.seL4_SchedContextObject, 8);
    const ntfn = b.obj<NotificationObj>(ObjectType.seL4_NotificationObject, 6);
    const isPpTarget = system.channels.some((c) => c.ends.some((e, i) => e.pdIndex === pd.pdIndex && c.ends[1 - i].pp));
    const ep = isPpTarget || pd.childIndices.length > 0 || pd.virtualMachine ? b.obj<EndpointObj>(ObjectType.seL4_EndpointObject, 4) : null;
    const vspace = b.obj<TableObj>(ObjectType.seL4_X64_PML4Object, 12);
    const ipcBuffer = (userTop & ~0xfffn) - PAGE;
    const stackTop = ipcBuffer - PAGE;
    const stackBottom = stackTop - pd.stackSize;
    tcb.prio = tcb.mcp = pd.priority;
    tcb.core = pd.cpu;
    tcb.domain = pd.domain?.id ?? 0;
    tcb.name = pd.name;
    tcb.ipcBufferVaddr = ipcBuffer;
    tcb.regs[0] = PROGRAM_ENTRY;
    tcb.regs[1] = stackTop;
    configureSc(sc, pd.budget, pd.period, pd.cpu, 0x100n + BigInt(pd.pdIndex));
    bindSc(sc, tcb);
    ntfn.boundTcb = tcb.id;
    tcb.boundNtfn = ntfn.id;
    pdOfTcb.set(tcb.id, pd.pdIndex);
    pds.push({
      pd, tcb, sc, ntfn, ep, vspace, notifications: 0n, pps: 0n, irqs: 0n, ioports: 0n, ipcBuffer, stackTop, stackBottom,
      setvars: new Map(), peers: new Map(), cspaceBase: -1,
    });
  }

  // ---- CSpaces ----
  const cnodes: CNodeObj[] = [];
  for (const s of pds) {
    const root = b.cnode(PD_ROOT_CAP_BITS);
    const cn = b.cnode(PD_CAP_BITS);
    cnodes.push(cn);
    s.cspaceBase = cn.slotBase;
    b.put(s.tcb.slotBase + tcbCTable, b.cnodeCap(root, PD_ROOT_CAP_BITS, 0));
    b.put(root.slotBase + 0, b.cnodeCap(cn, PD_CAP_BITS, 64 - PD_CAP_BITS - PD_ROOT_CAP_BITS));
    const vsCap = b.cap(CapKind.PML4, s.vspace, RIGHT_READ | RIGHT_WRITE);
    vsCap.mapped = true;
    b.put(s.tcb.slotBase + tcbVTable, vsCap);
    const slot = (i: number): number => cn.slotBase + i;
    b.put(slot(INPUT_CAP), s.ep ? b.cap(CapKind.Endpoint, s.ep, ALL_EP_RIGHTS) : b.cap(CapKind.Notification, s.ntfn, RIGHT_READ | RIGHT_WRITE));
    const parent = s.pd.parentIndex === null ? null : pds[s.pd.parentIndex];
    const faultCap = parent
      ? b.cap(CapKind.Endpoint, parent.ep!, ALL_EP_RIGHTS, (1n << FAULT_BADGE_BIT) | BigInt(s.pd.id ?? 0))
      : b.cap(CapKind.Endpoint, monEp, ALL_EP_RIGHTS, BigInt(s.pd.pdIndex + 1));
    b.put(slot(FAULT_EP_CAP), faultCap);
    b.put(s.tcb.slotBase + tcbFaultHandler, faultCap.clone());
    b.put(slot(VSPACE_CAP), vsCap.clone());
    const reply = b.obj<ReplyObj>(ObjectType.seL4_ReplyObject, 5);
    b.put(slot(REPLY_CAP), b.cap(CapKind.Reply, reply, ALL_EP_RIGHTS));
    if (s.pd.passive) b.put(slot(MONITOR_EP), b.cap(CapKind.Endpoint, monEp, ALL_EP_RIGHTS, BigInt(s.pd.pdIndex + 1)));
    // children
    for (const ci of s.pd.childIndices) {
      const child = pds[ci];
      b.put(slot(BASE_TCB_CAP + (child.pd.id ?? 0)), b.cap(CapKind.TCB, child.tcb, ALL_EP_RIGHTS));
    }
    // IRQs
    for (const irq of s.pd.irqs) {
      const kirq = kernelIrqOf(irq, usedIrqs);
      k.irqState[kirq] = 1;
      k.irqMasked[kirq] = 1; // unmasked by the first ack after init (§C.2 step 3)
      b.put(k.irqSlotBase + kirq, b.cap(CapKind.Notification, s.ntfn, RIGHT_WRITE, 1n << BigInt(irq.id)));
      const h = b.cap(CapKind.IRQHandler, null);
      h.irq = kirq;
      b.put(slot(BASE_IRQ_CAP + irq.id), h);
      s.irqs |= 1n << BigInt(irq.id);
      const line: IrqLine =
        irq.kind === 'conventional' ? { kind: 'line', irq: Number(irq.irq) } : irq.kind === 'ioapic' ? { kind: 'ioapic', pin: Number(irq.pin) } : { kind: 'msi', vector: irq.vector };
      irqs.push({ kernelIrq: kirq, pdIndex: s.pd.pdIndex, id: irq.id, line });
    }
    // I/O ports
    for (const io of s.pd.ioports) {
      const c = b.cap(CapKind.IOPort, null);
      c.first = Number(io.addr);
      c.last = Number(io.addr + io.size - 1n);
      for (let p = c.first; p <= c.last; p++) k.ioPortIssued[p] = 1;
      b.put(slot(BASE_IOPORT_CAP + io.id), c);
      s.ioports |= 1n << BigInt(io.id);
    }
    // x86 VM: one VCPU bound to the VMM's own TCB (§C.7); the guest side plugs in through the kernel's GuestRunner
    const vm = s.pd.virtualMachine;
    if (vm) {
      for (const v of vm.vcpus) {
        const vcpu = b.obj<VcpuObj>(ObjectType.seL4_X86_VCPUObject, 14);
        vcpu.tcb = s.tcb.id;
        s.tcb.vcpu = vcpu.id;
        b.put(slot(BASE_VCPU_CAP + v.id), b.cap(CapKind.VCPU, vcpu, ALL_EP_RIGHTS));
      }
    }
    // VSpace: stack, IPC buffer, then every map
    for (let va = s.stackBottom; va < s.stackTop; va += PAGE) mapPage(b, s.vspace, va, b.obj<{ paddr: bigint }>(ObjectType.seL4_X86_4K, 12).paddr, 12, true);
    mapPage(b, s.vspace, s.ipcBuffer, b.obj<{ paddr: bigint }>(ObjectType.seL4_X86_4K, 12).paddr, 12, true);
    for (const m of s.pd.maps) {
      const mr = mrByName.get(m.mr)!;
      const base = mrPaddr.get(m.mr)!;
      const bits = mr.pageSize === 0x200000n ? 21 : 12;
      for (let off = 0n; off < mr.size; off += mr.pageSize) mapPage(b, s.vspace, m.vaddr + off, base + off, bits, m.perms.write);
    }
  }

  // ---- channels ----
  for (const ch of system.channels) {
    for (let i = 0; i < 2; i++) {
      const a = ch.ends[i];
      const z = ch.ends[1 - i];
      const sa = pds[a.pdIndex];
      const sz = pds[z.pdIndex];
      const cn = cnodes[a.pdIndex];
      sa.peers.set(a.id, z.pd);
      if (a.notify) {
        b.put(cn.slotBase + BASE_OUTPUT_NOTIFICATION_CAP + a.id, b.cap(CapKind.Notification, sz.ntfn, RIGHT_READ | RIGHT_WRITE, 1n << BigInt(z.id)));
        sa.notifications |= 1n << BigInt(a.id);
      }
      if (a.pp) {
        b.put(cn.slotBase + BASE_ENDPOINT_CAP + a.id, b.cap(CapKind.Endpoint, sz.ep!, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT, (1n << PPC_BADGE_BIT) | BigInt(z.id)));
        sa.pps |= 1n << BigInt(a.id);
      }
    }
  }

  // ---- monitor caps to every PD ----
  for (const s of pds) {
    const i = s.pd.pdIndex;
    b.put(monCn.slotBase + MON_BASE_PD_TCB_CAP + i, b.cap(CapKind.TCB, s.tcb, ALL_EP_RIGHTS));
    if (s.pd.passive) {
      b.put(monCn.slotBase + MON_BASE_SCHED_CONTEXT_CAP + i, b.cap(CapKind.SchedContext, s.sc, ALL_EP_RIGHTS));
      b.put(monCn.slotBase + MON_BASE_NOTIFICATION_CAP + i, b.cap(CapKind.Notification, s.ntfn, RIGHT_READ | RIGHT_WRITE));
    }
  }

  // ---- setvars (§C.8) ----
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

  // ---- prefill data ----
  for (const mr of system.memoryRegions) {
    if (mr.prefill && mr.prefill.kind === 'file') {
      const base = mrPaddr.get(mr.name)!;
      mr.prefill.data.forEach((byte, i) => memory.write(base + BigInt(i), 1, BigInt(byte)));
    }
  }

  // The monitor is the first thread to run (core 0); the PDs start when it resumes them (see startThreads).
  monTcb.state = ThreadState.Running;
  k.current[0] = monTcb.id;
  return { kernel: k, system, board, pds, monitor: { tcb: monTcb, ep: monEp, cspaceBase: monCn.slotBase }, memory, irqs, pdOfTcb, mrPaddr };
}

function configureSc(sc: SchedContextObj, budget: bigint, period: bigint, core: number, badge: bigint): void {
  sc.budget = budget;
  sc.period = budget === period ? 0n : period;
  sc.remaining = budget;
  sc.configured = true;
  sc.core = core;
  sc.badge = badge;
}

function bindSc(sc: SchedContextObj, t: TcbObj): void {
  sc.tcb = t.id;
  t.sc = sc.id;
  t.core = sc.core;
}

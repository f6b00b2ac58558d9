/** Invariants every build must satisfy, checked against the kernel state (used by the tests):
 * caps point to live objects, objects do not overlap and lie where the plan put them inside their
 * untypeds, mappings point into RAM or the region's phys_addr, and every PD's CSpace has the D.3
 * layout computed from the SDF alone. */
import { expect } from 'vitest';
import { findBoard } from '../boards';
import { listCaps, listObjects } from '../kernel';
import type { SystemDescription } from '../sdf';
import type { BuildResult } from './build';

const B = (n: bigint | number) => BigInt(n);

export function checkInvariants(system: SystemDescription, res: BuildResult): void {
  const k = res.kernel!;
  const d = res.description!;
  // every cap names a live object
  for (const c of listCaps(k)) {
    if (c.cap.obj >= 0) expect(k.objects[c.cap.obj]?.alive, `cap in slot ${c.slot} → object ${c.cap.obj}`).toBe(true);
  }
  // no two memory objects overlap
  const objs = listObjects(k).filter((o) => o.sizeBits > 0).sort((a, b) => (a.paddr < b.paddr ? -1 : a.paddr > b.paddr ? 1 : 0));
  for (let i = 1; i < objs.length; i++) {
    const prevEnd = objs[i - 1].paddr + (1n << B(objs[i - 1].sizeBits));
    expect(objs[i].paddr >= prevEnd, `object ${objs[i].id} at 0x${objs[i].paddr.toString(16)} overlaps ${objs[i - 1].id}`).toBe(true);
  }
  // every planned object is where the plan says, inside its untyped
  const uts = res.booted!.bootinfo.untypedList;
  for (const op of res.plan!.ops) {
    const u = uts[op.ut];
    expect(op.paddr >= u.paddr && op.paddr + (1n << B(op.sizeBits)) <= u.paddr + (1n << B(u.sizeBits))).toBe(true);
    // (A/R page tables are untyped stand-ins; their kernel VSpace is an x86 shadow, SIMPLIFICATIONS.md)
    if (op.obj && !(op.obj.kind === 'page_table' && d.arch !== 'x86_64')) {
      const kid = res.realised!.kernelId.get(op.obj);
      if (kid !== undefined) expect(k.objects[kid]!.paddr).toBe(op.paddr);
    }
  }
  // mappings: frames in RAM, or inside their region's phys_addr
  const board = findBoard(d.board)!;
  const mrs = new Map(system.memoryRegions.map((m) => [m.name, m]));
  for (const as of d.addressSpaces) {
    for (const m of as.mappings) {
      const p = BigInt(m.paddr);
      const size = BigInt(m.size);
      const mr = m.mr ? mrs.get(m.mr) : undefined;
      if (mr?.physAddr != null) expect(p >= mr.physAddr && p + size <= mr.physAddr + mr.size, `${as.name} ${m.addr}`).toBe(true);
      else expect(board.ram.some((r) => p >= r.start && p + size <= r.end), `${as.name} ${m.addr} → ${m.paddr}`).toBe(true);
    }
  }
  // the physical memory map: apart from the board's named devices, no two ranges overlap
  const ranges = d.physicalMemory.filter((r) => r.kind !== 'device').map((r) => ({ ...r, s: BigInt(r.start), e: BigInt(r.end) }));
  ranges.sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : 0));
  for (let i = 1; i < ranges.length; i++) {
    expect(ranges[i].s >= ranges[i - 1].e, `${ranges[i - 1].kind} ${ranges[i - 1].start}..${ranges[i - 1].end} overlaps ${ranges[i].kind} ${ranges[i].start}`).toBe(true);
  }
  checkSlotLayout(system, res);
}

/** Expected D.3 layout, computed from the SDF alone, compared with the caps the kernel holds. */
function checkSlotLayout(system: SystemDescription, res: BuildResult): void {
  const d = res.description!;
  const pds = system.protectionDomains;
  const ppcTarget = new Set<number>();
  for (const ch of system.channels) {
    if (ch.ends[0].pp) ppcTarget.add(ch.ends[1].pdIndex);
    if (ch.ends[1].pp) ppcTarget.add(ch.ends[0].pdIndex);
  }
  for (const pd of pds) {
    const got = new Map(d.pds[pd.pdIndex].caps.map((c) => [c.slot, c]));
    const expectCap = (slot: number, type: string, name: string | null, badge?: bigint): void => {
      const c = got.get(slot);
      expect(c, `${pd.name} slot ${slot}`).toBeDefined();
      expect(c!.capType, `${pd.name} slot ${slot}`).toBe(type);
      if (name) expect(c!.objectName, `${pd.name} slot ${slot}`).toBe(name);
      if (badge !== undefined) expect(c!.badge, `${pd.name} slot ${slot} badge`).toBe(`0x${badge.toString(16)}`);
      got.delete(slot);
    };
    const needsEp = pd.childIndices.length > 0 || pd.virtualMachine !== null || ppcTarget.has(pd.pdIndex);
    expectCap(1, needsEp ? 'Endpoint' : 'Notification', needsEp ? `ep_${pd.name}` : `ntfn_${pd.name}`, 0n);
    if (pd.parentIndex === null) expectCap(2, 'Endpoint', 'ep_fault_monitor', B(pd.pdIndex + 1));
    else expectCap(2, 'Endpoint', `ep_${pds[pd.parentIndex].name}`, (1n << 62n) | B(pd.id!));
    expectCap(3, 'PML4', null);
    expectCap(4, 'Reply', `reply_${pd.name}`);
    if (pd.passive) expectCap(5, 'Endpoint', 'ep_fault_monitor', B(pd.pdIndex + 1));
    if (pd.smc && d.arch === 'aarch64') expectCap(7, 'ARMSMC', 'arm_smc');
    for (const ch of system.channels) {
      for (const [me, peer] of [[ch.ends[0], ch.ends[1]], [ch.ends[1], ch.ends[0]]] as const) {
        if (me.pdIndex !== pd.pdIndex) continue;
        if (me.notify) expectCap(10 + me.id, 'Notification', `ntfn_${peer.pd}`, 1n << B(peer.id));
        if (me.pp) expectCap(74 + me.id, 'Endpoint', `ep_${peer.pd}`, (1n << 63n) | B(peer.id));
      }
    }
    for (const irq of pd.irqs) expectCap(138 + irq.id, 'IRQHandler', null);
    for (const c of pd.childIndices) expectCap(202 + pds[c].id!, 'TCB', `tcb_${pds[c].name}`);
    const vm = pd.virtualMachine;
    if (vm) {
      for (const v of vm.vcpus) {
        if (d.arch === 'x86_64') expectCap(330 + v.id, 'VCPU', `vcpu_${vm.name}_${v.id}`);
        else {
          expectCap(266 + v.id, 'TCB', `tcb_${vm.name}_${v.id}`);
          expectCap(330 + v.id, 'Untyped', `vcpu_${vm.name}_${v.id}`); // AArch64 vCPU stand-in (SIMPLIFICATIONS.md)
        }
      }
    }
    for (const io of pd.ioports) expectCap(394 + io.id, 'IOPort', `ioports_0x${io.addr.toString(16)}_${pd.name}`);
    expect([...got.keys()], `${pd.name}: unexpected caps`).toEqual([]);
    // root CNode: slot 0 = the Microkit CNode, then <cspace> caps
    const root = new Map(d.pds[pd.pdIndex].rootCaps.map((c) => [c.slot, c]));
    expect(root.get(0)?.objectName).toBe(`cnode_${pd.name}`);
    for (const cc of pd.cspaceCaps) {
      const want = cc.kind === 'tcb' ? `tcb_${cc.pd}` : cc.kind === 'sc' ? `sched_context_${cc.pd}` : null;
      expect(root.get(cc.slot)?.capType).toBe(cc.kind === 'tcb' ? 'TCB' : cc.kind === 'sc' ? 'SchedContext' : 'PML4');
      if (want) expect(root.get(cc.slot)?.objectName).toBe(want);
    }
  }
  // monitor: fault EP, reply, every PD's TCB; passive PDs' SC and notification
  const mon = new Map(d.monitor.caps.map((c) => [c.slot, c]));
  expect(mon.get(1)?.objectName).toBe('ep_fault_monitor');
  expect(mon.get(2)?.objectName).toBe('reply_monitor');
  for (const pd of pds) {
    expect(mon.get(10 + pd.pdIndex)?.objectName).toBe(`tcb_${pd.name}`);
    if (pd.passive) {
      expect(mon.get(138 + pd.pdIndex)?.objectName).toBe(`sched_context_${pd.name}`);
      expect(mon.get(202 + pd.pdIndex)?.objectName).toBe(`ntfn_${pd.name}`);
    }
  }
}


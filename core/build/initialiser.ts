/** The capDL initialiser, run as the kernel's root task: retype every object in the planned order,
 * issue IRQ handlers and I/O ports, assign ASIDs, build VSpaces/EPTs, fill CNodes, configure and
 * start threads — every step an invocation through the kernel (rust-sel4 `sel4-capdl-initializer` order). */
import type { Arch } from '../boards';
import { ObjectType, type Booted, type LabelName } from '../kernel';
import type { AllocationPlan } from './allocationPlan';
import { BuildFail, buildDiag } from './errors';
import { InvocationError, RootTask } from './rootTask';
import type { BuildSpec, Rights, SpecCap, SpecObject } from './spec';

export interface Realised {
  /** root-CNode slot of each object's original cap */
  slotOf: Map<SpecObject, number>;
  /** kernel object id of each memory-backed object */
  kernelId: Map<SpecObject, number>;
  /** root-CNode slots used by the initialiser */
  slotsUsed: number;
  invocations: number;
  /** kernel IRQ number of each IRQ handler object */
  kernelIrq: Map<SpecObject, number>;
}

const rightsWord = (r: Rights | undefined): number => (r ? (r.read ? 2 : 0) | (r.write ? 1 : 0) | (r.grant ? 4 : 0) | (r.grantReply ? 8 : 0) : 0xf);
/** VSpace table types by level below the root, and the EPT equivalents */
const TABLE_TYPES = [ObjectType.seL4_X64_PML4Object, ObjectType.seL4_X86_PDPTObject, ObjectType.seL4_X86_PageDirectoryObject, ObjectType.seL4_X86_PageTableObject];
const EPT_TYPES = [ObjectType.seL4_X86_EPTPML4Object, ObjectType.seL4_X86_EPTPDPTObject, ObjectType.seL4_X86_EPTPDObject, ObjectType.seL4_X86_EPTPTObject];
const TABLE_MAP: LabelName[] = ['X86PDPTMap', 'X86PDPTMap', 'X86PageDirectoryMap', 'X86PageTableMap'];
const EPT_MAP: LabelName[] = ['X86EPTPDPTMap', 'X86EPTPDPTMap', 'X86EPTPDMap', 'X86EPTPTMap'];
/** address shift of a table entry per level below the root (BigInt(n) allocates: precomputed) */
const LEVEL_SHIFTS: bigint[] = [0, 1, 2, 3].map((level) => BigInt(12 + 9 * (3 - level)));
const shiftOf = (level: number): bigint => LEVEL_SHIFTS[level] ?? BigInt(12 + 9 * (3 - level));
/** BigInt(i) for table indices 0..511 */
const INDEX: bigint[] = Array.from({ length: 512 }, (_, i) => BigInt(i));
/** IRQ vectors the kernel model accepts (x86: 0..107) */
const IRQ_VECTORS = 108n;

/** Untyped_Retype arguments for a spec object (type, size_bits argument). */
function retypeArgs(o: SpecObject | null, sizeBits: number, arch: Arch): [number, number] {
  if (!o) return [ObjectType.seL4_UntypedObject, sizeBits];
  switch (o.kind) {
    case 'tcb': return [ObjectType.seL4_TCBObject, 0];
    case 'endpoint': return [ObjectType.seL4_EndpointObject, 0];
    case 'notification': return [ObjectType.seL4_NotificationObject, 0];
    case 'reply': return [ObjectType.seL4_ReplyObject, 0];
    case 'sched_context': return [ObjectType.seL4_SchedContextObject, o.sizeBits];
    case 'cnode': return [ObjectType.seL4_CapTableObject, o.radix!];
    case 'frame': return [o.sizeBits === 21 ? ObjectType.seL4_X86_LargePageObject : ObjectType.seL4_X86_4K, 0];
    // A/R page tables have no x86 counterpart of their geometry: an untyped of the same size stands in,
    // and the kernel VSpace is an x86 shadow built from the spec's mappings (SIMPLIFICATIONS.md)
    case 'page_table': return arch === 'x86_64' ? [(o.ept ? EPT_TYPES : TABLE_TYPES)[o.level!], 0] : [ObjectType.seL4_UntypedObject, o.sizeBits];
    case 'io_page_table': return [ObjectType.seL4_X86_IOPageTableObject, 0];
    // AArch64 vCPUs (4 KiB) have no x86 counterpart: an untyped of the same size stands in
    case 'vcpu': return arch === 'x86_64' ? [ObjectType.seL4_X86_VCPUObject, 0] : [ObjectType.seL4_UntypedObject, o.sizeBits];
    default: throw new Error(`object '${o.name}' takes no memory`);
  }
}

export function runInitialiser(booted: Booted, spec: BuildSpec, plan: AllocationPlan, arch: Arch): Realised {
  const { kernel: k, bootinfo } = booted;
  const rt = new RootTask(k, booted.rootTcb, bootinfo.initThreadCNodeSizeBits);
  const slotOf = new Map<SpecObject, number>();
  const kernelId = new Map<SpecObject, number>();
  const kernelIrq = new Map<SpecObject, number>();
  let next = bootinfo.empty.start;
  const global = (slot: number): number => booted.rootCNode.slotBase + slot;
  const outOfSlots = (): BuildFail =>
    new BuildFail(buildDiag('D.init-slots', `Error: capDL initialiser: the system needs more capabilities than the initial task's CNode holds (${bootinfo.empty.end - bootinfo.empty.start} free slots)`, spec.monitor.tcb.pos));
  const take = (): number => {
    if (next >= bootinfo.empty.end) throw outOfSlots();
    return next++;
  };
  let current: SpecObject | null = null;

  try {
    // 1. objects, in the planned order (fixed-paddr objects land exactly where the plan puts them);
    //    runs of same-type objects that follow each other in one untyped share one Untyped_Retype
    const ops = plan.ops;
    for (let i = 0; i < ops.length; ) {
      const op = ops[i];
      current = op.obj;
      const [type, bits] = retypeArgs(op.obj, op.sizeBits, arch);
      let n = 1;
      const size = 1n << BigInt(op.sizeBits);
      let expected = op.paddr + size;
      while (op.obj && n < 256 && i + n < ops.length) {
        const nx = ops[i + n];
        if (!nx.obj || nx.ut !== op.ut || nx.sizeBits !== op.sizeBits || nx.paddr !== expected) break;
        expected += size;
        const [t2, b2] = retypeArgs(nx.obj, nx.sizeBits, arch);
        if (t2 !== type || b2 !== bits) break;
        n++;
      }
      if (next + n > bootinfo.empty.end) throw outOfSlots();
      const first = next;
      next += n;
      rt.retype(bootinfo.untyped.start + op.ut, type, bits, first, n);
      for (let j = 0; j < n; j++) {
        const o = ops[i + j];
        const cap = k.slots.caps[global(first + j)]!;
        if (cap.paddr !== o.paddr) throw new Error(`internal: '${o.obj?.name ?? 'padding'}' retyped at 0x${cap.paddr.toString(16)}, planned 0x${o.paddr.toString(16)}`);
        if (o.obj) {
          slotOf.set(o.obj, first + j);
          if (cap.obj >= 0) kernelId.set(o.obj, cap.obj);
        }
      }
      i += n;
    }

    // embedded frames: the initial task's own image pages, used in place
    const imageVaddr0 = bootinfo.userImageFrames.start;
    for (const o of spec.objects) {
      if (o.embeddedOffset === undefined) continue;
      const slot = imageVaddr0 + Number(o.embeddedOffset / 0x1000n);
      if (slot >= bootinfo.userImageFrames.end) throw new Error(`internal: embedded frame '${o.name}' lies outside the initial task image`);
      slotOf.set(o, slot);
      kernelId.set(o, k.slots.caps[global(slot)]!.obj);
    }

    // 2. IRQ handlers and I/O ports (objects without memory)
    for (const o of spec.irqs) {
      {
        current = o;
        const slot = take();
        const irq = o.irq!;
        if (irq.kind === 'ioapic') rt.irqGetIoapic(slot, irq.ioapic, irq.pin, irq.trigger === 'level' ? 1 : 0, irq.polarity === 'low' ? 1 : 0, irq.vector);
        else if (irq.kind === 'msi') rt.irqGetMsi(slot, irq.bus, irq.dev, irq.func, irq.handle, irq.vector);
        else rt.irqGetIoapic(slot, 0n, 0n, irq.trigger === 'level' ? 1 : 0, 0, Number(irq.irq % IRQ_VECTORS));
        slotOf.set(o, slot);
        kernelIrq.set(o, k.slots.caps[global(slot)]!.irq);
      }
    }
    for (const o of spec.objects) {
      if (o.kind !== 'ioports') continue;
      {
        current = o;
        const slot = take();
        rt.ioPortIssue(slot, o.ioports!.first, o.ioports!.last);
        slotOf.set(o, slot);
      }
    }

    // 3. IRQ handlers deliver to the notification (a badged copy when the badge is not 0)
    for (const o of spec.irqs) {
      current = o;
      const n = o.slots.get(0)!;
      let ntfnSlot = slotOf.get(n.obj)!;
      if ((n.badge ?? 0n) !== 0n) {
        const minted = take();
        rt.mint(rt.rootCNode, minted, rt.rootDepth, ntfnSlot, 0xf, n.badge!);
        ntfnSlot = minted;
      }
      rt.irqSetNotification(slotOf.get(o)!, ntfnSlot);
    }

    // 4. ASIDs for every VSpace and EPT root (A/R: for the x86 shadow roots)
    const shadow = arch === 'x86_64' ? null : shadowAllocator(plan, bootinfo.untypedList, bootinfo.untyped.start);
    for (const as of spec.addressSpaces) {
      if (as.kind === 'iospace') continue;
      current = as.root;
      if (shadow) {
        const slot = take();
        rt.retype(shadow, ObjectType.seL4_X64_PML4Object, 0, slot);
        slotOf.set(as.root, slot);
        kernelId.set(as.root, k.slots.caps[global(slot)]!.obj);
      }
      rt.asidAssign(rt.asidPool, slotOf.get(as.root)!);
    }

    // 5. address spaces: tables top-down, then each frame through its own copy of the frame cap
    const mapFrame = (frame: SpecObject, cap: SpecCap, rootSlot: number, addr: bigint, ept: boolean): void => {
      current = frame;
      const copy = take();
      const r = cap.rights!;
      const rights = (r.read ? 2 : 0) | (r.write ? 1 : 0);
      rt.copy(rt.rootCNode, copy, rt.rootDepth, slotOf.get(frame)!, 0xf);
      const attr = ept ? (cap.cached ? 6 : 0) : cap.cached ? 0 : 2;
      rt.mapPage(copy, rootSlot, addr, rights, attr, ept);
    };
    for (const as of spec.addressSpaces) {
      if (as.kind === 'iospace') continue; // IOMMU mappings are recorded, not installed (SIMPLIFICATIONS.md)
      const ept = as.kind === 'ept';
      const rootSlot = slotOf.get(as.root)!;
      if (shadow) {
        // x86 shadow: PDPT / PD / PT as the mappings need them, then the frames
        const made = new Set<string>();
        for (const m of as.mappings) {
          const leafLevel = m.sizeBits === 12 ? 3 : 2;
          for (let level = 1; level <= leafLevel; level++) {
            const key = `${level}:${m.addr >> shiftOf(level - 1)}`;
            if (made.has(key)) continue;
            made.add(key);
            current = as.root;
            const slot = take();
            rt.retype(shadow, TABLE_TYPES[level], 0, slot);
            rt.mapTable(TABLE_MAP[level], slot, rootSlot, m.addr, 0);
          }
          const cap: SpecCap = { obj: m.frame, rights: { read: m.rights.read, write: m.rights.write, grant: false, grantReply: false }, cached: m.cached };
          mapFrame(m.frame, cap, rootSlot, m.addr, false);
        }
        continue;
      }
      const walk = (table: SpecObject, level: number, base: bigint): void => {
        table.slots.forEach((cap, idx) => {
          const addr = base + ((INDEX[idx] ?? BigInt(idx)) << shiftOf(level));
          if (cap.obj.kind === 'page_table') {
            current = cap.obj;
            rt.mapTable((ept ? EPT_MAP : TABLE_MAP)[level + 1], slotOf.get(cap.obj)!, rootSlot, addr, ept ? 6 : 0);
            walk(cap.obj, level + 1, addr);
          } else {
            mapFrame(cap.obj, cap, rootSlot, addr, ept);
          }
        });
      };
      walk(as.root, 0, 0n);
    }

    // 6. scheduling contexts (first all on core 0, then again per thread with its affinity, as the initialiser does)
    const scCores = bootinfo.schedcontrol.end - bootinfo.schedcontrol.start;
    const configureSc = (sc: SpecObject, affinity: number): void => {
      const s = sc.sc!;
      rt.schedConfigure(bootinfo.schedcontrol.start + Math.min(affinity, scCores - 1), slotOf.get(sc)!, s.budget, s.period, s.badge);
    };
    for (const o of spec.objects) {
      if (o.kind !== 'sched_context') continue;
      current = o;
      configureSc(o, 0);
    }

    // 7. TCBs: notification, VCPU/EPT, SC, spaces + IPC buffer, priorities + SC + fault endpoint, flags, registers
    const tcbs = spec.objects.filter((o) => o.kind === 'tcb');
    const kernelDomains = k.board?.kernel.numDomains ?? 1;
    for (const t of tcbs) {
      current = t;
      const x = t.tcb!;
      const tslot = slotOf.get(t)!;
      const ntfn = t.slots.get(8);
      if (ntfn) rt.tcbBindNotification(tslot, slotOf.get(ntfn.obj)!);
      const vcpu = t.slots.get(9);
      if (vcpu && arch === 'x86_64') {
        rt.vcpuSetTcb(slotOf.get(vcpu.obj)!, tslot);
        const eptRoot = t.slots.get(10);
        if (eptRoot) rt.tcbSetEptRoot(tslot, slotOf.get(eptRoot.obj)!);
      }
      if (x.domain !== null && kernelDomains > 1) rt.domainSet(x.domain, tslot);
      const sc = t.slots.get(6);
      if (sc) configureSc(sc.obj, x.affinity);
      const cs = t.slots.get(0)!;
      const csData = cs.guardSize ? ((cs.guard ?? 0n) << 6n) | BigInt(cs.guardSize) : 0n;
      const ipc = t.slots.get(4);
      rt.tcbConfigure(tslot, slotOf.get(cs.obj)!, csData, slotOf.get(t.slots.get(1)!.obj)!, x.ipcBuffer, ipc ? slotOf.get(ipc.obj)! : 0);
      const fault = t.slots.get(5);
      let faultSlot = 0;
      if (fault) {
        faultSlot = slotOf.get(fault.obj)!;
        if ((fault.badge ?? 0n) !== 0n || rightsWord(fault.rights) !== 0xf) {
          faultSlot = take();
          rt.mint(rt.rootCNode, faultSlot, rt.rootDepth, slotOf.get(fault.obj)!, rightsWord(fault.rights), fault.badge ?? 0n);
        }
      }
      rt.tcbSchedParams(tslot, x.maxPrio, x.prio, sc ? slotOf.get(sc.obj)! : 0, faultSlot);
      rt.tcbSetFlags(tslot, 0n, x.fpuDisabled ? 1n : 0n);
      rt.tcbSetTimeoutEndpoint(tslot, 0);
      rt.tcbWriteAllRegisters(tslot, x.ip, x.sp);
      // seL4_DebugNameThread (debug builds)
      k.tcb(kernelId.get(t)!).name = t.name.replace(/^tcb_/, '');
    }

    // 8. CNodes: every cap minted (badge, rights, guard) from the object's original cap
    for (const o of spec.objects) {
      if (o.kind !== 'cnode') continue;
      const dest = slotOf.get(o)!;
      o.slots.forEach((cap, idx) => { current = o; placeCap(rt, slotOf, dest, idx, o.radix!, cap); });
    }

    // 9. start the threads marked to run, then the initialiser suspends itself
    for (const t of tcbs) if (t.tcb!.resume) { current = t; rt.tcbResume(slotOf.get(t)!); }
    current = null;
    rt.suspendSelf();
  } catch (e) {
    if (e instanceof InvocationError) {
      const obj = current as SpecObject | null;
      const what = obj ? ` for '${obj.name}'` : '';
      throw new BuildFail(buildDiag('D.init', `Error: capDL initialiser: ${e.message}${what}`, obj?.pos ?? null));
    }
    throw e;
  }
  return { slotOf, kernelId, slotsUsed: next - bootinfo.empty.start, invocations: rt.calls, kernelIrq };
}

/** The RAM untyped with the most room left after the plan: x86 shadow page tables for A/R come from it. */
function shadowAllocator(plan: AllocationPlan, untypeds: readonly { paddr: bigint; sizeBits: number; isDevice: boolean }[], firstSlot: number): number {
  const usedEnd = new Map<number, bigint>();
  for (const op of plan.ops) {
    const end = op.paddr + (1n << BigInt(op.sizeBits));
    if (end > (usedEnd.get(op.ut) ?? 0n)) usedEnd.set(op.ut, end);
  }
  let best = -1;
  let bestFree = -1n;
  untypeds.forEach((u, i) => {
    if (u.isDevice) return;
    const free = u.paddr + (1n << BigInt(u.sizeBits)) - (usedEnd.get(i) ?? u.paddr);
    if (free > bestFree) { bestFree = free; best = i; }
  });
  return firstSlot + best;
}

/** Put `cap` into slot `idx` of the CNode whose original cap is at root slot `dest`. */
function placeCap(rt: RootTask, slotOf: Map<SpecObject, number>, dest: number, idx: number, radix: number, cap: SpecCap): void {
  // the kernel model has no ARM SMC capability: the slot stays empty (SIMPLIFICATIONS.md)
  if (cap.obj.kind === 'arm_smc') return;
  const src = slotOf.get(cap.obj);
  if (src === undefined) throw new Error(`internal: no cap for '${cap.obj.name}'`);
  if (cap.obj.kind === 'cnode') rt.mintGuard(dest, idx, radix, src, cap.guard ?? 0n, cap.guardSize ?? 0);
  else if (cap.badge !== undefined) rt.mint(dest, idx, radix, src, rightsWord(cap.rights), cap.badge);
  else rt.copy(dest, idx, radix, src, rightsWord(cap.rights));
}

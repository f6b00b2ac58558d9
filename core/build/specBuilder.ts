/** SDF → capDL spec, step by step as the tool's `build_capdl_spec` (microkit.md §D.2–D.7):
 * 1 monitor, 2 memory-region frames, 3 each PD (image, maps, IPC buffer, stack, SC, fault EP,
 * notification/endpoint, reply, IRQs, I/O ports, VM, CNodes, TCB), 4 channels, 5 IOMMU spaces,
 * 6 `<cspace>` caps, 8 sort. */
import type { KernelConfig } from '../boards';
import type { MapEntry, ProtectionDomain, SystemDescription } from '../sdf';
import { AddressSpaceBuilder, pagingProfile } from './addressSpace';
import * as C from './constants';
import { BuildFail, buildDiag } from './errors';
import { imageEntry, monitorImage, pdImage } from './image';
import { RW, RWG, newObject, type BuildSpec, type ImageSegment, type PdObjects, type SpecCap, type SpecObject } from './spec';

export interface SpecOptions {
  kernel: KernelConfig;
  /** program bytes per `program_image` path (missing: an empty program) */
  programSize: (pd: ProtectionDomain) => number;
}

const roundUp = (x: bigint, a: bigint): bigint => ((x + a - 1n) / a) * a;
const roundDown = (x: bigint, a: bigint): bigint => (x / a) * a;
const hex = (x: bigint): string => `0x${x.toString(16)}`;

/** Layout constants of a PD's address space (§D.6). */
export function vspaceLayout(kernel: KernelConfig): { ipcBuffer: bigint; stackTop: bigint } {
  const ipcBuffer = (kernel.userTop - 1n) & ~(C.PAGE_4K - 1n);
  return { ipcBuffer, stackTop: ipcBuffer - C.PAGE_4K };
}

const frameCap = (obj: SpecObject, r: boolean, w: boolean, x: boolean, cached: boolean): SpecCap => ({
  obj, rights: { read: r, write: w, grant: false, grantReply: false }, cached, executable: x,
});
const epCap = (obj: SpecObject, badge: bigint): SpecCap => ({ obj, rights: RWG, badge });
const ntfnCap = (obj: SpecObject, badge: bigint): SpecCap => ({ obj, rights: RW, badge });
const plain = (obj: SpecObject): SpecCap => ({ obj });

export function buildSpec(system: SystemDescription, opts: SpecOptions): BuildSpec {
  const { kernel } = opts;
  const arch = kernel.arch;
  const objects: SpecObject[] = [];
  const add = (o: SpecObject): SpecObject => {
    objects.push(o);
    return o;
  };
  const { ipcBuffer, stackTop } = vspaceLayout(kernel);
  const addressSpaces: AddressSpaceBuilder[] = [];
  const profile = pagingProfile(kernel);
  const newSpace = (name: string, kind: 'vspace' | 'ept'): AddressSpaceBuilder => {
    const root = add(newObject('page_table', AddressSpaceBuilder.rootName(profile, name), profile.rootSizeBits, null, { level: profile.rootLevel, isRoot: true, ept: kind === 'ept' }));
    const b = new AddressSpaceBuilder(profile, name, kind, add, root);
    addressSpaces.push(b);
    return b;
  };

  /** add_elf_to_spec: VSpace, ELF frames, TCB bound to the VSpace */
  const addImage = (name: string, segs: ImageSegment[], pos: PdObjects['tcb']['pos']): { space: AddressSpaceBuilder; tcb: SpecObject } => {
    const space = newSpace(name, 'vspace');
    let seq = 0;
    for (const seg of segs) {
      if (seg.fileSize === 0n) continue;
      for (let v = roundDown(seg.vaddr, C.PAGE_4K); v < seg.vaddr + seg.memSize; v += C.PAGE_4K) {
        const fileEnd = seg.vaddr + seg.fileSize;
        const lo = v < seg.vaddr ? seg.vaddr : v;
        const hi = v + C.PAGE_4K < fileEnd ? v + C.PAGE_4K : fileEnd;
        const f = add(newObject('frame', `frame_elf_${name}_${String(seq).padStart(9, '0')}`, 12, pos, { fill: 'elf', fillBytes: hi > lo ? Number(hi - lo) : 0 }));
        const err = space.mapPage(frameCap(f, seg.read, seg.write, seg.execute, true), 12, v, { rights: { read: seg.read, write: seg.write, execute: seg.execute }, cached: true, what: 'elf', mr: null });
        if (err) throw new BuildFail(buildDiag('D.elf-map', `add_elf_to_spec(): failed to map segment page to ELF because: ${err}`, pos));
        seq++;
      }
    }
    const tcb = add(newObject('tcb', `tcb_${name}`, C.OBJ_BITS.tcb, pos));
    tcb.slots.set(C.TcbBoundSlot.VSpace, plain(space.space.root));
    return { space, tcb };
  };

  // ---- Step 1: the monitor ----
  const monSegs = monitorImage();
  const mon = addImage(C.MONITOR_NAME, monSegs, system.pos);
  const monFaultEp = add(newObject('endpoint', `ep_fault_${C.MONITOR_NAME}`, C.OBJ_BITS.endpoint, null));
  const monReply = add(newObject('reply', `reply_${C.MONITOR_NAME}`, C.OBJ_BITS.reply, null));
  const monSc = add(newObject('sched_context', `sched_context_${C.MONITOR_NAME}`, C.PD_SCHEDCONTEXT_SIZE_BITS, null, { sc: { budget: C.BUDGET_DEFAULT, period: C.BUDGET_DEFAULT, badge: 0n } }));
  const monCnode = add(newObject('cnode', `cnode_${C.MONITOR_NAME}`, C.PD_CAP_BITS + C.SLOT_BITS, null, { radix: C.PD_CAP_BITS }));
  monCnode.slots.set(C.MON_FAULT_EP_CAP_IDX, epCap(monFaultEp, 0n));
  monCnode.slots.set(C.MON_REPLY_CAP_IDX, plain(monReply));
  const monStack = add(newObject('frame', `frame_${C.MONITOR_NAME}_stack`, 12, null, { fill: 'none' }));
  const monStackBottom = stackTop - C.MON_STACK_SIZE;
  mon.space.mapPage(frameCap(monStack, true, true, false, true), 12, monStackBottom, { rights: { read: true, write: true, execute: false }, cached: true, what: 'stack', mr: null });
  const monIpc = add(newObject('frame', `frame_ipcbuf_${C.MONITOR_NAME}`, 12, null, { fill: 'none' }));
  const monIpcCap = frameCap(monIpc, true, true, false, true);
  mon.space.mapPage(monIpcCap, 12, ipcBuffer, { rights: { read: true, write: true, execute: false }, cached: true, what: 'ipc_buffer', mr: null });
  mon.tcb.tcb = { ip: imageEntry(monSegs), sp: stackTop, ipcBuffer, prio: C.MONITOR_PRIORITY, maxPrio: C.MONITOR_PRIORITY, affinity: 0, fpuDisabled: false, resume: true, domain: C.MONITOR_DOMAIN };
  mon.tcb.slots.set(C.TcbBoundSlot.IpcBuffer, monIpcCap);
  mon.tcb.slots.set(C.TcbBoundSlot.CSpace, { obj: monCnode, guard: 0n, guardSize: C.CAP_ADDRESS_BITS - C.PD_CAP_BITS });
  mon.tcb.slots.set(C.TcbBoundSlot.SchedContext, plain(monSc));
  const monitor: PdObjects = {
    name: C.MONITOR_NAME, pdIndex: -1, tcb: mon.tcb, sc: monSc, cnode: monCnode, rootCnode: null, vspace: mon.space.space.root,
    notification: null, endpoint: monFaultEp, reply: monReply, vcpu: null, ept: null, stackBottom: monStackBottom, ipcBuffer,
    entry: imageEntry(monSegs), segments: monSegs,
  };

  // ---- Step 2: memory-region frames ----
  const mrFrames = new Map<string, SpecObject[]>();
  for (const mr of system.memoryRegions) {
    const pageBits = mr.pageSize === C.PAGE_2M ? 21 : 12;
    const count = Number(mr.size / mr.pageSize);
    const frames: SpecObject[] = [];
    for (let i = 0; i < count; i++) {
      const start = BigInt(i) * mr.pageSize;
      let fill: SpecObject['fill'] = 'none';
      let fillBytes = 0;
      if (mr.prefill?.kind === 'file') {
        const left = BigInt(mr.prefill.data.length) - start;
        if (left > 0n) { fill = 'prefill'; fillBytes = Number(left < mr.pageSize ? left : mr.pageSize); }
      } else if (mr.prefill?.kind === 'bootinfo') {
        fill = 'bootinfo';
      }
      const f = newObject('frame', `frame_mr_${mr.name}_${String(i).padStart(9, '0')}`, pageBits, mr.pos, { fill, fillBytes, mr: mr.name });
      if (mr.physAddr !== null) f.paddr = mr.physAddr + start;
      frames.push(add(f));
    }
    mrFrames.set(mr.name, frames);
  }

  // ---- Step 3: protection domains ----
  const smcObj = arch === 'aarch64' && kernel.armSmc && system.protectionDomains.some((p) => p.smc) ? add(newObject('arm_smc', 'arm_smc', 0, null)) : null;
  const pdIsPpcTarget = new Set<number>();
  for (const ch of system.channels) {
    if (ch.ends[0].pp) pdIsPpcTarget.add(ch.ends[1].pdIndex);
    if (ch.ends[1].pp) pdIsPpcTarget.add(ch.ends[0].pdIndex);
  }
  const pds: PdObjects[] = [];
  let monitorVcpuIdx = 0;

  const mapRegion = (space: AddressSpaceBuilder, map: MapEntry, element: string, addrName: string): void => {
    const frames = mrFrames.get(map.mr);
    if (!frames || frames.length === 0) throw new BuildFail(buildDiag('D.map-mr', `Error: memory region '${map.mr}' has no frames`, map.pos));
    const bits = frames[0].sizeBits;
    let addr = map.vaddr;
    for (const f of frames) {
      const err = space.mapPage(frameCap(f, map.perms.read, map.perms.write, map.perms.execute, map.cached), bits, addr, {
        rights: { ...map.perms }, cached: map.cached, what: 'memory_region', mr: map.mr,
      });
      if (err) throw new BuildFail(buildDiag('D.map-conflict', `failed to map ${element} for MR '${map.mr}' into address-space '${space.space.name}' at ${addrName} ${hex(addr)}: ${err}`, map.pos));
      addr += 1n << BigInt(bits);
    }
  };

  for (const pd of system.protectionDomains) {
    const idx = pd.pdIndex;
    const segs = pdImage(opts.programSize(pd));
    const { space, tcb } = addImage(pd.name, segs, pd.pos);
    const cnodeSlots = new Map<number, SpecCap>();
    const bind = new Map<number, SpecCap>();
    cnodeSlots.set(C.PD_VSPACE_CAP_IDX, plain(space.space.root));

    // 3-2 memory regions (the tool checks overlap with the image here)
    for (const map of pd.maps) {
      const frames = mrFrames.get(map.mr) ?? [];
      const bytes = frames.length > 0 ? BigInt(frames.length) << BigInt(frames[0].sizeBits) : 0n;
      for (const seg of segs) {
        const segEnd = seg.vaddr + roundUp(seg.memSize, C.PAGE_4K);
        if (map.vaddr < segEnd && seg.vaddr < map.vaddr + bytes) {
          throw new BuildFail(buildDiag('D.map-elf-overlap',
            `ERROR: mapping MR '${map.mr}' to PD '${pd.name}' with vaddr [${hex(map.vaddr)}..${hex(map.vaddr + bytes)}) will overlap with an ELF segment at [${hex(seg.vaddr)}..${hex(segEnd)})`, map.pos));
        }
      }
      mapRegion(space, map, 'map', 'vaddr');
    }

    // 3-3 IPC buffer and stack
    const ipc = add(newObject('frame', `frame_ipcbuf_${pd.name}`, 12, pd.pos, { fill: 'none' }));
    const ipcCap = frameCap(ipc, true, true, false, true);
    space.mapPage(ipcCap, 12, ipcBuffer, { rights: { read: true, write: true, execute: false }, cached: true, what: 'ipc_buffer', mr: null });
    bind.set(C.TcbBoundSlot.IpcBuffer, ipcCap);
    const stackBottom = stackTop - pd.stackSize;
    const nStack = Number(pd.stackSize / C.PAGE_4K);
    for (let i = 0; i < nStack; i++) {
      const f = add(newObject('frame', `frame_${pd.name}_stack_${String(i).padStart(9, '0')}`, 12, pd.pos, { fill: 'none' }));
      space.mapPage(frameCap(f, true, true, false, true), 12, stackBottom + BigInt(i) * C.PAGE_4K, { rights: { read: true, write: true, execute: false }, cached: true, what: 'stack', mr: null });
    }

    // 3-4 scheduling context
    const sc = add(newObject('sched_context', `sched_context_${pd.name}`, C.PD_SCHEDCONTEXT_SIZE_BITS, pd.pos, { sc: { budget: pd.budget, period: pd.period, badge: C.SC_BADGE_BASE + BigInt(idx) } }));
    bind.set(C.TcbBoundSlot.SchedContext, plain(sc));

    // 3-5 fault endpoint: parent's endpoint or the monitor's
    let faultCap: SpecCap;
    if (pd.parentIndex !== null) {
      const parent = pds[pd.parentIndex];
      faultCap = epCap(parent.endpoint!, C.FAULT_BADGE | BigInt(pd.id ?? 0));
      parent.cnode.slots.set(C.PD_BASE_PD_TCB_CAP + (pd.id ?? 0), plain(tcb));
    } else {
      faultCap = epCap(monFaultEp, BigInt(idx + 1));
    }
    cnodeSlots.set(C.PD_FAULT_EP_CAP_IDX, faultCap);
    bind.set(C.TcbBoundSlot.FaultEp, faultCap);

    // 3-6 passive PDs talk to the monitor
    if (pd.passive) cnodeSlots.set(C.PD_MONITOR_EP_CAP_IDX, epCap(monFaultEp, BigInt(idx + 1)));

    // 3-7 notification, and an endpoint when the PD has children, a VM or PPC callers
    const ntfn = add(newObject('notification', `ntfn_${pd.name}`, C.OBJ_BITS.notification, pd.pos));
    let ep: SpecObject | null = null;
    if (pd.childIndices.length > 0 || pd.virtualMachine !== null || pdIsPpcTarget.has(idx)) {
      ep = add(newObject('endpoint', `ep_${pd.name}`, C.OBJ_BITS.endpoint, pd.pos));
      cnodeSlots.set(C.PD_INPUT_CAP_IDX, epCap(ep, 0n));
    } else {
      cnodeSlots.set(C.PD_INPUT_CAP_IDX, ntfnCap(ntfn, 0n));
    }
    bind.set(C.TcbBoundSlot.BoundNotification, ntfnCap(ntfn, 0n));

    // 3-8 reply object
    const reply = add(newObject('reply', `reply_${pd.name}`, C.OBJ_BITS.reply, pd.pos));
    cnodeSlots.set(C.PD_REPLY_CAP_IDX, plain(reply));

    // 3-9 IRQs: handler object bound to the notification with badge 1 << id
    for (const irq of pd.irqs) {
      const num = irq.kind === 'conventional' ? irq.irq : BigInt(irq.vector);
      const info: SpecObject['irq'] =
        irq.kind === 'conventional' ? { kind: 'conventional', irq: irq.irq, trigger: irq.trigger, cpu: pd.cpu }
        : irq.kind === 'ioapic' ? { kind: 'ioapic', vector: irq.vector, ioapic: irq.ioapic, pin: irq.pin, trigger: irq.trigger, polarity: irq.polarity }
        : { kind: 'msi', vector: irq.vector, bus: irq.pcidev.bus, dev: irq.pcidev.device, func: irq.pcidev.function, handle: irq.handle };
      const o = add(newObject('irq', `irq_${num}_${pd.name}`, 0, irq.pos, { irq: info }));
      o.slots.set(0, ntfnCap(ntfn, 1n << BigInt(irq.id)));
      cnodeSlots.set(C.PD_BASE_IRQ_CAP + irq.id, plain(o));
    }

    // 3-10 I/O ports
    for (const io of pd.ioports) {
      const o = add(newObject('ioports', `ioports_0x${io.addr.toString(16)}_${pd.name}`, 0, io.pos, { ioports: { first: Number(io.addr), last: Number(io.addr + io.size - 1n) } }));
      cnodeSlots.set(C.PD_BASE_IOPORT_CAP + io.id, plain(o));
    }

    // 3-11 virtual machine
    let vcpuObj: SpecObject | null = null;
    let eptRoot: SpecObject | null = null;
    const vm = pd.virtualMachine;
    if (vm) {
      const vmSpace = newSpace(vm.name, arch === 'x86_64' ? 'ept' : 'vspace');
      for (const map of vm.maps) mapRegion(vmSpace, map, 'map', 'vaddr');
      if (arch === 'x86_64') {
        const vcpu = vm.vcpus[0];
        vcpuObj = add(newObject('vcpu', `vcpu_${vm.name}_${vcpu.id}`, C.OBJ_BITS.vcpuX86, vcpu.pos));
        bind.set(C.TcbBoundSlot.VCpu, plain(vcpuObj));
        cnodeSlots.set(C.PD_BASE_VCPU_CAP + vcpu.id, plain(vcpuObj));
        eptRoot = vmSpace.space.root;
        bind.set(C.TcbBoundSlot.X86Eptpml4, plain(eptRoot));
      } else {
        vm.vcpus.forEach((vcpu, vcpuIdx) => {
          const tag = `${vm.name}_${vcpu.id}`;
          const vcnode = add(newObject('cnode', `cnode_${tag}`, C.PD_CAP_BITS + C.SLOT_BITS, vcpu.pos, { radix: C.PD_CAP_BITS }));
          const vipc = add(newObject('frame', `frame_ipcbuf_${tag}`, 12, vcpu.pos, { fill: 'none' }));
          const vsc = add(newObject('sched_context', `sched_context_${tag}`, C.PD_SCHEDCONTEXT_SIZE_BITS, vcpu.pos, { sc: { budget: vm.budget, period: vm.period, badge: C.SC_BADGE_BASE + BigInt(vcpuIdx) } }));
          const v = add(newObject('vcpu', `vcpu_${tag}`, C.OBJ_BITS.vcpuArm, vcpu.pos));
          const vtcb = add(newObject('tcb', `tcb_${tag}`, C.OBJ_BITS.tcb, vcpu.pos, {
            tcb: { ip: 0n, sp: 0n, ipcBuffer: 0n, prio: vm.priority, maxPrio: vm.priority, affinity: vcpu.cpu ?? pd.cpu, fpuDisabled: false, resume: false, domain: null },
          }));
          vtcb.slots.set(C.TcbBoundSlot.VSpace, plain(vmSpace.space.root));
          vtcb.slots.set(C.TcbBoundSlot.CSpace, { obj: vcnode, guard: 0n, guardSize: C.CAP_ADDRESS_BITS - C.PD_CAP_BITS });
          vtcb.slots.set(C.TcbBoundSlot.IpcBuffer, frameCap(vipc, true, true, false, true));
          vtcb.slots.set(C.TcbBoundSlot.FaultEp, epCap(ep!, C.FAULT_BADGE | BigInt(vcpu.id)));
          vtcb.slots.set(C.TcbBoundSlot.SchedContext, plain(vsc));
          vtcb.slots.set(C.TcbBoundSlot.VCpu, plain(v));
          cnodeSlots.set(C.PD_BASE_VCPU_CAP + vcpu.id, plain(v));
          cnodeSlots.set(C.PD_BASE_VM_TCB_CAP + vcpu.id, plain(vtcb));
          monCnode.slots.set(C.MON_BASE_VM_TCB_CAP + monitorVcpuIdx, plain(vtcb));
          monitorVcpuIdx++;
          if (!vcpuObj) vcpuObj = v;
        });
      }
    }

    // 3-12 ARM SMC
    if (pd.smc && smcObj) cnodeSlots.set(C.PD_ARM_SMC_CAP_IDX, plain(smcObj));

    // 3-13 CSpace: Microkit CNode in slot 0 of a 64-slot root CNode
    const cnode = add(newObject('cnode', `cnode_${pd.name}`, C.PD_CAP_BITS + C.SLOT_BITS, pd.pos, { radix: C.PD_CAP_BITS, slots: cnodeSlots }));
    const root = add(newObject('cnode', `cnode_${pd.name}_root`, C.PD_ROOT_CAP_BITS + C.SLOT_BITS, pd.pos, { radix: C.PD_ROOT_CAP_BITS }));
    root.slots.set(0, { obj: cnode, guard: 0n, guardSize: C.CAP_ADDRESS_BITS - C.PD_CAP_BITS - C.PD_ROOT_CAP_BITS });
    bind.set(C.TcbBoundSlot.CSpace, { obj: root, guard: 0n, guardSize: 0 });

    // 3-14 TCB parameters
    tcb.tcb = {
      ip: imageEntry(segs), sp: stackTop, ipcBuffer, prio: pd.priority, maxPrio: pd.priority, affinity: pd.cpu,
      fpuDisabled: !pd.fpu, resume: true, domain: pd.domain?.id ?? null,
    };
    for (const [slot, cap] of bind) tcb.slots.set(slot, cap);

    // 3-15 the monitor holds every PD's TCB, and a passive PD's SC and notification
    monCnode.slots.set(C.MON_BASE_PD_TCB_CAP + idx, plain(tcb));
    if (pd.passive) {
      monCnode.slots.set(C.MON_BASE_SCHED_CONTEXT_CAP + idx, plain(sc));
      monCnode.slots.set(C.MON_BASE_NOTIFICATION_CAP + idx, ntfnCap(ntfn, 0n));
    }
    pds.push({
      name: pd.name, pdIndex: idx, tcb, sc, cnode, rootCnode: root, vspace: space.space.root, notification: ntfn, endpoint: ep,
      reply, vcpu: vcpuObj, ept: eptRoot, stackBottom, ipcBuffer, entry: imageEntry(segs), segments: segs,
    });
  }

  // ---- Step 4: channels ----
  for (const ch of system.channels) {
    const [a, b] = ch.ends;
    const pa = pds[a.pdIndex];
    const pb = pds[b.pdIndex];
    if (a.notify) pa.cnode.slots.set(C.PD_BASE_OUTPUT_NOTIFICATION_CAP + a.id, ntfnCap(pb.notification!, 1n << BigInt(b.id)));
    if (b.notify) pb.cnode.slots.set(C.PD_BASE_OUTPUT_NOTIFICATION_CAP + b.id, ntfnCap(pa.notification!, 1n << BigInt(a.id)));
    if (a.pp) pa.cnode.slots.set(C.PD_BASE_OUTPUT_ENDPOINT_CAP + a.id, epCap(pb.endpoint!, C.PPC_BADGE | BigInt(b.id)));
    if (b.pp) pb.cnode.slots.set(C.PD_BASE_OUTPUT_ENDPOINT_CAP + b.id, epCap(pa.endpoint!, C.PPC_BADGE | BigInt(a.id)));
  }

  // ---- Step 5: IOMMU address spaces ----
  for (const ios of system.ioAddressSpaces) {
    if (ios.maps.length === 0) continue;
    const root = add(newObject('iospace', `iospace_${ios.name}`, 0, ios.pos, {
      iospace: { domainId: ios.domainId ?? 0n, bus: ios.peripheral.bus, dev: ios.peripheral.device, func: ios.peripheral.function },
    }));
    const b = new AddressSpaceBuilder(profile, ios.name, 'iospace', add, root);
    b.addSpares(C.IOSPACE_SPARE_LEVELS);
    addressSpaces.push(b);
    for (const m of ios.maps) {
      mapRegion(b, { mr: m.mr, vaddr: m.iovaddr, perms: { read: m.perms.read, write: m.perms.write, execute: false }, cached: true, setvarVaddr: null, setvarSize: null, setvarPrefillSize: null, pos: m.pos }, 'iomap', 'ioaddr');
    }
  }

  // ---- Step 6: <cspace> caps into root CNodes ----
  const byName = new Map(pds.map((p) => [p.name, p]));
  for (const pd of system.protectionDomains) {
    for (const cc of pd.cspaceCaps) {
      const src = byName.get(cc.pd)!;
      const obj = cc.kind === 'tcb' ? src.tcb : cc.kind === 'sc' ? src.sc : src.vspace;
      pds[pd.pdIndex].rootCnode!.slots.set(cc.slot, plain(obj));
    }
  }

  const spec: BuildSpec = { objects, addressSpaces: addressSpaces.map((b) => b.space), pds, monitor, irqs: [] };
  sortSpec(spec);
  return spec;
}

/** Step 8: sort (fixed paddr ascending, then size descending, then name) and number the objects. */
export function sortSpec(spec: BuildSpec): void {
  const fixed = spec.objects.filter((o) => o.paddr !== null).sort(compareObjects);
  // the rest: by size descending, then by name (bucketed by size; a name given twice keeps its last object)
  const buckets = new Map<number, SpecObject[]>();
  for (const o of spec.objects) {
    if (o.paddr !== null) continue;
    let b = buckets.get(o.sizeBits);
    if (!b) buckets.set(o.sizeBits, (b = []));
    b.push(o);
  }
  const rest: SpecObject[] = [];
  for (const bits of [...buckets.keys()].sort((a, b) => b - a)) {
    // stable sort: of objects sharing a name, the last one given ends its run
    const b = buckets.get(bits)!.sort(byName);
    for (let i = 0; i < b.length; i++) if (i + 1 === b.length || b[i + 1].name !== b[i].name) rest.push(b[i]);
  }
  spec.objects = fixed.concat(rest);
  spec.objects.forEach((o, i) => (o.id = i));
  spec.irqs = spec.objects.filter((o) => o.kind === 'irq').sort((x, y) => (irqNumber(x) < irqNumber(y) ? -1 : irqNumber(x) > irqNumber(y) ? 1 : 0));
}

const byName = (a: SpecObject, b: SpecObject): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function irqNumber(o: SpecObject): bigint {
  const i = o.irq!;
  return i.kind === 'conventional' ? i.irq : BigInt(i.vector);
}

function compareObjects(a: SpecObject, b: SpecObject): number {
  if (a.paddr === null && b.paddr !== null) return 1;
  if (a.paddr !== null && b.paddr === null) return -1;
  if (a.paddr !== null && b.paddr !== null && a.paddr !== b.paddr) return a.paddr < b.paddr ? -1 : 1;
  if (a.sizeBits !== b.sizeBits) return b.sizeBits - a.sizeBits;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

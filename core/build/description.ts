/** The serialisable picture of a build (JSON-safe: addresses and badges as hex strings), for the
 * views, the CLI's --json and tests. Caps and mappings are read back from the kernel's state, so
 * the description shows what the initialiser really built. */
import type { Arch } from '../boards';
import { CAP_KIND_NAMES, CapKind, listMappings, type Booted, type Cap, type CNodeObj } from '../kernel';
import type { BootImage, BootMode } from './bootImage';
import { freeRuns, largestRun, untypedStates, type UntypedState } from './freeMemory';
import type { Realised } from './initialiser';
import type { AllocationPlan } from './allocationPlan';
import type { SetvarValue } from './setvars';
import type { BuildSpec, PdObjects, SpecMapping, SpecObject } from './spec';

export interface ObjectDesc {
  id: number;
  type: string;
  sizeBits: number;
  paddr: string | null;
  name: string;
  /** bootinfo untyped index it was carved from (null: no memory) */
  untyped: number | null;
  kernelId: number | null;
}

export interface CapDesc {
  slot: number;
  capType: string;
  objectId: number | null;
  objectName: string | null;
  rights: string;
  badge: string | null;
  /** false for a cap the kernel model cannot hold (the ARM SMC cap): listed from the spec */
  modelled?: false;
}

export interface PdDesc {
  name: string;
  pdIndex: number;
  tcb: { ip: string; sp: string; ipcBuffer: string; priority: number; affinity: number; fpu: boolean; domain: number | null };
  stackBottom: string;
  /** the Microkit CNode (512 slots) */
  caps: CapDesc[];
  /** the root CNode (64 slots; slot 0 = the Microkit CNode, 1.. = `<cspace>` caps) */
  rootCaps: CapDesc[];
  /** patched symbols (§C.8) */
  setvars: { symbol: string; value: string }[];
}

export interface MappingDesc {
  addr: string;
  size: string;
  paddr: string;
  rights: string;
  cached: boolean;
  mr: string | null;
  what: string;
  frame: string;
}

export interface AddressSpaceDesc {
  name: string;
  kind: 'vspace' | 'ept' | 'iospace';
  root: string;
  mappings: MappingDesc[];
}

export interface UntypedDescOut {
  index: number;
  paddr: string;
  sizeBits: number;
  isDevice: boolean;
  /** bytes used from the start of the untyped */
  watermark: string;
  /** retyped since boot (its memory was zeroed then, unless it is device memory) */
  used: boolean;
}

export type PhysKind = 'kernel' | 'initial-task' | 'pd-images' | 'rootserver-objects' | 'allocated' | 'free' | 'device' | 'device-frames' | 'low-memory';

export interface PhysRangeDesc {
  start: string;
  end: string;
  kind: PhysKind;
  label: string;
}

export interface BuildDescription {
  board: string;
  arch: Arch;
  bootMode: BootMode;
  objects: ObjectDesc[];
  monitor: PdDesc;
  pds: PdDesc[];
  addressSpaces: AddressSpaceDesc[];
  irqs: { name: string; number: string; kernelIrq: number; pd: string }[];
  untypeds: UntypedDescOut[];
  physicalMemory: PhysRangeDesc[];
  zeroed: { start: string; end: string; label: string }[];
  largestFreeBlock: { paddr: string; size: string } | null;
  summary: {
    objects: number;
    objectsByType: Record<string, number>;
    /** bytes of all memory-backed objects */
    objectBytes: string;
    /** bytes the initialiser consumed from RAM untypeds (objects + alignment padding) */
    ramUsed: string;
    caps: number;
    invocations: number;
    rootCNodeSlotsUsed: number;
    initialTaskImage: string;
    specBytes: string;
    /** 4 KiB frames used in place from the initial task's image */
    embeddedFrames: number;
    /** contents the initialiser copies into frames it creates */
    fillBytes: string;
  };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const TWO32 = 2 ** 32;
/** hex text; through Number when exact (much faster than BigInt's toString), in two 32-bit halves (a double
 * above 2^32 takes V8's slow radix conversion) */
const hex = (x: bigint): string => {
  if (x < 0n || x > MAX_SAFE) return `0x${x.toString(16)}`;
  const n = Number(x);
  const lo = n % TWO32;
  const hi = (n - lo) / TWO32;
  return hi === 0 ? `0x${lo.toString(16)}` : `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`;
};

export const OBJECT_TYPE_LABEL: Record<SpecObject['kind'], string> = {
  tcb: 'TCB', sched_context: 'SchedContext', cnode: 'CNode', endpoint: 'Endpoint', notification: 'Notification', reply: 'Reply',
  frame: 'Page', page_table: 'PageTable', vcpu: 'VCPU', irq: 'IRQ', ioports: 'x86 I/O Ports', iospace: 'x86 IOSpace',
  io_page_table: 'x86 IOPageTable', arm_smc: 'ARM SMC',
};

export function objectTypeLabel(o: SpecObject, arch: Arch): string {
  if (o.kind === 'frame') return o.sizeBits === 21 ? 'Page(2 MiB)' : 'Page(4 KiB)';
  if (o.kind === 'irq') return o.irq!.kind === 'msi' ? 'x86 MSI IRQ' : o.irq!.kind === 'ioapic' ? 'x86 IOAPIC IRQ' : arch === 'riscv64' ? 'RISC-V IRQ' : 'ARM IRQ';
  return OBJECT_TYPE_LABEL[o.kind];
}

export function rightsText(c: Cap): string {
  if (c.kind === CapKind.Frame) return ['', 'kernel-only', 'R', 'RW'][c.vmRights] ?? '';
  if (c.kind !== CapKind.Endpoint && c.kind !== CapKind.Notification && c.kind !== CapKind.Reply) return '';
  return `${c.rights & 2 ? 'R' : ''}${c.rights & 1 ? 'W' : ''}${c.rights & 4 ? 'G' : ''}${c.rights & 8 ? 'GR' : ''}`;
}

export interface DescribeInput {
  boardName: string;
  arch: Arch;
  bootMode: BootMode;
  spec: BuildSpec;
  plan: AllocationPlan;
  booted: Booted;
  realised: Realised;
  image: BootImage;
  setvars: SetvarValue[];
}

export function describe(input: DescribeInput): BuildDescription {
  const { spec, plan, booted, realised, arch } = input;
  const k = booted.kernel;
  // lookups by kernel object id and by spec object id: plain arrays (ids are dense)
  const byKernelId: (SpecObject | undefined)[] = [];
  const kernelIdOf: (number | undefined)[] = [];
  realised.kernelId.forEach((id, o) => {
    byKernelId[id] = o;
    kernelIdOf[o.id] = id;
  });
  const byIrq = new Map<number, SpecObject>();
  for (const [o, irq] of realised.kernelIrq) byIrq.set(irq, o);
  const ioports = spec.objects.filter((o) => o.kind === 'ioports');
  const utOf: (number | undefined)[] = [];
  for (const op of plan.ops) if (op.obj) utOf[op.obj.id] = op.ut;

  // AArch64 vCPUs stand as untypeds of the same size (SIMPLIFICATIONS.md): find them by address
  const standIns = new Map<bigint, SpecObject>();
  for (const [o, p] of plan.paddrOf) if (o.kind === 'vcpu' && arch !== 'x86_64') standIns.set(p, o);
  const capObject = (c: Cap): SpecObject | null => {
    if (c.kind === CapKind.Untyped) return standIns.get(c.paddr) ?? null;
    if (c.kind === CapKind.IRQHandler) return byIrq.get(c.irq) ?? null;
    if (c.kind === CapKind.IOPort) return ioports.find((o) => o.ioports!.first === c.first && o.ioports!.last === c.last) ?? null;
    return c.obj >= 0 ? byKernelId[c.obj] ?? null : null;
  };
  const capsOf = (cnode: SpecObject): CapDesc[] => {
    const kobj = k.objects[realised.kernelId.get(cnode)!] as CNodeObj;
    const out: CapDesc[] = [];
    for (let i = 0; i < 1 << kobj.radix; i++) {
      const c = k.slots.caps[kobj.slotBase + i];
      if (!c || c.kind === CapKind.Null) continue;
      const o = capObject(c);
      const badged = c.kind === CapKind.Endpoint || c.kind === CapKind.Notification;
      out.push({ slot: i, capType: CAP_KIND_NAMES[c.kind], objectId: o?.id ?? null, objectName: o?.name ?? null, rights: rightsText(c), badge: badged ? hex(c.badge) : null });
    }
    cnode.slots.forEach((c, slot) => {
      if (c.obj.kind === 'arm_smc') out.push({ slot, capType: 'ARMSMC', objectId: c.obj.id, objectName: c.obj.name, rights: '', badge: null, modelled: false });
    });
    return out.sort((a, b) => a.slot - b.slot);
  };
  const pdDesc = (p: PdObjects): PdDesc => {
    const t = p.tcb.tcb!;
    return {
      name: p.name, pdIndex: p.pdIndex, stackBottom: hex(p.stackBottom),
      tcb: { ip: hex(t.ip), sp: hex(t.sp), ipcBuffer: hex(t.ipcBuffer), priority: t.prio, affinity: t.affinity, fpu: !t.fpuDisabled, domain: t.domain },
      caps: capsOf(p.cnode), rootCaps: p.rootCnode ? capsOf(p.rootCnode) : [],
      setvars: input.setvars.filter((s) => s.pd === p.name).map((s) => ({ symbol: s.symbol, value: hex(s.value) })),
    };
  };

  const addressSpaces: AddressSpaceDesc[] = spec.addressSpaces.map((as) => {
    const byAddr = new Map<number | bigint, SpecMapping>();
    for (const m of as.mappings) byAddr.set(addrKey(m.addr), m);
    const mappings: MappingDesc[] = [];
    if (as.kind === 'iospace') {
      for (const m of as.mappings) mappings.push(mappingDesc(m, m.addr, plan.paddrOf.get(m.frame) ?? 0n, `${m.rights.read ? 'R' : ''}${m.rights.write ? 'W' : ''}`));
    } else {
      for (const km of listMappings(k, realised.kernelId.get(as.root)!)) {
        const m = byAddr.get(addrKey(km.vaddr));
        const rights = km.vmRights === 3 ? 'RW' : km.vmRights === 2 ? 'R' : '';
        if (m) mappings.push(mappingDesc(m, km.vaddr, km.paddr, rights + (m.rights.execute ? 'X' : '')));
      }
    }
    return { name: as.name, kind: as.kind, root: as.root.name, mappings };
  });

  const states = untypedStates(booted);
  const runs = freeRuns(states);
  const largest = largestRun(runs);
  const byType: Record<string, number> = {};
  let objectBytes = 0n;
  for (const o of spec.objects) {
    const t = objectTypeLabel(o, arch);
    byType[t] = (byType[t] ?? 0) + 1;
    if (o.sizeBits > 0) objectBytes += 1n << BigInt(o.sizeBits);
  }
  let ramUsed = 0n;
  for (const u of states) if (!u.isDevice) ramUsed += u.used;
  let caps = 0;
  for (const o of spec.objects) caps += o.slots.size;

  return {
    board: input.boardName,
    arch,
    bootMode: input.bootMode,
    objects: spec.objects.map((o) => {
      const kid = kernelIdOf[o.id];
      const p = plan.paddrOf.get(o) ?? (o.embeddedOffset !== undefined && kid !== undefined ? k.objects[kid]!.paddr : undefined);
      return { id: o.id, type: objectTypeLabel(o, arch), sizeBits: o.sizeBits, paddr: p === undefined ? null : hex(p), name: o.name, untyped: utOf[o.id] ?? null, kernelId: kid ?? null };
    }),
    monitor: pdDesc(spec.monitor),
    pds: spec.pds.map(pdDesc),
    addressSpaces,
    irqs: spec.irqs.map((o) => ({ name: o.name, number: hex(o.irq!.kind === 'conventional' ? o.irq!.irq : BigInt(o.irq!.vector)), kernelIrq: realised.kernelIrq.get(o) ?? -1, pd: o.name.replace(/^irq_\d+_/, '') })),
    untypeds: states.map((u) => ({ index: u.index, paddr: hex(u.paddr), sizeBits: u.sizeBits, isDevice: u.isDevice, watermark: hex(u.used), used: u.touched })),
    physicalMemory: physicalMap(input, states, plan),
    zeroed: zeroedRanges(booted, states),
    largestFreeBlock: largest ? { paddr: hex(largest.start), size: hex(largest.end - largest.start) } : null,
    summary: {
      objects: spec.objects.length, objectsByType: byType, objectBytes: hex(objectBytes), ramUsed: hex(ramUsed), caps,
      invocations: realised.invocations, rootCNodeSlotsUsed: realised.slotsUsed, initialTaskImage: hex(input.image.rootImageBytes),
      specBytes: hex(input.image.specBytes), embeddedFrames: input.image.embeddedFrames, fillBytes: hex(input.image.fillBytes),
    },
  };
}

/** a Map key for an address: an exact Number where it fits (hashing a BigInt is slow), else the BigInt */
const addrKey = (a: bigint): number | bigint => (a >= 0n && a <= MAX_SAFE ? Number(a) : a);
const SIZE_HEX: string[] = Array.from({ length: 65 }, (_, bits) => hex(1n << BigInt(bits)));

function mappingDesc(m: SpecMapping, addr: bigint, paddr: bigint, rights: string): MappingDesc {
  return { addr: hex(addr), size: SIZE_HEX[m.sizeBits] ?? hex(1n << BigInt(m.sizeBits)), paddr: hex(paddr), rights, cached: m.cached, mr: m.mr, what: m.what, frame: m.frame.name };
}

function zeroedRanges(booted: Booted, states: UntypedState[]): BuildDescription['zeroed'] {
  const out: { start: bigint; end: bigint; label: string }[] = [];
  for (const r of booted.bootinfo.reserved) if (r.name === 'root-server objects') out.push({ start: r.start, end: r.end, label: 'root-server objects (zeroed at boot)' });
  for (const u of states) {
    if (u.isDevice || !u.touched) continue;
    const end = u.paddr + (1n << BigInt(u.sizeBits));
    const last = out[out.length - 1];
    if (last && last.end === u.paddr && last.label.startsWith('untyped')) last.end = end;
    else out.push({ start: u.paddr, end, label: 'untyped memory (zeroed by the kernel on first retype)' });
  }
  return out.sort((a, b) => (a.start < b.start ? -1 : 1)).map((r) => ({ start: hex(r.start), end: hex(r.end), label: r.label }));
}

function physicalMap(input: DescribeInput, states: UntypedState[], plan: AllocationPlan): PhysRangeDesc[] {
  const board = input.booted.kernel.board!;
  const out: { start: bigint; end: bigint; kind: PhysKind; label: string }[] = [];
  // the kernel's boot-only code at the end of its image is handed back as RAM untypeds
  let kernelEnd = board.kernelImage.end;
  for (const u of states) if (!u.isDevice && u.paddr >= board.kernelImage.start && u.paddr < kernelEnd) kernelEnd = u.paddr;
  out.push({ start: board.kernelImage.start, end: kernelEnd, kind: 'kernel', label: board.kernelImage.name });
  out.push({ start: input.image.rootImage.start, end: input.image.rootImage.end, kind: 'initial-task', label: input.image.rootImage.name });
  if (input.image.legacyRegion) out.push({ start: input.image.legacyRegion.start, end: input.image.legacyRegion.end, kind: 'pd-images', label: input.image.legacyRegion.name });
  for (const r of input.booted.bootinfo.reserved) if (r.name === 'root-server objects') out.push({ start: r.start, end: r.end, kind: 'rootserver-objects', label: 'root-server objects (root CNode, VSpace, TCB, bootinfo …)' });
  for (const u of states) {
    if (u.isDevice) continue;
    const end = u.paddr + (1n << BigInt(u.sizeBits));
    if (u.used > 0n) out.push({ start: u.paddr, end: u.paddr + u.used, kind: 'allocated', label: `untyped ${u.index}: objects` });
    if (u.paddr + u.used < end) out.push({ start: u.paddr + u.used, end, kind: 'free', label: `untyped ${u.index}: free` });
  }
  for (const r of board.ram) if (r.start < 0x10_0000n) out.push({ start: r.start, end: r.end < 0x10_0000n ? r.end : 0x10_0000n, kind: 'low-memory', label: `${r.name} (below 1 MiB: reported as device untypeds)` });
  for (const d of board.devices) out.push({ start: d.start, end: d.end, kind: 'device', label: d.name });
  // fixed-address frames outside RAM untypeds, merged per memory region
  const deviceUts = new Set(states.filter((u) => u.isDevice).map((u) => u.index));
  let run: { start: bigint; end: bigint; kind: PhysKind; label: string } | null = null;
  for (const op of plan.ops) {
    if (!op.obj || !deviceUts.has(op.ut) || input.image.legacyRegion?.start !== undefined && op.paddr >= input.image.legacyRegion.start && op.paddr < input.image.legacyRegion.end) continue;
    const label = op.obj.mr ? `memory region '${op.obj.mr}'` : op.obj.name;
    const end = op.paddr + (1n << BigInt(op.sizeBits));
    if (run && run.end === op.paddr && run.label === label) run.end = end;
    else {
      run = { start: op.paddr, end, kind: 'device-frames', label };
      out.push(run);
    }
  }
  const order: PhysKind[] = ['device', 'low-memory', 'kernel', 'initial-task', 'pd-images', 'rootserver-objects', 'device-frames', 'allocated', 'free'];
  out.sort((a, b) => (a.start !== b.start ? (a.start < b.start ? -1 : 1) : order.indexOf(a.kind) - order.indexOf(b.kind)));
  return out.map((r) => ({ start: hex(r.start), end: hex(r.end), kind: r.kind, label: r.label }));
}

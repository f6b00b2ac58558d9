/** Boot (§4): free memory from the board, root-server objects, the initial CSpace and the untyped list. */
import type { Board, PhysRange } from '../boards';
import {
  BOOT_THREAD_TIME_SLICE_US, HIGHMEM_PADDR, InitialCap, IT_ASID, MAX_BOOTINFO_UNTYPED_CAPS, ObjectType, PADDR_USER_DEVICE_TOP,
  ROOT_CNODE_SIZE_BITS, seL4_AllRights, seL4_MaxPrio, seL4_NumInitialCaps, seL4_TCBBits, tcbBuffer, tcbCTable, tcbVTable, ThreadState,
  VM_READ_WRITE, seL4_MinSchedContextBits,
} from './constants';
import { Kernel, type KernelOptions } from './kernel';
import { cteInsert } from './mdb';
import { AsidPoolObj, Cap, CapKind, MapType, type CNodeObj, type SchedContextObj, type TableObj, type TcbObj } from './objects';
import { NO_SLOT } from './slots';
import { levelIndex } from './vspace';

export interface BootOptions extends KernelOptions {
  /** size of the root task's ELF image in bytes (placed right after the kernel image); default 64 KiB */
  rootServerImageSize?: bigint;
  /** extra ranges reported as device memory (legacy "device-untyped patch" boot mode, microkit.md E.3) */
  extraDeviceRanges?: PhysRange[];
  /** size of the kernel's boot-only region reclaimed as untyped (at the end of the kernel image); default 64 KiB */
  bootCodeSize?: bigint;
  /** CONFIG_ROOT_CNODE_SIZE_BITS (default 12; Microkit's SDK builds the kernel with 17) */
  rootCNodeSizeBits?: number;
}

export interface UntypedDesc {
  paddr: bigint;
  sizeBits: number;
  isDevice: boolean;
}

export interface SlotRegion {
  start: number;
  end: number;
}

export interface BootInfo {
  nodeID: number;
  numNodes: number;
  ipcBuffer: bigint;
  initThreadCNodeSizeBits: number;
  empty: SlotRegion;
  userImageFrames: SlotRegion;
  userImagePaging: SlotRegion;
  schedcontrol: SlotRegion;
  untyped: SlotRegion;
  untypedList: UntypedDesc[];
  /** regions the boot reserved (kernel image + user image, kernel device pages, root-server objects) */
  reserved: PhysRange[];
}

export interface Booted {
  kernel: Kernel;
  rootTcb: TcbObj;
  rootCNode: CNodeObj;
  bootinfo: BootInfo;
}

export const USER_IMAGE_VADDR = 0x400000n;
const PAGE = 0x1000n;

const alignDown = (x: bigint, a: bigint): bigint => x & ~(a - 1n);
const alignUp = (x: bigint, a: bigint): bigint => (x + a - 1n) & ~(a - 1n);

function ctz(x: bigint): number {
  if (x === 0n) return 64;
  let n = 0;
  while (((x >> BigInt(n)) & 1n) === 0n) n++;
  return n;
}
function log2floor(x: bigint): number {
  return x.toString(2).length - 1;
}

/** Split [start, end) greedily into naturally aligned power-of-two chunks (§4.4). */
export function splitRegion(start: bigint, end: bigint, isDevice: boolean, out: UntypedDesc[]): void {
  let s = start;
  while (s < end) {
    const bits = Math.min(log2floor(end - s), 47, ctz(s));
    if (bits >= 4) out.push({ paddr: s, sizeBits: bits, isDevice });
    s += 1n << BigInt(bits);
  }
}

function subtract(regions: PhysRange[], cut: PhysRange): PhysRange[] {
  const out: PhysRange[] = [];
  for (const r of regions) {
    if (cut.end <= r.start || cut.start >= r.end) { out.push(r); continue; }
    if (r.start < cut.start) out.push({ start: r.start, end: cut.start, name: r.name });
    if (cut.end < r.end) out.push({ start: cut.end, end: r.end, name: r.name });
  }
  return out;
}

export function bootKernel(board: Board, opts: BootOptions = {}): Booted {
  const k = new Kernel({ cores: opts.cores ?? board.kernel.cores, guestRunner: opts.guestRunner });
  k.board = board;
  const imageSize = alignUp(opts.rootServerImageSize ?? 0x10000n, PAGE);
  const bootCode = opts.bootCodeSize ?? 0x10000n;
  const rootBits = opts.rootCNodeSizeBits ?? ROOT_CNODE_SIZE_BITS;

  // 1. free RAM: usable regions clipped to >= 1 MiB, page-rounded inwards, at most 16
  let free: PhysRange[] = [];
  for (const r of board.ram) {
    const s = alignUp(r.start < HIGHMEM_PADDR ? HIGHMEM_PADDR : r.start, PAGE);
    const e = alignDown(r.end, PAGE);
    if (e - s >= PAGE) free.push({ start: s, end: e, name: r.name });
  }
  free = free.slice(0, 16);
  // 2. reserved: kernel image through the end of the user image; kernel device pages
  const kernelRegion: PhysRange = { start: board.kernelImage.start, end: alignUp(board.kernelImage.end, PAGE) + imageSize, name: 'kernel + root task image' };
  const imageBase = alignUp(board.kernelImage.end, PAGE);
  free = subtract(free, kernelRegion);
  const extraDev = opts.extraDeviceRanges ?? [];
  for (const d of extraDev) free = subtract(free, d);
  const kernelDevices: PhysRange[] = board.devices
    .filter((d) => /IOAPIC|local APIC|DRHU/i.test(d.name))
    .map((d) => ({ start: d.start, end: d.start + PAGE, name: d.name }));
  kernelDevices.push({ start: 0xfffffff8n, end: 0x100000000n, name: 'MSI address window' });

  // 3. root-server objects at the top of the highest free region big enough
  const cnodeBytes = 1n << BigInt(rootBits + 5);
  const rsSize = cnodeBytes + 7n * PAGE + (1n << BigInt(seL4_TCBBits)) + (1n << BigInt(seL4_MinSchedContextBits));
  const sorted = [...free].sort((a, b) => (a.start < b.start ? 1 : -1));
  const host = sorted.find((r) => alignDown(r.end - rsSize, cnodeBytes) >= r.start);
  if (!host) throw new Error('boot: no free region large enough for the root server');
  const rsBase = alignDown(host.end - rsSize, cnodeBytes);
  const rsRegion: PhysRange = { start: rsBase, end: rsBase + alignUp(rsSize, PAGE), name: 'root-server objects' };
  free = subtract(free, rsRegion);
  let rsNext = rsBase;
  const carve = (bits: number): bigint => {
    const a = alignUp(rsNext, 1n << BigInt(bits));
    rsNext = a + (1n << BigInt(bits));
    return a;
  };

  // reserved list (kernel's view): free regions, kernel image, kernel devices, root server objects, extra device ranges are gaps
  const reserved: PhysRange[] = [kernelRegion, ...kernelDevices, rsRegion, ...free].sort((a, b) => (a.start < b.start ? -1 : 1));

  // root CNode
  const cnode = k.newObject(ObjectType.seL4_CapTableObject, carve(rootBits + 5), rootBits + 5) as CNodeObj;
  const slot = (i: number): number => cnode.slotBase + i;
  const put = (i: number, c: Cap): number => {
    k.slots.insert(slot(i), c, NO_SLOT, true, true);
    return slot(i);
  };
  const mk = (kind: number, obj = -1, paddr = 0n, sizeBits = 0): Cap => {
    const c = new Cap();
    c.kind = kind as Cap['kind'];
    c.obj = obj;
    c.paddr = paddr;
    c.pa = Number(paddr);
    c.sizeBits = sizeBits;
    return c;
  };
  const cnodeCap = mk(CapKind.CNode, cnode.id, cnode.paddr, cnode.sizeBits);
  cnodeCap.radix = rootBits;
  cnodeCap.guardSize = 64 - rootBits;
  put(InitialCap.seL4_CapInitThreadCNode, cnodeCap);

  // VSpace root + ASID pool 0 + ASID 1
  const pml4 = k.newObject(ObjectType.seL4_X64_PML4Object, carve(12), 12) as TableObj;
  const poolPaddr = carve(12);
  const pool = k.newObject(-1, poolPaddr, 12) as AsidPoolObj;
  pool.poolIndex = 0;
  k.asidTable[0] = pool.id;
  pool.entries[IT_ASID] = pml4.id;
  pml4.asid = IT_ASID;
  const pml4Cap = mk(CapKind.PML4, pml4.id, pml4.paddr, 12);
  pml4Cap.mapped = true;
  pml4Cap.mapAsid = IT_ASID;
  const vspaceSlot = put(InitialCap.seL4_CapInitThreadVSpace, pml4Cap);
  const poolCap = mk(CapKind.ASIDPool, pool.id, poolPaddr, 12);
  put(InitialCap.seL4_CapInitThreadASIDPool, poolCap);
  put(InitialCap.seL4_CapIRQControl, mk(CapKind.IRQControl));
  put(InitialCap.seL4_CapASIDControl, mk(CapKind.ASIDControl));
  const ioPortCtl = mk(CapKind.IOPortControl);
  put(InitialCap.seL4_CapIOPortControl, ioPortCtl);
  if (board.kernel.iommu) put(InitialCap.seL4_CapIOSpace, mk(CapKind.IOSpace));
  put(InitialCap.seL4_CapDomain, mk(CapKind.Domain));

  // paging structures for the user image, IPC buffer and bootinfo frames
  const nImage = Number(imageSize / PAGE);
  const pdpt = k.newObject(ObjectType.seL4_X86_PDPTObject, carve(12), 12) as TableObj;
  const pd = k.newObject(ObjectType.seL4_X86_PageDirectoryObject, carve(12), 12) as TableObj;
  const pt = k.newObject(ObjectType.seL4_X86_PageTableObject, carve(12), 12) as TableObj;
  const link = (parent: TableObj, child: TableObj, level: number): void => {
    const idx = levelIndex(USER_IMAGE_VADDR, level);
    parent.entries.set(idx, { table: child.id, paddr: child.paddr, sizeBits: 12, vmRights: VM_READ_WRITE, attr: 0 });
    child.parent = parent.id;
    child.parentIndex = idx;
  };
  link(pml4, pdpt, 4);
  link(pdpt, pd, 3);
  link(pd, pt, 2);
  const mapFrame = (paddr: bigint, vaddr: bigint): Cap => {
    const f = k.newObject(ObjectType.seL4_X86_4K, paddr, 12);
    pt.entries.set(levelIndex(vaddr, 1), { table: -1, paddr, sizeBits: 12, vmRights: VM_READ_WRITE, attr: 0 });
    const c = mk(CapKind.Frame, f.id, paddr, 12);
    c.vmRights = VM_READ_WRITE;
    c.mapType = MapType.VSpace;
    c.mapAsid = IT_ASID;
    c.mapVaddr = vaddr;
    return c;
  };
  const ipcVaddr = USER_IMAGE_VADDR + imageSize;
  const ipcCap = mapFrame(carve(12), ipcVaddr);
  const ipcSlot = put(InitialCap.seL4_CapInitThreadIPCBuffer, ipcCap);
  put(InitialCap.seL4_CapBootInfoFrame, mapFrame(carve(12), ipcVaddr + PAGE));

  // root TCB and SC
  const tcb = k.newObject(ObjectType.seL4_TCBObject, carve(seL4_TCBBits), seL4_TCBBits) as TcbObj;
  const tcbSlot = put(InitialCap.seL4_CapInitThreadTCB, mk(CapKind.TCB, tcb.id, tcb.paddr, seL4_TCBBits));
  const sc = k.newObject(ObjectType.seL4_SchedContextObject, carve(seL4_MinSchedContextBits), seL4_MinSchedContextBits) as SchedContextObj;
  put(InitialCap.seL4_CapInitThreadSC, mk(CapKind.SchedContext, sc.id, sc.paddr, seL4_MinSchedContextBits));
  void tcbSlot;

  let next = seL4_NumInitialCaps;
  const imgStart = next;
  for (let i = 0; i < nImage; i++) put(next++, mapFrame(imageBase + BigInt(i) * PAGE, USER_IMAGE_VADDR + BigInt(i) * PAGE));
  const imgEnd = next;
  const pagingStart = next;
  for (const t of [pdpt, pd, pt]) {
    const kind = t === pdpt ? CapKind.PDPT : t === pd ? CapKind.PageDirectory : CapKind.PageTable;
    const c = mk(kind, t.id, t.paddr, 12);
    c.mapped = true;
    c.mapAsid = IT_ASID;
    c.mapVaddr = alignDown(USER_IMAGE_VADDR, 1n << BigInt(12 + 9 * (t === pdpt ? 3 : t === pd ? 2 : 1)));
    put(next++, c);
  }
  const pagingEnd = next;
  const scStart = next;
  for (let core = 0; core < k.cores; core++) {
    const c = mk(CapKind.SchedControl);
    c.core = core;
    put(next++, c);
  }
  const scEnd = next;

  // 4. untypeds: device gaps, boot-only kernel region, free RAM
  const list: UntypedDesc[] = [];
  let cursor = 0n;
  for (const r of reserved) {
    if (r.start > cursor) splitRegion(cursor, r.start, true, list);
    if (r.end > cursor) cursor = r.end;
  }
  if (cursor < PADDR_USER_DEVICE_TOP) splitRegion(cursor, PADDR_USER_DEVICE_TOP, true, list);
  if (bootCode > 0n) splitRegion(board.kernelImage.end - bootCode, board.kernelImage.end, false, list);
  for (const r of [...free].sort((a, b) => (a.start < b.start ? -1 : 1))) splitRegion(r.start, r.end, false, list);
  const untypedList = list.slice(0, MAX_BOOTINFO_UNTYPED_CAPS);
  const utStart = next;
  for (const u of untypedList) {
    const c = mk(CapKind.Untyped, -1, u.paddr, u.sizeBits);
    c.isDevice = u.isDevice;
    c.freeIndex = 2 ** (u.sizeBits - 4); // boot untypeds start "full" (§4.6)
    put(next++, c);
  }
  const utEnd = next;

  // root thread state: CTable, VTable, IPC buffer installed as MDB copies; priority = MCP = 255; SC bound
  cteInsert(k, cnodeCap.clone(), slot(InitialCap.seL4_CapInitThreadCNode), tcb.slotBase + tcbCTable);
  cteInsert(k, pml4Cap.clone(), vspaceSlot, tcb.slotBase + tcbVTable);
  const ipcCopy = ipcCap.clone();
  ipcCopy.mapType = MapType.None;
  ipcCopy.mapAsid = 0;
  ipcCopy.mapVaddr = 0n;
  cteInsert(k, ipcCopy, ipcSlot, tcb.slotBase + tcbBuffer);
  tcb.prio = seL4_MaxPrio;
  tcb.mcp = seL4_MaxPrio;
  tcb.ipcBufferVaddr = ipcVaddr;
  tcb.regs[0] = USER_IMAGE_VADDR;
  tcb.name = 'rootserver';
  sc.budget = BOOT_THREAD_TIME_SLICE_US;
  sc.period = 0n;
  sc.remaining = sc.budget;
  sc.configured = true;
  sc.tcb = tcb.id;
  tcb.sc = sc.id;
  tcb.state = ThreadState.Running;
  k.current[0] = tcb.id;
  void seL4_AllRights;

  const bootinfo: BootInfo = {
    nodeID: 0,
    numNodes: k.cores,
    ipcBuffer: ipcVaddr,
    initThreadCNodeSizeBits: rootBits,
    empty: { start: utEnd, end: 1 << rootBits },
    userImageFrames: { start: imgStart, end: imgEnd },
    userImagePaging: { start: pagingStart, end: pagingEnd },
    schedcontrol: { start: scStart, end: scEnd },
    untyped: { start: utStart, end: utEnd },
    untypedList,
    reserved,
  };
  return { kernel: k, rootTcb: tcb, rootCNode: cnode, bootinfo };
}

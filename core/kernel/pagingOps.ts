/** x86_64 paging and EPT invocations, ASID control and pools (§1.3 x86 paging, §6.2, §7). */
import {
  Label, ObjectType, RIGHT_READ, seL4_AlignmentError, seL4_DeleteFirst, seL4_FailedLookup, seL4_IllegalOperation, seL4_InvalidArgument,
  seL4_InvalidCapability, seL4_InvalidRoot, seL4_TruncatedMessage, seL4_UserTop, seL4_RevokeFirst, VM_READ_ONLY, seL4_ASIDPoolBits,
} from './constants';
import { maskVMRights } from './capRelations';
import { failedLookup, LookupFault, syserr } from './errors';
import { EMPTY, mr, type Invocation, type InvokeResult } from './invocation';
import type { Kernel } from './kernel';
import { lookupSlotForCNodeOp, missing } from './lookup';
import { hasChildren, insertNewCap, isFinalCapability } from './mdb';
import { AsidPoolObj, Cap, CapKind, MapType, type TableObj } from './objects';
import { findRootForAsid, leafLevelFor, levelIndex, tableLevel, unlinkTable, unmapFrameCap, walkTo } from './vspace';

/** 2^bits as BigInts (BigInt(n) allocates; every frame map needs its size) */
const POW2: bigint[] = Array.from({ length: 65 }, (_, i) => 1n << BigInt(i));

function noMapping(): never {
  throw syserr(seL4_FailedLookup, 0, 2, 0); // MissingCapability-style lookup failure of the page walk
}

/** Check a root cap (VSpace or EPT) and return its object id. */
function rootFor(k: Kernel, c: Cap | null, ept: boolean, capIndex: number): number {
  const want = ept ? CapKind.EPTPML4 : CapKind.PML4;
  if (!c || c.kind !== want || !c.mapped) throw syserr(seL4_InvalidCapability, capIndex);
  const root = findRootForAsid(k, c.mapAsid);
  if (root < 0) throw failedLookup(false, new LookupFault(seL4_InvalidRoot));
  if (root !== c.obj) throw syserr(seL4_InvalidCapability, capIndex);
  return root;
}

function emitMap(k: Kernel, asid: number, vaddr: bigint, paddr: bigint, sizeBits: number, ept: boolean): void {
  if (k.hook) k.emit({ kind: 'map', asid, vaddr, paddr, sizeBits, ept });
}

export function decodeFrame(inv: Invocation): InvokeResult {
  const { k, cap } = inv;
  switch (inv.label) {
    case Label.X86PageMap: {
      if (inv.len < 3 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
      const vaddr = mr(inv, 0);
      const rightsW = Number(mr(inv, 1) & 0xfn);
      const attr = Number(mr(inv, 2));
      const vs = inv.extra[0];
      if (vs.kind !== CapKind.PML4 || !vs.mapped) throw syserr(seL4_InvalidCapability, 1);
      const asid = vs.mapAsid;
      const size = POW2[cap.sizeBits];
      if (cap.mapType !== MapType.None) {
        if (cap.mapAsid !== asid) throw syserr(seL4_InvalidCapability, 1);
        if (cap.mapType !== MapType.VSpace) throw syserr(seL4_IllegalOperation);
        if (cap.mapVaddr !== vaddr) throw syserr(seL4_InvalidArgument, 0);
      } else if (vaddr + size > seL4_UserTop) throw syserr(seL4_InvalidArgument, 0);
      const root = findRootForAsid(k, asid);
      if (root < 0) throw failedLookup(false, new LookupFault(seL4_InvalidRoot));
      if (root !== vs.obj) throw syserr(seL4_InvalidCapability, 1);
      const vm = maskVMRights(cap.vmRights, rightsW);
      if (vaddr & (size - 1n)) throw syserr(seL4_AlignmentError);
      const level = leafLevelFor(cap.sizeBits);
      const t = walkTo(k, root, vaddr, level);
      if (t < 0) throw failedLookup(false, missing(level === 1 ? 21 : level === 2 ? 30 : 39));
      const table = k.obj<TableObj>(t);
      const idx = levelIndex(vaddr, level);
      const e = table.entries.get(idx);
      // 4K overwrites silently; 2M/1G fail only if a table occupies the entry (§7 quirks)
      if (e && e.table >= 0) throw syserr(seL4_DeleteFirst);
      table.entries.set(idx, { table: -1, paddr: cap.paddr, sizeBits: cap.sizeBits, vmRights: vm, attr });
      cap.mapType = MapType.VSpace;
      cap.mapAsid = asid;
      cap.mapVaddr = vaddr;
      emitMap(k, asid, vaddr, cap.paddr, cap.sizeBits, false);
      return EMPTY;
    }
    case Label.X86PageUnmap:
      unmapFrameCap(k, cap);
      return EMPTY;
    case Label.X86PageGetAddress:
      return [cap.paddr];
    case Label.X86PageMapEPT: {
      if (inv.len < 3 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
      if (cap.mapType !== MapType.None) throw syserr(seL4_InvalidCapability, 0);
      if (cap.sizeBits === 30) throw syserr(seL4_InvalidCapability, 0);
      const gpa = mr(inv, 0);
      const rightsW = Number(mr(inv, 1) & 0xfn);
      const attr = Number(mr(inv, 2));
      const root = rootFor(k, inv.extra[0], true, 1);
      const vm = maskVMRights(cap.vmRights, rightsW);
      const size = POW2[cap.sizeBits];
      if (gpa & (size - 1n)) throw syserr(seL4_AlignmentError);
      const level = leafLevelFor(cap.sizeBits);
      const t = walkTo(k, root, gpa, level);
      if (t < 0) throw failedLookup(false, missing(level === 1 ? 21 : 30));
      const table = k.obj<TableObj>(t);
      const idx = levelIndex(gpa, level);
      if (table.entries.has(idx)) throw syserr(seL4_DeleteFirst);
      const eptAttr = attr === 0 || attr === 1 || attr === 4 || attr === 6 ? attr : 6;
      table.entries.set(idx, { table: -1, paddr: cap.paddr, sizeBits: cap.sizeBits, vmRights: vm, attr: eptAttr });
      cap.mapType = MapType.EPT;
      cap.mapAsid = inv.extra[0]!.mapAsid;
      cap.mapVaddr = gpa;
      emitMap(k, cap.mapAsid, gpa, cap.paddr, cap.sizeBits, true);
      return EMPTY;
    }
    case Label.X86PageMapIO:
      throw syserr(seL4_IllegalOperation);
  }
  throw syserr(seL4_IllegalOperation);
}

/** EPT leaf writable? (§6.2: ReadOnly → not writable; KernelOnly is treated as writable) */
export function eptWritable(vmRights: number): boolean {
  return vmRights !== VM_READ_ONLY;
}

const TABLE_LABELS: Record<number, { map: number; unmap: number; ept: boolean }> = {
  [CapKind.PDPT]: { map: Label.X86PDPTMap, unmap: Label.X86PDPTUnmap, ept: false },
  [CapKind.PageDirectory]: { map: Label.X86PageDirectoryMap, unmap: Label.X86PageDirectoryUnmap, ept: false },
  [CapKind.PageTable]: { map: Label.X86PageTableMap, unmap: Label.X86PageTableUnmap, ept: false },
  [CapKind.EPTPDPT]: { map: Label.X86EPTPDPTMap, unmap: Label.X86EPTPDPTUnmap, ept: true },
  [CapKind.EPTPD]: { map: Label.X86EPTPDMap, unmap: Label.X86EPTPDUnmap, ept: true },
  [CapKind.EPTPT]: { map: Label.X86EPTPTMap, unmap: Label.X86EPTPTUnmap, ept: true },
};

export function decodeTable(inv: Invocation): InvokeResult {
  const { k, cap } = inv;
  const spec = TABLE_LABELS[cap.kind];
  const table = k.obj<TableObj>(cap.obj);
  if (inv.label === spec.unmap) {
    if (!isFinalCapability(k, inv.slot)) throw syserr(seL4_RevokeFirst);
    if (cap.mapped) {
      unlinkTable(k, cap.obj);
      for (const e of table.entries.values()) if (e.table >= 0) k.obj<TableObj>(e.table).parent = -1;
      table.entries.clear();
      if (k.hook) k.emit({ kind: 'unmap', asid: cap.mapAsid, vaddr: cap.mapVaddr, ept: spec.ept });
    }
    cap.mapped = false;
    cap.mapAsid = 0;
    cap.mapVaddr = 0n;
    return EMPTY;
  }
  if (inv.label !== spec.map) throw syserr(seL4_IllegalOperation);
  if (inv.len < 2 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
  if (cap.mapped) throw syserr(seL4_InvalidCapability, 0);
  const level = tableLevel(table.type);
  const vaddr = mr(inv, 0) & ~((1n << BigInt(12 + 9 * level)) - 1n);
  const attr = Number(mr(inv, 1));
  const rc = inv.extra[0];
  const want = spec.ept ? CapKind.EPTPML4 : CapKind.PML4;
  if (rc.kind !== want || !rc.mapped) throw syserr(seL4_InvalidCapability, 1);
  if (!spec.ept && vaddr >= seL4_UserTop) throw syserr(seL4_InvalidArgument, 0);
  const root = rootFor(k, rc, spec.ept, 1);
  const parentLevel = level + 1;
  const p = walkTo(k, root, vaddr, parentLevel);
  if (p < 0) throw failedLookup(false, missing(12 + 9 * parentLevel));
  const parent = k.obj<TableObj>(p);
  const idx = levelIndex(vaddr, parentLevel);
  if (parent.entries.has(idx)) throw syserr(seL4_DeleteFirst);
  parent.entries.set(idx, { table: table.id, paddr: table.paddr, sizeBits: 12, vmRights: 3, attr });
  table.parent = p;
  table.parentIndex = idx;
  cap.mapped = true;
  cap.mapAsid = rc.mapAsid;
  cap.mapVaddr = vaddr;
  return EMPTY;
}

export function decodeASIDControl(inv: Invocation): InvokeResult {
  const { k } = inv;
  if (inv.label !== Label.X86ASIDControlMakePool) throw syserr(seL4_IllegalOperation);
  if (inv.len < 2 || !inv.extra[0] || !inv.extra[1]) throw syserr(seL4_TruncatedMessage);
  let poolIndex = -1;
  for (let i = 0; i < k.asidTable.length; i++) if (k.asidTable[i] < 0) { poolIndex = i; break; }
  if (poolIndex < 0) throw syserr(seL4_DeleteFirst);
  const ut = inv.extra[0];
  if (ut.kind !== CapKind.Untyped || ut.sizeBits !== seL4_ASIDPoolBits || ut.isDevice) throw syserr(seL4_InvalidCapability, 1);
  if (hasChildren(k, inv.extraSlots[0])) throw syserr(seL4_RevokeFirst);
  const dest = lookupSlotForCNodeOp(k, false, inv.extra[1], mr(inv, 0), mr(inv, 1));
  if (k.slots.caps[dest]) throw syserr(seL4_DeleteFirst);
  makePool(k, inv.extraSlots[0], dest, poolIndex);
  return EMPTY;
}

export function makePool(k: Kernel, utSlot: number, dest: number, poolIndex: number): AsidPoolObj {
  const ut = k.slots.caps[utSlot]!;
  ut.freeIndex = 2 ** (ut.sizeBits - 4);
  const pool = k.newObject(-1, ut.paddr, seL4_ASIDPoolBits) as AsidPoolObj;
  pool.poolIndex = poolIndex;
  k.asidTable[poolIndex] = pool.id;
  const c = new Cap();
  c.kind = CapKind.ASIDPool;
  c.obj = pool.id;
  c.paddr = ut.paddr;
  c.pa = Number(ut.paddr);
  c.sizeBits = seL4_ASIDPoolBits;
  c.asidBase = poolIndex << 9;
  insertNewCap(k, utSlot, dest, c);
  return pool;
}

export function decodeASIDPool(inv: Invocation): InvokeResult {
  const { k } = inv;
  if (inv.label !== Label.X86ASIDPoolAssign) throw syserr(seL4_IllegalOperation);
  if (!inv.extra[0]) throw syserr(seL4_TruncatedMessage);
  const vs = inv.extra[0];
  if ((vs.kind !== CapKind.PML4 && vs.kind !== CapKind.EPTPML4) || vs.mapped) throw syserr(seL4_InvalidCapability, 1);
  const poolIndex = inv.cap.asidBase >> 9;
  const poolId = k.asidTable[poolIndex];
  if (poolId < 0) throw failedLookup(false, new LookupFault(seL4_InvalidRoot));
  if (poolId !== inv.cap.obj) throw syserr(seL4_InvalidCapability, 0);
  const pool = k.obj<AsidPoolObj>(poolId);
  let i = poolIndex === 0 ? 1 : 0;
  while (i < 512 && pool.entries[i] >= 0) i++;
  if (i >= 512) throw syserr(seL4_DeleteFirst);
  pool.entries[i] = vs.obj;
  vs.mapped = true;
  vs.mapAsid = inv.cap.asidBase + i;
  k.obj<TableObj>(vs.obj).asid = vs.mapAsid;
  return EMPTY;
}

export { ObjectType, RIGHT_READ, noMapping };

/** x86_64 paging and EPT structures: ASID lookup, table walks, mapping and unmapping (§1.3, §6.2, §7). */
import { ObjectType } from './constants';
import type { Kernel } from './kernel';
import { AsidPoolObj, Cap, CapKind, MapType, TableObj, type Pte } from './objects';
const OT = { ...ObjectType };
/** BigInt(12 + 9 * (level - 1)) for levels 1..4 (BigInt(n) allocates; walks run on every map) */
const LEVEL_SHIFT: (bigint | undefined)[] = [undefined, 12n, 21n, 30n, 39n];
/** Index of vaddr at each level: 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT. */
export function levelIndex(vaddr: bigint, level: number): number {
  return Number((vaddr >> (LEVEL_SHIFT[level] ?? BigInt(12 + 9 * (level - 1)))) & 511n);
}

/** Level whose entries map a frame of this size (PT for 4K, PD for 2M, PDPT for 1G). */
export function leafLevelFor(sizeBits: number): number {
  return sizeBits === 12 ? 1 : sizeBits === 21 ? 2 : 3;
}

/** Level a table type occupies (PML4 = 4 ... PT = 1). */
export function tableLevel(type: number): number {
  switch (type) {
    case OT.seL4_X64_PML4Object:
    case OT.seL4_X86_EPTPML4Object:
      return 4;
    case OT.seL4_X86_PDPTObject:
    case OT.seL4_X86_EPTPDPTObject:
      return 3;
    case OT.seL4_X86_PageDirectoryObject:
    case OT.seL4_X86_EPTPDObject:
      return 2;
    default:
      return 1;
  }
}

/** Root object for an ASID, or -1 (pool missing or entry empty). */
export function findRootForAsid(k: Kernel, asid: number): number {
  if (asid <= 0 || asid >= 4096) return -1;
  const poolId = k.asidTable[asid >> 9];
  if (poolId < 0) return -1;
  const pool = k.objects[poolId] as AsidPoolObj;
  return pool.entries[asid & 511];
}

/** Walk from the root down to the table at `level` that covers vaddr; -1 when a level is missing. */
export function walkTo(k: Kernel, rootId: number, vaddr: bigint, level: number): number {
  let t = rootId;
  for (let l = 4; l > level; l--) {
    const table = k.objects[t] as TableObj;
    const e = table.entries.get(levelIndex(vaddr, l));
    if (!e || e.table < 0) return -1;
    t = e.table;
  }
  return t;
}

/** Remove a frame cap's mapping if the entry still points at this frame; clears the cap's record. */
export function unmapFrameCap(k: Kernel, c: Cap): void {
  if (c.mapType === MapType.VSpace || c.mapType === MapType.EPT) {
    const root = findRootForAsid(k, c.mapAsid);
    const wantEpt = c.mapType === MapType.EPT;
    if (root >= 0 && (k.objects[root]!.type === OT.seL4_X86_EPTPML4Object) === wantEpt) {
      const level = leafLevelFor(c.sizeBits);
      const t = walkTo(k, root, c.mapVaddr, level);
      if (t >= 0) {
        const table = k.objects[t] as TableObj;
        const idx = levelIndex(c.mapVaddr, level);
        const e = table.entries.get(idx);
        if (e && e.table < 0 && e.paddr === c.paddr) {
          table.entries.delete(idx);
          k.emit({ kind: 'unmap', asid: c.mapAsid, vaddr: c.mapVaddr, ept: wantEpt });
        }
      }
    }
  }
  c.mapType = MapType.None;
  c.mapAsid = 0;
  c.mapVaddr = 0n;
}

/** Unlink a paging table from its parent entry (if the entry still points at it). */
export function unlinkTable(k: Kernel, tableId: number): void {
  const t = k.objects[tableId] as TableObj;
  if (t.parent >= 0) {
    const p = k.objects[t.parent] as TableObj;
    const e = p.entries.get(t.parentIndex);
    if (p.alive && e && e.table === tableId) p.entries.delete(t.parentIndex);
  }
  t.parent = -1;
  t.parentIndex = -1;
}

/** Remove a VSpace/EPT root from its ASID pool. */
export function deleteAsid(k: Kernel, asid: number, rootId: number): void {
  const poolId = k.asidTable[asid >> 9];
  if (poolId < 0) return;
  const pool = k.objects[poolId] as AsidPoolObj;
  if (pool.entries[asid & 511] === rootId) pool.entries[asid & 511] = -1;
}

export function isTableCap(kind: number): boolean {
  return kind === CapKind.PDPT || kind === CapKind.PageDirectory || kind === CapKind.PageTable || kind === CapKind.EPTPDPT || kind === CapKind.EPTPD || kind === CapKind.EPTPT;
}

export function setEntry(table: TableObj, index: number, pte: Pte): void {
  table.entries.set(index, pte);
}

/** Every leaf mapping reachable from a root: for the memory views. */
export function listMappings(k: Kernel, rootId: number): { vaddr: bigint; paddr: bigint; sizeBits: number; vmRights: number; attr: number }[] {
  const out: { vaddr: bigint; paddr: bigint; sizeBits: number; vmRights: number; attr: number }[] = [];
  const walk = (id: number, level: number, base: bigint): void => {
    const t = k.objects[id] as TableObj;
    const keys = [...t.entries.keys()].sort((a, b) => a - b);
    for (const i of keys) {
      const e = t.entries.get(i)!;
      const va = base | (BigInt(i) << BigInt(12 + 9 * (level - 1)));
      if (e.table >= 0) walk(e.table, level - 1, va);
      else out.push({ vaddr: va, paddr: e.paddr, sizeBits: e.sizeBits, vmRights: e.vmRights, attr: e.attr });
    }
  };
  walk(rootId, 4, 0n);
  return out;
}

/** Building address spaces in the spec the way the tool's `AddressSpace::map_page` does: walk
 * from the root, creating each missing intermediate table (named `<level>_<space>_<vaddr|ioaddr>_<coverage start>`),
 * and refuse a slot that is already filled. The paging geometry is the architecture's (§D.2):
 * x86_64 4 levels from level 0; AArch64 4 levels, starting at level 1 with a 10-bit (8 KiB) root on
 * hypervisor kernels with 40-bit physical addresses; RISC-V Sv39 3 levels. */
import type { KernelConfig } from '../boards';
import { CAPDL_NUM_IOPT_LEVELS, IOSPACE_ROOT_IOPT_SLOT, OBJ_BITS } from './constants';
import { newObject, type AddressSpaceKind, type SpecAddressSpace, type SpecCap, type SpecMapping, type SpecObject } from './spec';

const LEAF_BITS = 12;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export interface PagingProfile {
  levels: number;
  rootLevel: number;
  names: string[];
  /** index bits per level */
  indexBits: number[];
  /** size of the root table object */
  rootSizeBits: number;
}

export function pagingProfile(kernel: KernelConfig): PagingProfile {
  switch (kernel.arch) {
    case 'x86_64':
      return { levels: 4, rootLevel: 0, names: ['pml4', 'pdpt', 'pd', 'pt'], indexBits: [9, 9, 9, 9], rootSizeBits: 12 };
    case 'aarch64': {
      const l1 = kernel.hypervisor && kernel.physAddrBits === 40;
      return l1
        ? { levels: 4, rootLevel: 1, names: ['pgd', 'pud', 'pd', 'pt'], indexBits: [9, 10, 9, 9], rootSizeBits: 13 }
        : { levels: 4, rootLevel: 0, names: ['pgd', 'pud', 'pd', 'pt'], indexBits: [9, 9, 9, 9], rootSizeBits: 12 };
    }
    case 'riscv64':
      return { levels: 3, rootLevel: 0, names: ['pgd', 'pmd', 'pte'], indexBits: [9, 9, 9], rootSizeBits: 12 };
  }
}

const IOSPACE_PROFILE: PagingProfile = {
  levels: CAPDL_NUM_IOPT_LEVELS + 1, rootLevel: 0, names: ['iospace', 'iopt_level_0', 'iopt_level_1', 'iopt_level_2'], indexBits: [0, 9, 9, 9], rootSizeBits: 0,
};

export class AddressSpaceBuilder {
  readonly space: SpecAddressSpace;
  private readonly p: PagingProfile;
  /** per level: shift of its index in an address, and the index mask */
  private readonly shifts: bigint[] = [];
  private readonly masks: bigint[] = [];
  /** the same as Numbers: 2^shift and the number of entries */
  private readonly divisors: number[] = [];
  private readonly entries: number[] = [];

  constructor(
    profile: PagingProfile,
    name: string,
    kind: AddressSpaceKind,
    private readonly addObject: (o: SpecObject) => void,
    root: SpecObject,
  ) {
    this.p = kind === 'iospace' ? IOSPACE_PROFILE : profile;
    this.space = { name, kind, root, mappings: [] };
    for (let l = 0; l < this.p.levels; l++) {
      this.shifts.push(BigInt(this.shiftOf(l)));
      this.masks.push(BigInt((1 << this.p.indexBits[l]) - 1));
      this.divisors.push(2 ** this.shiftOf(l));
      this.entries.push(2 ** this.p.indexBits[l]);
    }
  }

  static rootName(profile: PagingProfile, name: string): string {
    return `${profile.names[profile.rootLevel]}_${name}`;
  }

  /** address bits below `level`'s index (the span one entry of that level covers) */
  private shiftOf(level: number): number {
    let s = LEAF_BITS;
    for (let l = level + 1; l < this.p.levels; l++) s += this.p.indexBits[l];
    return s;
  }

  /** `n`: the address as an exact Number (addresses below 2^53), or -1 to use BigInt arithmetic */
  private index(level: number, addr: bigint, n: number): number {
    if (this.space.kind === 'iospace' && level === 0) return IOSPACE_ROOT_IOPT_SLOT;
    if (n >= 0) return Math.floor(n / this.divisors[level]) % this.entries[level];
    return Number((addr >> this.shifts[level]) & this.masks[level]);
  }

  /** Make an intermediate table object for `level` (below the root). */
  makeTable(level: number, name: string): SpecObject {
    if (this.space.kind === 'iospace') return newObject('io_page_table', name, OBJ_BITS.ioPageTable, null, { level: level - 1 });
    return newObject('page_table', name, OBJ_BITS.pageTable, null, { level, isRoot: false, ept: this.space.kind === 'ept' });
  }

  /** Install the spare IOPTs in slots 1..n of an IOSpace root. */
  addSpares(n: number): void {
    for (let i = 0; i < n; i++) {
      const slot = IOSPACE_ROOT_IOPT_SLOT + 1 + i;
      const t = this.makeTable(1, `${this.p.names[1]}_${this.space.name}_spare_${slot}`);
      this.addObject(t);
      this.space.root.slots.set(slot, { obj: t });
    }
  }

  /** Map one frame cap; returns an error text (the tool's wording) or null. */
  mapPage(cap: SpecCap, pageBits: number, addr: bigint, info: Omit<SpecMapping, 'addr' | 'frame' | 'sizeBits'>): string | null {
    const leaf = pageBits === LEAF_BITS ? this.p.levels - 1 : this.p.levels - 2;
    const n = addr >= 0n && addr <= MAX_SAFE ? Number(addr) : -1;
    let table = this.space.root;
    for (let level = this.p.rootLevel; level < leaf; level++) {
      const slot = this.index(level, addr, n);
      const existing = table.slots.get(slot);
      if (existing) {
        if (existing.obj.kind === 'frame') return this.filled(table, level, slot);
        table = existing.obj;
        continue;
      }
      const next = level + 1;
      // the tool names a table after the span of one of its entries around the address that created it
      const cover = this.shifts[next];
      const start = (addr >> cover) << cover;
      const label = this.space.kind === 'iospace' ? 'ioaddr' : 'vaddr';
      const t = this.makeTable(next, `${this.p.names[next]}_${this.space.name}_${label}_0x${start.toString(16)}`);
      this.addObject(t);
      table.slots.set(slot, { obj: t });
      table = t;
    }
    const slot = this.index(leaf, addr, n);
    if (table.slots.has(slot)) return this.filled(table, leaf, slot);
    table.slots.set(slot, cap);
    this.space.mappings.push({ addr, frame: cap.obj, sizeBits: pageBits, ...info });
    return null;
  }

  private filled(table: SpecObject, level: number, slot: number): string {
    return `address-space '${this.space.name}': slot ${slot} at level ${level} in object '${table.name}' is already filled`;
  }
}

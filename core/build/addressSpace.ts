/** Building address spaces in the spec the way the tool's `AddressSpace::map_page` does: walk
 * from the root, creating each missing intermediate table (named `<level>_<space>_<vaddr|ioaddr>_<coverage start>`),
 * and refuse a slot that is already filled. */
import type { Arch } from '../boards';
import { CAPDL_NUM_IOPT_LEVELS, IOSPACE_ROOT_IOPT_SLOT, OBJ_BITS } from './constants';
import { newObject, type AddressSpaceKind, type SpecAddressSpace, type SpecCap, type SpecMapping, type SpecObject } from './spec';

const LEAF_BITS = 12;
const INDEX_BITS = 9;
/** The simulator gives every architecture a 4-level, 9-bits-per-level VSpace (see SIMPLIFICATIONS.md). */
const VSPACE_LEVELS = 4;

const LEVEL_NAMES: Record<Arch, string[]> = {
  x86_64: ['pml4', 'pdpt', 'pd', 'pt'],
  aarch64: ['pgd', 'pud', 'pd', 'pt'],
  riscv64: ['pgd', 'pud', 'pmd', 'pte'],
};

export class AddressSpaceBuilder {
  readonly space: SpecAddressSpace;
  private readonly levels: number;

  constructor(
    private readonly arch: Arch,
    name: string,
    kind: AddressSpaceKind,
    private readonly addObject: (o: SpecObject) => void,
    root: SpecObject,
  ) {
    this.levels = kind === 'iospace' ? CAPDL_NUM_IOPT_LEVELS + 1 : VSPACE_LEVELS;
    this.space = { name, kind, root, mappings: [] };
  }

  static rootName(arch: Arch, name: string): string {
    return `${LEVEL_NAMES[arch][0]}_${name}`;
  }

  private levelName(level: number): string {
    if (this.space.kind === 'iospace') return level === 0 ? 'iospace' : `iopt_level_${level - 1}`;
    return LEVEL_NAMES[this.arch][level];
  }

  /** address bits below `level`'s index (the span one entry of that level covers) */
  private shiftOf(level: number): number {
    return LEAF_BITS + INDEX_BITS * (this.levels - 1 - level);
  }

  private index(level: number, addr: bigint): number {
    if (this.space.kind === 'iospace' && level === 0) return IOSPACE_ROOT_IOPT_SLOT;
    return Number((addr >> BigInt(this.shiftOf(level))) & BigInt((1 << INDEX_BITS) - 1));
  }

  /** Make an intermediate table object for `level` (>= 1). */
  makeTable(level: number, name: string): SpecObject {
    if (this.space.kind === 'iospace') return newObject('io_page_table', name, OBJ_BITS.ioPageTable, null, { level: level - 1 });
    return newObject('page_table', name, OBJ_BITS.pageTable, null, { level, isRoot: false, ept: this.space.kind === 'ept' });
  }

  /** Install the spare IOPTs in slots 1..n of an IOSpace root. */
  addSpares(n: number): void {
    for (let i = 0; i < n; i++) {
      const slot = IOSPACE_ROOT_IOPT_SLOT + 1 + i;
      const t = this.makeTable(1, `${this.levelName(1)}_${this.space.name}_spare_${slot}`);
      this.addObject(t);
      this.space.root.slots.set(slot, { obj: t });
    }
  }

  /** Map one frame cap; returns an error text (the tool's wording) or null. */
  mapPage(cap: SpecCap, pageBits: number, addr: bigint, info: Omit<SpecMapping, 'addr' | 'frame' | 'sizeBits'>): string | null {
    const leaf = pageBits === 12 ? this.levels - 1 : this.levels - 2;
    let table = this.space.root;
    for (let level = 0; level < leaf; level++) {
      const slot = this.index(level, addr);
      const existing = table.slots.get(slot);
      if (existing) {
        if (existing.obj.kind === 'frame') return this.filled(table, level, slot);
        table = existing.obj;
        continue;
      }
      const next = level + 1;
      // the tool names a table after the span of one of its entries around the address that created it
      const cover = BigInt(this.shiftOf(next));
      const start = (addr >> cover) << cover;
      const label = this.space.kind === 'iospace' ? 'ioaddr' : 'vaddr';
      const t = this.makeTable(next, `${this.levelName(next)}_${this.space.name}_${label}_0x${start.toString(16)}`);
      this.addObject(t);
      table.slots.set(slot, { obj: t });
      table = t;
    }
    const slot = this.index(leaf, addr);
    if (table.slots.has(slot)) return this.filled(table, leaf, slot);
    table.slots.set(slot, cap);
    this.space.mappings.push({ addr, frame: cap.obj, sizeBits: pageBits, ...info });
    return null;
  }

  private filled(table: SpecObject, level: number, slot: number): string {
    return `address-space '${this.space.name}': slot ${slot} at level ${level} in object '${table.name}' is already filled`;
  }
}

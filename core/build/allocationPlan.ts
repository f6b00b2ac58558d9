/** The capDL initialiser's object allocation (microkit.md §D.8, the tool's
 * `simulate_capdl_object_alloc_algorithm`): untypeds in address order; objects with a fixed paddr
 * are placed exactly (the watermark is pushed forward with the largest aligned padding that fits,
 * filling gaps with other objects when the untyped is RAM); everything else is placed greedily,
 * largest size that the current alignment and remaining space allow. Device untypeds only serve
 * fixed-paddr objects. The result is the exact list of retypes the initialiser performs. */
import type { SpecObject } from './spec';

export interface UntypedIn {
  /** index in bootinfo's untyped list */
  index: number;
  paddr: bigint;
  sizeBits: number;
  isDevice: boolean;
}

/** One Untyped_Retype: an object, or padding (an untyped child) that moves the watermark. */
export type RetypeOp = { ut: number; paddr: bigint; sizeBits: number; obj: SpecObject | null };

export interface AllocationPlan {
  ops: RetypeOp[];
  /** object id → planned physical address */
  paddrOf: Map<SpecObject, bigint>;
  /** fixed-paddr objects that lie in no untyped */
  outside: SpecObject[];
  /** fixed-paddr objects that collide with an earlier one */
  overlapping: { obj: SpecObject; previous: SpecObject }[];
  /** objects left unallocated for lack of memory, by size bits */
  shortfall: { sizeBits: number; count: number; first: SpecObject }[];
}

const TWO32 = 2 ** 32;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** 2^bits as BigInts (BigInt(n) and shifts allocate; this runs once per object) */
const POW2: bigint[] = Array.from({ length: 65 }, (_, i) => 1n << BigInt(i));
const ctz32 = (x: number): number => 31 - Math.clz32(x & -x);
/** trailing zero bits (64 for 0); exact through Number below 2^53 */
const ctz = (x: bigint): number => {
  if (x === 0n) return 64;
  if (x <= MAX_SAFE) {
    const n = Number(x);
    const lo = n % TWO32;
    return lo !== 0 ? ctz32(lo) : 32 + ctz32((n - lo) / TWO32);
  }
  let n = 0;
  while ((x & 0xffff_ffffn) === 0n) { x >>= 32n; n += 32; }
  return n + ctz32(Number(x & 0xffff_ffffn));
};
/** floor(log2(x)) for x > 0; exact through Number below 2^53 */
const ilog2 = (x: bigint): number => {
  if (x <= MAX_SAFE) {
    const n = Number(x);
    const hi = Math.floor(n / TWO32);
    return hi > 0 ? 63 - Math.clz32(hi) : 31 - Math.clz32(n);
  }
  return x.toString(2).length - 1;
};

export function planAllocation(objects: readonly SpecObject[], untypeds: readonly UntypedIn[]): AllocationPlan {
  const uts = [...untypeds].sort((a, b) => (a.paddr < b.paddr ? -1 : a.paddr > b.paddr ? 1 : 0));
  const firstFree = objects.findIndex((o) => o.paddr === null);
  const nFixed = firstFree < 0 ? objects.length : firstFree;
  // windows of objects without paddr, per size bits (objects are sorted by size descending)
  const windows: SpecObject[][] = Array.from({ length: 64 }, () => []);
  const cursor = new Array<number>(64).fill(0);
  for (let i = nFixed; i < objects.length; i++) if (objects[i].sizeBits > 0) windows[objects[i].sizeBits].push(objects[i]);

  const plan: AllocationPlan = { ops: [], paddrOf: new Map(), outside: [], overlapping: [], shortfall: [] };
  // fixed objects must each lie inside one untyped, and must not overlap each other
  const fixed: SpecObject[] = [];
  for (let i = 0; i < nFixed; i++) {
    const o = objects[i];
    const start = o.paddr!;
    const end = start + (1n << BigInt(o.sizeBits));
    const prev = fixed[fixed.length - 1];
    if (prev && prev.paddr! + (1n << BigInt(prev.sizeBits)) > start) { plan.overlapping.push({ obj: o, previous: prev }); continue; }
    const ut = uts.findLast((u) => u.paddr <= start);
    if (!ut || ut.paddr + (1n << BigInt(ut.sizeBits)) < end) { plan.outside.push(o); continue; }
    if (o.sizeBits > 0) fixed.push(o);
  }
  if (plan.outside.length > 0 || plan.overlapping.length > 0) return plan;

  let nextFixed = 0;
  for (const ut of uts) {
    const base = ut.paddr;
    const utEnd = base + (1n << BigInt(ut.sizeBits));
    let cur = base;
    for (;;) {
      const fixedHere = nextFixed < fixed.length && fixed[nextFixed].paddr! < utEnd;
      const target = fixedHere ? fixed[nextFixed].paddr! : utEnd;
      while (cur < target) {
        const maxBits = Math.min(ctz(cur - base), ilog2(target - cur));
        let created = false;
        if (!ut.isDevice) {
          for (let bits = maxBits; bits >= 0; bits--) {
            const w = windows[bits];
            if (w && cursor[bits] < w.length) {
              const o = w[cursor[bits]++];
              plan.ops.push({ ut: ut.index, paddr: cur, sizeBits: bits, obj: o });
              plan.paddrOf.set(o, cur);
              cur += POW2[bits];
              created = true;
              break;
            }
          }
        }
        if (!created) {
          if (fixedHere) {
            plan.ops.push({ ut: ut.index, paddr: cur, sizeBits: maxBits, obj: null });
            cur += POW2[maxBits];
          } else {
            cur = target;
          }
        }
      }
      if (!fixedHere) break;
      const o = fixed[nextFixed++];
      plan.ops.push({ ut: ut.index, paddr: cur, sizeBits: o.sizeBits, obj: o });
      plan.paddrOf.set(o, cur);
      cur += POW2[o.sizeBits];
    }
  }
  for (let bits = 0; bits < 64; bits++) {
    const left = windows[bits].length - cursor[bits];
    if (left > 0) plan.shortfall.push({ sizeBits: bits, count: left, first: windows[bits][cursor[bits]] });
  }
  return plan;
}

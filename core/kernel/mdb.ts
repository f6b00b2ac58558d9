/** MDB operations: insertion with seL4's revocable/firstBadged rules, child and finality tests. */
import type { Kernel } from './kernel';
import { Cap, CapKind } from './objects';
import { isCapRevocable, isParentOf, sameObjectAs } from './capRelations';
import { NO_SLOT } from './slots';
/** local copies: imported bindings can be getters after transpilation, slow in hot paths */
const CK = { ...CapKind };
/** cteInsert: new cap right after the source, revocable per isCapRevocable. */
export function cteInsert(k: Kernel, newCap: Cap, srcSlot: number, destSlot: number): void {
  const s = k.slots;
  const src = s.caps[srcSlot]!;
  const rev = isCapRevocable(newCap, src);
  // an untyped copy covering exactly the source region makes the source unusable for allocation
  if (newCap.kind === CK.Untyped && src.kind === CK.Untyped && newCap.paddr === src.paddr && newCap.sizeBits === src.sizeBits) {
    src.freeIndex = 2 ** (src.sizeBits - 4);
  }
  s.insert(destSlot, newCap, srcSlot, rev, rev);
}

/** Insert a freshly created (original) cap as a child of `parentSlot` (Retype, MakePool). */
export function insertNewCap(k: Kernel, parentSlot: number, destSlot: number, cap: Cap): void {
  k.slots.insert(destSlot, cap, parentSlot, true, true);
}

export function isChildOf(k: Kernel, parent: number, child: number): boolean {
  const s = k.slots;
  return isParentOf(s.caps[parent]!, s.revocable(parent), s.caps[child]!, s.firstBadged(child));
}

/** ensureNoChildren only looks at the next entry. */
export function hasChildren(k: Kernel, slot: number): boolean {
  const n = k.slots.next[slot];
  return n !== NO_SLOT && isChildOf(k, slot, n);
}

export function isFinalCapability(k: Kernel, slot: number): boolean {
  const s = k.slots;
  const c = s.caps[slot]!;
  const p = s.prev[slot];
  if (p !== NO_SLOT && sameObjectAs(s.caps[p]!, c)) return false;
  const n = s.next[slot];
  if (n !== NO_SLOT && sameObjectAs(s.caps[n]!, c)) return false;
  return true;
}

/** Number of MDB descendants of a slot (for views and tests). */
export function descendants(k: Kernel, slot: number): number[] {
  const out: number[] = [];
  let n = k.slots.next[slot];
  // descendants are contiguous after the slot: walk while the entry lies under `slot`'s subtree
  const stack = [slot];
  while (n !== NO_SLOT) {
    while (stack.length && !isChildOf(k, stack[stack.length - 1], n)) stack.pop();
    if (!stack.length) break;
    out.push(n);
    stack.push(n);
    n = k.slots.next[n];
  }
  return out;
}

/** CSpace addressing (§2.2): resolve a CPtr through guarded CNodes. */
import { seL4_DepthMismatch, seL4_GuardMismatch, seL4_InvalidRoot, seL4_RangeError, seL4_MissingCapability, tcbCTable } from './constants';
import { failedLookup, LookupFault, syserr } from './errors';
import type { Kernel } from './kernel';
import { Cap, CapKind, type CNodeObj, type TcbObj } from './objects';
/** local copies: imported bindings can be getters after transpilation, slow in hot paths */
const CK = { ...CapKind };
export interface Resolved {
  slot: number;
  bitsRemaining: number;
}

const MASKS: bigint[] = Array.from({ length: 65 }, (_, i) => (1n << BigInt(i)) - 1n);
/** BigInt(i) and 2^i for shift counts: BigInt(n) allocates, and lookups run on every syscall */
const BIG: bigint[] = Array.from({ length: 65 }, (_, i) => BigInt(i));
const POW2: bigint[] = Array.from({ length: 65 }, (_, i) => 1n << BigInt(i));

/** resolveAddressBits: throws LookupFault. */
export function resolveAddressBits(k: Kernel, nodeCap: Cap, cptr: bigint, n: number): Resolved {
  if (nodeCap.kind !== CK.CNode) throw new LookupFault(seL4_InvalidRoot);
  let node = nodeCap;
  for (;;) {
    const r = node.radix;
    const g = node.guardSize;
    const level = r + g;
    // fast path: single-level lookup of a small cptr with a zero guard
    if (g > n) throw new LookupFault(seL4_GuardMismatch, n, node.guard, g);
    const guardBits = g === 0 ? 0n : (cptr >> BIG[n - g]) & MASKS[g];
    if (guardBits !== node.guard) throw new LookupFault(seL4_GuardMismatch, n, node.guard, g);
    if (level > n) throw new LookupFault(seL4_DepthMismatch, n, 0n, level);
    const index = r === 0 ? 0 : Number((n === level ? cptr : cptr >> BIG[n - level]) & MASKS[r]);
    const cn = k.objects[node.obj] as CNodeObj;
    const slot = cn.slotBase + index;
    if (n === level) return { slot, bitsRemaining: 0 };
    n -= level;
    const next = k.slots.caps[slot];
    if (!next || next.kind !== CK.CNode) return { slot, bitsRemaining: n };
    node = next;
  }
}

/** lookupSlotForCNodeOp: (index, depth) arguments of CNode methods and Retype/Issue destinations. */
export function lookupSlotForCNodeOp(k: Kernel, isSource: boolean, root: Cap | null, index: bigint, depth: bigint): number {
  if (!root || root.kind !== CK.CNode) throw failedLookup(isSource, new LookupFault(seL4_InvalidRoot));
  if (depth < 1n || depth > 64n) throw syserr(seL4_RangeError, 1, 64);
  // fast path (what resolveAddressBits yields): one level, a zero guard, radix + guard size = depth, index in range
  if (root.guard === 0n && root.radix + root.guardSize === Number(depth) && index >= 0n && index < POW2[root.radix]) {
    return (k.objects[root.obj] as CNodeObj).slotBase + Number(index);
  }
  let res: Resolved;
  try {
    res = resolveAddressBits(k, root, index, Number(depth));
  } catch (e) {
    if (e instanceof LookupFault) throw failedLookup(isSource, e);
    throw e;
  }
  if (res.bitsRemaining !== 0) throw failedLookup(isSource, new LookupFault(seL4_DepthMismatch, res.bitsRemaining, 0n, 0));
  return res.slot;
}

/** Syscall-level lookup from a thread's CTable with 64 bits (early stop at a non-CNode cap allowed). Throws LookupFault. */
export function lookupSlot(k: Kernel, t: TcbObj, cptr: bigint): number {
  const root = k.slots.caps[t.slotBase + tcbCTable];
  if (!root) throw new LookupFault(seL4_InvalidRoot);
  // fast path: a flat root CNode whose guard fills the word and is zero
  if (root.kind === CK.CNode && root.guard === 0n && root.radix + root.guardSize === 64 && cptr >= 0n && cptr < POW2[root.radix]) {
    return (k.objects[root.obj] as CNodeObj).slotBase + Number(cptr);
  }
  return resolveAddressBits(k, root, cptr, 64).slot;
}

/** The cap in a slot, or a null cap. */
export function capAt(k: Kernel, slot: number): Cap {
  return k.slots.caps[slot] ?? NULL;
}
const NULL = new Cap();

export function missing(bitsLeft: number): LookupFault {
  return new LookupFault(seL4_MissingCapability, bitsLeft);
}

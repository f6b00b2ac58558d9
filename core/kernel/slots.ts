/** Capability slots and the mapping database (MDB): every slot has a global numeric id; non-empty slots form one
 * doubly-linked list in CDT pre-order (§2.5). Typed arrays keep revoke/retype allocation-free. */
import { Cap } from './objects';

export const NO_SLOT = -1;
const REVOCABLE = 1;
const FIRST_BADGED = 2;

/** 0, 1, 2, … (shared, grown on demand): the in-CNode indices of a freshly allocated range */
let RAMP = new Int32Array(0);
function ramp(n: number): Int32Array {
  if (RAMP.length < n) {
    RAMP = new Int32Array(n);
    for (let i = 0; i < n; i++) RAMP[i] = i;
  }
  return RAMP.subarray(0, n);
}

export class SlotTable {
  caps: (Cap | null)[] = [];
  prev = new Int32Array(1024);
  next = new Int32Array(1024);
  flags = new Uint8Array(1024);
  /** object id of the CNode/TCB holding the slot; -2 = kernel-internal slot (IRQ table) */
  owner = new Int32Array(1024);
  /** index of the slot inside its CNode */
  index = new Int32Array(1024);
  size = 0;
  /** free ranges by length, reused when CNodes are destroyed */
  private freeRanges = new Map<number, number[]>();

  alloc(n: number, owner: number): number {
    const reuse = this.freeRanges.get(n);
    let base: number;
    if (reuse && reuse.length) {
      base = reuse.pop()!;
    } else {
      base = this.size;
      this.size += n;
      this.ensure(this.size);
    }
    // bulk fills: a CNode retype can allocate 2^17+ slots in one call, too rarely for the JIT to warm a loop up
    const end = base + n;
    this.prev.fill(NO_SLOT, base, end);
    this.next.fill(NO_SLOT, base, end);
    this.flags.fill(0, base, end);
    this.owner.fill(owner, base, end);
    const caps = this.caps;
    const index = this.index;
    if (n >= 4096) {
      // a big CNode grows the array once to its new length rather than through repeated appends (2^17 slots:
      // many copies); small ones append, so the array keeps growing geometrically
      if (end > caps.length) caps.length = end;
      caps.fill(null, base, end);
      index.set(ramp(n), base);
      return base;
    }
    for (let i = 0; i < n; i++) {
      caps[base + i] = null;
      index[base + i] = i;
    }
    return base;
  }

  release(base: number, n: number): void {
    for (let i = 0; i < n; i++) this.owner[base + i] = -3;
    let l = this.freeRanges.get(n);
    if (!l) this.freeRanges.set(n, (l = []));
    l.push(base);
  }

  private ensure(n: number): void {
    if (n <= this.prev.length) return;
    let cap = this.prev.length;
    while (cap < n) cap *= 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.prev = grow(this.prev, (n) => new Int32Array(n));
    this.next = grow(this.next, (n) => new Int32Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.owner = grow(this.owner, (n) => new Int32Array(n));
    this.index = grow(this.index, (n) => new Int32Array(n));
  }

  cap(s: number): Cap | null {
    return this.caps[s];
  }
  revocable(s: number): boolean {
    return (this.flags[s] & REVOCABLE) !== 0;
  }
  firstBadged(s: number): boolean {
    return (this.flags[s] & FIRST_BADGED) !== 0;
  }
  setFlags(s: number, revocable: boolean, firstBadged: boolean): void {
    this.flags[s] = (revocable ? REVOCABLE : 0) | (firstBadged ? FIRST_BADGED : 0);
  }

  /** Put a cap into an empty slot, linked right after `after` (or unlinked when after = NO_SLOT). */
  insert(s: number, cap: Cap, after: number, revocable: boolean, firstBadged: boolean): void {
    this.caps[s] = cap;
    this.setFlags(s, revocable, firstBadged);
    if (after === NO_SLOT) {
      this.prev[s] = NO_SLOT;
      this.next[s] = NO_SLOT;
      return;
    }
    const n = this.next[after];
    this.prev[s] = after;
    this.next[s] = n;
    this.next[after] = s;
    if (n !== NO_SLOT) this.prev[n] = s;
  }

  /** emptySlot: unlink; the next entry inherits firstBadged. */
  empty(s: number): void {
    const p = this.prev[s];
    const n = this.next[s];
    if (p !== NO_SLOT) this.next[p] = n;
    if (n !== NO_SLOT) {
      this.prev[n] = p;
      if (this.flags[s] & FIRST_BADGED) this.flags[n] |= FIRST_BADGED;
    }
    this.caps[s] = null;
    this.prev[s] = NO_SLOT;
    this.next[s] = NO_SLOT;
    this.flags[s] = 0;
  }

  /** Move a cap and its MDB node from src to the empty dst (tree position kept). */
  move(src: number, dst: number, newCap: Cap): void {
    const p = this.prev[src];
    const n = this.next[src];
    this.caps[dst] = newCap;
    this.prev[dst] = p;
    this.next[dst] = n;
    this.flags[dst] = this.flags[src];
    if (p !== NO_SLOT) this.next[p] = dst;
    if (n !== NO_SLOT) this.prev[n] = dst;
    this.caps[src] = null;
    this.prev[src] = NO_SLOT;
    this.next[src] = NO_SLOT;
    this.flags[src] = 0;
  }

  /** Swap two non-empty slots' caps and MDB nodes (Rotate with src == dest). */
  swap(a: number, capForB: Cap, b: number, capForA: Cap): void {
    // give each slot the other's node: detach both into temp positions via relinking
    const ap = this.prev[a], an = this.next[a], af = this.flags[a];
    const bp = this.prev[b], bn = this.next[b], bf = this.flags[b];
    // cap from a goes to b with a's node; cap from b goes to a with b's node
    this.caps[b] = capForB;
    this.caps[a] = capForA;
    const fix = (p: number, n: number, self: number, from: number, other: number, otherSelf: number): [number, number] => [
      p === otherSelf ? other : p === from ? self : p,
      n === otherSelf ? other : n === from ? self : n,
    ];
    const [nbp, nbn] = fix(ap, an, b, a, a, b);
    const [nap, nan] = fix(bp, bn, a, b, b, a);
    this.prev[b] = nbp; this.next[b] = nbn; this.flags[b] = af;
    this.prev[a] = nap; this.next[a] = nan; this.flags[a] = bf;
    if (nbp !== NO_SLOT && nbp !== a) this.next[nbp] = b;
    if (nbn !== NO_SLOT && nbn !== a) this.prev[nbn] = b;
    if (nap !== NO_SLOT && nap !== b) this.next[nap] = a;
    if (nan !== NO_SLOT && nan !== b) this.prev[nan] = a;
  }
}

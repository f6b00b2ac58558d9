/** How seL4 relates caps to each other: same region, same object, MDB parenthood, derivation,
 * rights masking and cap-data updates (§2.1, §2.4, §2.5). Pure functions over Cap records. */
import { Cap, CapKind, MapType } from './objects';
import { RIGHT_READ, RIGHT_WRITE, VM_KERNEL_ONLY, VM_READ_ONLY, VM_READ_WRITE } from './constants';
/** local copies: imported bindings can be getters after transpilation, slow in hot paths */
const CK = { ...CapKind };
const MEMORY_KINDS = new Set<number>([
  CK.Untyped, CK.Endpoint, CK.Notification, CK.Reply, CK.CNode, CK.TCB, CK.SchedContext,
  CK.Frame, CK.PML4, CK.PDPT, CK.PageDirectory, CK.PageTable, CK.IOPageTable, CK.ASIDPool,
  CK.VCPU, CK.EPTPML4, CK.EPTPDPT, CK.EPTPD, CK.EPTPT, CK.Zombie,
]);

const IS_MEMORY = new Uint8Array(32);
for (const k of MEMORY_KINDS) IS_MEMORY[k] = 1;

export function isMemoryCap(c: Cap): boolean {
  return IS_MEMORY[c.kind] === 1;
}

export function isBadgeable(c: Cap): boolean {
  return c.kind === CK.Endpoint || c.kind === CK.Notification;
}

/** 2^n as doubles (exact up to 2^53; regions are at most 2^47) */
const POW2 = Float64Array.from({ length: 65 }, (_, i) => 2 ** i);
/** kinds whose region is just "the same object" (the common case, decided without the switch) */
const SAME_OBJECT_KIND = new Uint8Array(32);
for (const k of [CK.Endpoint, CK.Notification, CK.Reply, CK.TCB, CK.PML4, CK.PDPT, CK.PageDirectory, CK.PageTable, CK.IOPageTable, CK.ASIDPool, CK.VCPU, CK.EPTPML4, CK.EPTPDPT, CK.EPTPD, CK.EPTPT, CK.Zombie]) SAME_OBJECT_KIND[k] = 1;
const UNTYPED = CK.Untyped;

export function sameRegionAs(a: Cap, b: Cap): boolean {
  const ka = a.kind;
  if (SAME_OBJECT_KIND[ka] === 1) return b.kind === ka && a.obj === b.obj;
  if (ka === UNTYPED) return IS_MEMORY[b.kind] === 1 && b.pa >= a.pa && b.pa + POW2[b.sizeBits] <= a.pa + POW2[a.sizeBits];
  switch (ka) {
    case CK.Frame:
      if (b.kind !== CK.Frame) return false;
      return b.pa >= a.pa && b.pa + POW2[b.sizeBits] <= a.pa + POW2[a.sizeBits];
    case CK.IRQControl:
      return b.kind === CK.IRQControl || b.kind === CK.IRQHandler;
    case CK.IRQHandler:
      return b.kind === CK.IRQHandler && a.irq === b.irq;
    case CK.IOPortControl:
      return b.kind === CK.IOPortControl || b.kind === CK.IOPort;
    case CK.IOPort:
      return b.kind === CK.IOPort && a.first === b.first && a.last === b.last;
    case CK.ASIDControl:
    case CK.Domain:
    case CK.SchedControl:
    case CK.IOSpace:
      return b.kind === a.kind;
    case CK.CNode:
      return b.kind === CK.CNode && a.obj === b.obj && a.radix === b.radix;
    case CK.SchedContext:
      return b.kind === CK.SchedContext && a.obj === b.obj && a.sizeBits === b.sizeBits;
    case CK.Null:
      return false;
    default:
      return b.kind === a.kind && a.obj === b.obj;
  }
}

export function sameObjectAs(a: Cap, b: Cap): boolean {
  if (a.kind === CK.Untyped || a.kind === CK.IRQControl) return false;
  if (a.kind === CK.IOPortControl && b.kind === CK.IOPort) return false;
  if (a.kind === CK.Frame && b.kind === CK.Frame) return a.pa === b.pa && a.sizeBits === b.sizeBits && a.isDevice === b.isDevice;
  return sameRegionAs(a, b);
}

/** isMDBParentOf(A, B) given A's revocable flag and B's firstBadged flag. */
export function isParentOf(a: Cap, aRevocable: boolean, b: Cap, bFirstBadged: boolean): boolean {
  if (!aRevocable) return false;
  if (!sameRegionAs(a, b)) return false;
  if (isBadgeable(a)) {
    if (a.badge === 0n) return true;
    return b.badge === a.badge && !bFirstBadged;
  }
  return true;
}

export function isCapRevocable(derived: Cap, src: Cap): boolean {
  switch (derived.kind) {
    case CK.Endpoint:
    case CK.Notification:
      return derived.badge !== src.badge;
    case CK.IRQHandler:
      return src.kind === CK.IRQControl;
    case CK.IOPort:
      return src.kind === CK.IOPortControl;
    case CK.Untyped:
      return true;
    default:
      return false;
  }
}

/** Frame VM rights masked by a cap-rights word (§2.1 masking table). */
export function maskVMRights(vm: number, rights: number): number {
  if (!(rights & RIGHT_READ)) return VM_KERNEL_ONLY;
  if (vm === VM_READ_WRITE && rights & RIGHT_WRITE) return VM_READ_WRITE;
  if (vm === VM_READ_WRITE || vm === VM_READ_ONLY) return VM_READ_ONLY;
  return VM_KERNEL_ONLY;
}

export function maskCapRights(rights: number, c: Cap): Cap {
  const n = c.clone();
  switch (c.kind) {
    case CK.Endpoint:
    case CK.Notification:
    case CK.Reply:
      n.rights = c.rights & rights;
      break;
    case CK.Frame:
      n.vmRights = maskVMRights(c.vmRights, rights);
      break;
  }
  return n;
}

/** updateCapData: returns null where seL4 yields a null cap. */
export function updateCapData(preserve: boolean, data: bigint, c: Cap): Cap | null {
  switch (c.kind) {
    case CK.Endpoint:
    case CK.Notification: {
      if (preserve || c.badge !== 0n) return null;
      const n = c.clone();
      n.badge = data;
      return n;
    }
    case CK.CNode: {
      const guardSize = Number(data & 0x3fn);
      if (guardSize + c.radix > 64) return null;
      const guard = (data >> 6n) & ((1n << BigInt(guardSize)) - 1n);
      const n = c.clone();
      n.guard = guard;
      n.guardSize = guardSize;
      return n;
    }
    default:
      return c;
  }
}

export type DeriveResult = { cap: Cap } | { error: 'RevokeFirst' | 'IllegalOperation' };

/** deriveCap (§2.4). `hasChildren` tells whether the source slot has CDT children (untyped rule).
 * `fresh`: `c` is already a private copy (from maskCapRights), so it is derived in place rather than copied again. */
export function deriveCap(c: Cap, hasChildren: boolean, fresh = false): DeriveResult {
  switch (c.kind) {
    case CK.Untyped:
      return hasChildren ? { error: 'RevokeFirst' } : { cap: fresh ? c : c.clone() };
    case CK.Zombie:
    case CK.IRQControl:
    case CK.IOPortControl:
      return { cap: new Cap() };
    case CK.PageTable:
    case CK.PageDirectory:
    case CK.PDPT:
    case CK.IOPageTable:
    case CK.EPTPDPT:
    case CK.EPTPD:
    case CK.EPTPT:
      return c.mapped ? { cap: fresh ? c : c.clone() } : { error: 'IllegalOperation' };
    case CK.PML4:
    case CK.EPTPML4:
      return c.mapped ? { cap: fresh ? c : c.clone() } : { error: 'IllegalOperation' };
    case CK.Frame: {
      const n = fresh ? c : c.clone();
      n.mapType = MapType.None;
      n.mapAsid = 0;
      n.mapVaddr = 0n;
      return { cap: n };
    }
    default:
      return { cap: fresh ? c : c.clone() };
  }
}

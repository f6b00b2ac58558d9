/** How seL4 relates caps to each other: same region, same object, MDB parenthood, derivation,
 * rights masking and cap-data updates (§2.1, §2.4, §2.5). Pure functions over Cap records. */
import { Cap, CapKind, MapType } from './objects';
import { RIGHT_READ, RIGHT_WRITE, VM_KERNEL_ONLY, VM_READ_ONLY, VM_READ_WRITE } from './constants';

const MEMORY_KINDS = new Set<number>([
  CapKind.Untyped, CapKind.Endpoint, CapKind.Notification, CapKind.Reply, CapKind.CNode, CapKind.TCB, CapKind.SchedContext,
  CapKind.Frame, CapKind.PML4, CapKind.PDPT, CapKind.PageDirectory, CapKind.PageTable, CapKind.IOPageTable, CapKind.ASIDPool,
  CapKind.VCPU, CapKind.EPTPML4, CapKind.EPTPDPT, CapKind.EPTPD, CapKind.EPTPT, CapKind.Zombie,
]);

export function isMemoryCap(c: Cap): boolean {
  return MEMORY_KINDS.has(c.kind);
}

export function isBadgeable(c: Cap): boolean {
  return c.kind === CapKind.Endpoint || c.kind === CapKind.Notification;
}

export function sameRegionAs(a: Cap, b: Cap): boolean {
  switch (a.kind) {
    case CapKind.Untyped: {
      if (!isMemoryCap(b)) return false;
      const aEnd = a.paddr + (1n << BigInt(a.sizeBits));
      return b.paddr >= a.paddr && b.paddr + (1n << BigInt(b.sizeBits)) <= aEnd;
    }
    case CapKind.Frame:
      if (b.kind !== CapKind.Frame) return false;
      return b.paddr >= a.paddr && b.paddr + (1n << BigInt(b.sizeBits)) <= a.paddr + (1n << BigInt(a.sizeBits));
    case CapKind.IRQControl:
      return b.kind === CapKind.IRQControl || b.kind === CapKind.IRQHandler;
    case CapKind.IRQHandler:
      return b.kind === CapKind.IRQHandler && a.irq === b.irq;
    case CapKind.IOPortControl:
      return b.kind === CapKind.IOPortControl || b.kind === CapKind.IOPort;
    case CapKind.IOPort:
      return b.kind === CapKind.IOPort && a.first === b.first && a.last === b.last;
    case CapKind.ASIDControl:
    case CapKind.Domain:
    case CapKind.SchedControl:
    case CapKind.IOSpace:
      return b.kind === a.kind;
    case CapKind.CNode:
      return b.kind === CapKind.CNode && a.obj === b.obj && a.radix === b.radix;
    case CapKind.SchedContext:
      return b.kind === CapKind.SchedContext && a.obj === b.obj && a.sizeBits === b.sizeBits;
    case CapKind.Null:
      return false;
    default:
      return b.kind === a.kind && a.obj === b.obj;
  }
}

export function sameObjectAs(a: Cap, b: Cap): boolean {
  if (a.kind === CapKind.Untyped || a.kind === CapKind.IRQControl) return false;
  if (a.kind === CapKind.IOPortControl && b.kind === CapKind.IOPort) return false;
  if (a.kind === CapKind.Frame && b.kind === CapKind.Frame) return a.paddr === b.paddr && a.sizeBits === b.sizeBits && a.isDevice === b.isDevice;
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
    case CapKind.Endpoint:
    case CapKind.Notification:
      return derived.badge !== src.badge;
    case CapKind.IRQHandler:
      return src.kind === CapKind.IRQControl;
    case CapKind.IOPort:
      return src.kind === CapKind.IOPortControl;
    case CapKind.Untyped:
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
    case CapKind.Endpoint:
    case CapKind.Notification:
    case CapKind.Reply:
      n.rights = c.rights & rights;
      break;
    case CapKind.Frame:
      n.vmRights = maskVMRights(c.vmRights, rights);
      break;
  }
  return n;
}

/** updateCapData: returns null where seL4 yields a null cap. */
export function updateCapData(preserve: boolean, data: bigint, c: Cap): Cap | null {
  switch (c.kind) {
    case CapKind.Endpoint:
    case CapKind.Notification: {
      if (preserve || c.badge !== 0n) return null;
      const n = c.clone();
      n.badge = data;
      return n;
    }
    case CapKind.CNode: {
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

/** deriveCap (§2.4). `hasChildren` tells whether the source slot has CDT children (untyped rule). */
export function deriveCap(c: Cap, hasChildren: boolean): DeriveResult {
  switch (c.kind) {
    case CapKind.Untyped:
      return hasChildren ? { error: 'RevokeFirst' } : { cap: c.clone() };
    case CapKind.Zombie:
    case CapKind.IRQControl:
    case CapKind.IOPortControl:
      return { cap: new Cap() };
    case CapKind.PageTable:
    case CapKind.PageDirectory:
    case CapKind.PDPT:
    case CapKind.IOPageTable:
    case CapKind.EPTPDPT:
    case CapKind.EPTPD:
    case CapKind.EPTPT:
      return c.mapped ? { cap: c.clone() } : { error: 'IllegalOperation' };
    case CapKind.PML4:
    case CapKind.EPTPML4:
      return c.mapped ? { cap: c.clone() } : { error: 'IllegalOperation' };
    case CapKind.Frame: {
      const n = c.clone();
      n.mapType = MapType.None;
      n.mapAsid = 0;
      n.mapVaddr = 0n;
      return { cap: n };
    }
    default:
      return { cap: c.clone() };
  }
}

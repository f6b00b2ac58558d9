/** cteDelete with finalisation, and revoke (§2.6). Modelled as atomic (no preemption points). */
import { CAP_KIND_NAMES, Cap, CapKind, MapType, type AsidPoolObj, type CNodeObj, type NotificationObj, type SchedContextObj, type TableObj, type VcpuObj, type TcbObj, type ReplyObj, type EndpointObj } from './objects';
import { TCB_CNODE_SLOTS } from './constants';
import type { Kernel } from './kernel';
import { isChildOf, isFinalCapability } from './mdb';
import { NO_SLOT } from './slots';
import { deleteAsid, unlinkTable, unmapFrameCap } from './vspace';
import { cancelAllIPC, cancelAllSignals, replyOnDelete, unbindNotification } from './ipc';
import { scUnbindAll, suspendThread, tcbUnbindSc } from './sched';
import { vcpuDissociate, ioPortUnlink } from './vcpu';
/** local copies: imported bindings can be getters after transpilation, slow in hot paths */
const CK = { ...CapKind };
/** Objects currently being finalised (breaks CNode/TCB cycles). */
const dying = new WeakSet<object>();

export function cteDelete(k: Kernel, slot: number): void {
  const c = k.slots.caps[slot];
  if (!c) return;
  const final = isFinalCapability(k, slot);
  if (k.hook) k.emit({ kind: 'delete', slot, final, capKind: CAP_KIND_NAMES[c.kind] });
  finalise(k, c, final, slot);
  // finalisation of a CNode/TCB may have deleted this very slot's neighbours, never the slot itself
  if (k.slots.caps[slot]) k.slots.empty(slot);
}

function finalise(k: Kernel, c: Cap, final: boolean, slot: number): void {
  switch (c.kind) {
    case CK.Frame:
      if (c.mapType !== MapType.None) unmapFrameCap(k, c);
      if (final) k.destroyObject(c.obj);
      return;
    case CK.IOPort:
      ioPortUnlink(k, c);
      if (final) for (let p = c.first; p <= c.last; p++) k.ioPortIssued[p] = 0;
      return;
  }
  if (!final) return;
  switch (c.kind) {
    case CK.Endpoint:
      cancelAllIPC(k, k.obj<EndpointObj>(c.obj));
      k.destroyObject(c.obj);
      break;
    case CK.Notification: {
      const n = k.obj<NotificationObj>(c.obj);
      if (n.boundSc >= 0) { k.obj<SchedContextObj>(n.boundSc).ntfn = -1; n.boundSc = -1; }
      if (n.boundTcb >= 0) unbindNotification(k, k.tcb(n.boundTcb));
      cancelAllSignals(k, n);
      k.destroyObject(c.obj);
      break;
    }
    case CK.Reply:
      replyOnDelete(k, k.obj<ReplyObj>(c.obj));
      k.destroyObject(c.obj);
      break;
    case CK.CNode: {
      const cn = k.obj<CNodeObj>(c.obj);
      if (dying.has(cn)) return;
      dying.add(cn);
      const n = 1 << cn.radix;
      for (let i = n - 1; i >= 0; i--) {
        const s = cn.slotBase + i;
        if (s !== slot && k.slots.caps[s]) cteDelete(k, s);
      }
      k.destroyObject(c.obj);
      break;
    }
    case CK.TCB: {
      const t = k.obj<TcbObj>(c.obj);
      if (dying.has(t)) return;
      dying.add(t);
      if (t.boundNtfn >= 0) unbindNotification(k, t);
      tcbUnbindSc(k, t);
      suspendThread(k, t);
      if (t.vcpu >= 0) vcpuDissociate(k, k.obj<VcpuObj>(t.vcpu));
      for (let i = TCB_CNODE_SLOTS - 1; i >= 0; i--) {
        const s = t.slotBase + i;
        if (s !== slot && k.slots.caps[s]) cteDelete(k, s);
      }
      k.destroyObject(c.obj);
      break;
    }
    case CK.SchedContext:
      scUnbindAll(k, k.obj<SchedContextObj>(c.obj));
      k.destroyObject(c.obj);
      break;
    case CK.IRQHandler: {
      const s = k.irqSlotBase + c.irq;
      if (k.slots.caps[s]) cteDelete(k, s);
      k.irqState[c.irq] = 0;
      k.irqMasked[c.irq] = 1;
      break;
    }
    case CK.PML4:
    case CK.EPTPML4:
      if (c.mapped) deleteAsid(k, c.mapAsid, c.obj);
      k.destroyObject(c.obj);
      break;
    case CK.PDPT:
    case CK.PageDirectory:
    case CK.PageTable:
    case CK.EPTPDPT:
    case CK.EPTPD:
    case CK.EPTPT:
      if (c.mapped) unlinkTable(k, c.obj);
      k.destroyObject(c.obj);
      break;
    case CK.ASIDPool: {
      const pool = k.obj<AsidPoolObj>(c.obj);
      if (pool.poolIndex >= 0 && k.asidTable[pool.poolIndex] === pool.id) k.asidTable[pool.poolIndex] = -1;
      k.destroyObject(c.obj);
      break;
    }
    case CK.VCPU:
      vcpuDissociate(k, k.obj<VcpuObj>(c.obj));
      k.destroyObject(c.obj);
      break;
    case CK.IOPageTable:
      k.destroyObject(c.obj);
      break;
    default:
      break;
  }
}

/** Revoke: delete every CDT descendant of the slot; returns how many caps were deleted. */
export function revoke(k: Kernel, slot: number): number {
  let count = 0;
  const s = k.slots;
  for (;;) {
    const n = s.next[slot];
    if (n === NO_SLOT || !isChildOf(k, slot, n)) break;
    cteDelete(k, n);
    count++;
    if (!s.caps[slot]) break; // revoke destroyed the CNode holding the target
  }
  if (k.hook) k.emit({ kind: 'revoke', slot, deleted: count });
  return count;
}

export type { TableObj };

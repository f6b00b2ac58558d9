/** CNode invocations (§2.3) with seL4's check order. */
import { Label, seL4_AllRights, seL4_DeleteFirst, seL4_IllegalOperation, seL4_TruncatedMessage, seL4_RevokeFirst } from './constants';
import { deriveCap, maskCapRights, updateCapData } from './capRelations';
import { cancelBadgedSends } from './ipc';
import { cteDelete, revoke } from './deletion';
import { failedLookup, syserr } from './errors';
import { EMPTY, mr, type Invocation, type InvokeResult } from './invocation';
import { lookupSlotForCNodeOp, missing } from './lookup';
import { cteInsert, hasChildren } from './mdb';
import { Cap, CapKind, type EndpointObj } from './objects';
/** local copies: imported bindings can be getters after transpilation, slow in hot paths */
const CK = { ...CapKind };
/** `fresh` is this invocation's own copy of the source cap (from maskCapRights): derived in place */
function derived(fresh: Cap, hasKids: boolean): Cap {
  const d = deriveCap(fresh, hasKids, true);
  if ('error' in d) throw syserr(d.error === 'RevokeFirst' ? seL4_RevokeFirst : seL4_IllegalOperation);
  if (d.cap.kind === CK.Null) throw syserr(seL4_IllegalOperation);
  return d.cap;
}

export function decodeCNode(inv: Invocation): InvokeResult {
  const { k, label } = inv;
  if (label < Label.CNodeRevoke || label > Label.CNodeRotate) throw syserr(seL4_IllegalOperation);
  if (inv.len < 2) throw syserr(seL4_TruncatedMessage);
  const destSlot = lookupSlotForCNodeOp(k, false, inv.cap, mr(inv, 0), mr(inv, 1));
  const s = k.slots;

  if (label >= Label.CNodeCopy && label <= Label.CNodeMutate) {
    if (inv.len < 4 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
    if (s.caps[destSlot]) throw syserr(seL4_DeleteFirst);
    const srcDepth = mr(inv, 3);
    const srcSlot = lookupSlotForCNodeOp(k, true, inv.extra[0], mr(inv, 2), srcDepth);
    const src = s.caps[srcSlot];
    if (!src) throw failedLookup(true, missing(Number(srcDepth)));
    switch (label) {
      case Label.CNodeCopy: {
        if (inv.len < 5) throw syserr(seL4_TruncatedMessage);
        const rights = Number(mr(inv, 4) & 0xfn);
        const c = derived(maskCapRights(rights, src), hasChildren(k, srcSlot));
        cteInsert(k, c, srcSlot, destSlot);
        return EMPTY;
      }
      case Label.CNodeMint: {
        if (inv.len < 6) throw syserr(seL4_TruncatedMessage);
        const rights = Number(mr(inv, 4) & 0xfn);
        const upd = updateCapData(false, mr(inv, 5), maskCapRights(rights, src));
        if (!upd) throw syserr(seL4_IllegalOperation);
        const c = derived(upd, hasChildren(k, srcSlot));
        cteInsert(k, c, srcSlot, destSlot);
        return EMPTY;
      }
      case Label.CNodeMove:
        s.move(srcSlot, destSlot, src);
        return EMPTY;
      default: {
        if (inv.len < 5) throw syserr(seL4_TruncatedMessage);
        const c = updateCapData(true, mr(inv, 4), src);
        if (!c) throw syserr(seL4_IllegalOperation);
        s.move(srcSlot, destSlot, c === src ? src : c);
        return EMPTY;
      }
    }
  }
  switch (label) {
    case Label.CNodeRevoke:
      if (s.caps[destSlot]) revoke(k, destSlot);
      return EMPTY;
    case Label.CNodeDelete:
      cteDelete(k, destSlot);
      return EMPTY;
    case Label.CNodeCancelBadgedSends: {
      const c = s.caps[destSlot];
      if (!c || c.kind !== CK.Endpoint || c.rights !== seL4_AllRights) throw syserr(seL4_IllegalOperation);
      cancelBadgedSends(k, k.obj<EndpointObj>(c.obj), c.badge);
      return EMPTY;
    }
    case Label.CNodeRotate: {
      if (inv.len < 8 || !inv.extra[0] || !inv.extra[1]) throw syserr(seL4_TruncatedMessage);
      const destBadge = mr(inv, 2);
      const pivotDepth = mr(inv, 4);
      const pivotBadge = mr(inv, 5);
      const srcDepth = mr(inv, 7);
      const srcSlot = lookupSlotForCNodeOp(k, true, inv.extra[1], mr(inv, 6), srcDepth);
      const pivotSlot = lookupSlotForCNodeOp(k, true, inv.extra[0], mr(inv, 3), pivotDepth);
      if (pivotSlot === srcSlot || pivotSlot === destSlot) throw syserr(seL4_IllegalOperation);
      if (srcSlot !== destSlot && s.caps[destSlot]) throw syserr(seL4_DeleteFirst);
      const src = s.caps[srcSlot];
      if (!src) throw failedLookup(true, missing(Number(srcDepth)));
      const pivot = s.caps[pivotSlot];
      if (!pivot) throw failedLookup(false, missing(Number(pivotDepth)));
      const newSrc = updateCapData(true, pivotBadge, src);
      const newPivot = updateCapData(true, destBadge, pivot);
      if (!newSrc || !newPivot) throw syserr(seL4_IllegalOperation);
      if (srcSlot === destSlot) {
        s.swap(pivotSlot, newPivot, srcSlot, newSrc);
      } else {
        s.move(pivotSlot, destSlot, newPivot);
        s.move(srcSlot, pivotSlot, newSrc);
      }
      return EMPTY;
    }
  }
  throw syserr(seL4_IllegalOperation);
}

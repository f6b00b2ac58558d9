/** TCB invocations (§1.3 TCB, MCS variants). */
import {
  Label, NUM_FRAME_REGS, NUM_USER_REGS, seL4_AlignmentError, seL4_IllegalOperation, seL4_InvalidCapability, seL4_RangeError,
  seL4_TruncatedMessage, RIGHT_READ, RIGHT_WRITE, RIGHT_GRANT, RIGHT_GRANT_REPLY, tcbArchEPTRoot, tcbBuffer, tcbCTable, tcbFaultHandler, tcbTimeoutHandler, tcbVTable, ThreadState,
} from './constants';
import { deriveCap, updateCapData } from './capRelations';
import { cteDelete } from './deletion';
import { syserr } from './errors';
import { bindNotification, unbindNotification } from './ipc';
import { EMPTY, mr, type Invocation, type InvokeResult } from './invocation';
import type { Kernel } from './kernel';
import { cteInsert, hasChildren } from './mdb';
import { Cap, CapKind, type NotificationObj, type SchedContextObj, type TcbObj } from './objects';
import { bindSc, resumeThread, suspendThread, tcbUnbindSc, possibleSwitchTo, dequeue, isRunnableState } from './sched';

function authorityMcp(inv: Invocation, idx: number): number {
  const a = inv.extra[idx];
  if (!a || a.kind !== CapKind.TCB) throw syserr(seL4_InvalidCapability, idx + 1);
  return inv.k.tcb(a.obj).mcp;
}

function checkPrio(prio: bigint, mcp: number): number {
  if (prio > BigInt(mcp)) throw syserr(seL4_RangeError, 0, mcp);
  return Number(prio);
}

export function setPriority(k: Kernel, t: TcbObj, prio: number): void {
  const wasQueued = t.inReadyQueue;
  dequeue(k, t);
  t.prio = prio;
  if (wasQueued || isRunnableState(t.state)) possibleSwitchTo(k, t);
}

/** Install a derived copy of `src` (from `srcSlot`) into a TCB slot, replacing the old one. */
function installSlot(k: Kernel, t: TcbObj, idx: number, c: Cap, srcSlot: number): void {
  const dest = t.slotBase + idx;
  cteDelete(k, dest);
  if (k.slots.caps[srcSlot]) cteInsert(k, c, srcSlot, dest);
}

function checkCRoot(c: Cap | null, data: bigint): Cap {
  if (!c) throw syserr(seL4_IllegalOperation);
  let n: Cap | null = c;
  if (data !== 0n) n = updateCapData(false, data, c);
  if (!n || n.kind !== CapKind.CNode) throw syserr(seL4_IllegalOperation);
  const d = deriveCap(n, false);
  if ('error' in d) throw syserr(seL4_IllegalOperation);
  return d.cap;
}

function checkVRoot(c: Cap | null): Cap {
  if (!c || c.kind !== CapKind.PML4 || !c.mapped) throw syserr(seL4_IllegalOperation);
  const d = deriveCap(c, false);
  if ('error' in d) throw syserr(seL4_IllegalOperation);
  return d.cap;
}

function checkBuffer(k: Kernel, vaddr: bigint, frame: Cap | null, frameSlot: number): Cap | null {
  if (vaddr === 0n) return null;
  if (!frame || frame.kind !== CapKind.Frame || frame.isDevice) throw syserr(seL4_IllegalOperation);
  if (vaddr & 0x3ffn) throw syserr(seL4_AlignmentError);
  const d = deriveCap(frame, hasChildren(k, frameSlot));
  if ('error' in d) throw syserr(seL4_IllegalOperation);
  return d.cap;
}

/** validFaultHandler (MCS): null, or an endpoint cap with Write and Grant or GrantReply. */
function checkFaultEp(c: Cap | null, capIndex: number): Cap | null {
  if (!c || c.kind === CapKind.Null) return null;
  const ok = c.kind === CapKind.Endpoint && (c.rights & RIGHT_WRITE) !== 0 && (c.rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY)) !== 0;
  if (!ok) throw syserr(seL4_InvalidCapability, capIndex);
  return c.clone();
}

export function decodeTcb(inv: Invocation): InvokeResult {
  const { k, label } = inv;
  const t = k.tcb(inv.cap.obj);
  switch (label) {
    case Label.TCBReadRegisters: {
      if (inv.len < 2) throw syserr(seL4_TruncatedMessage);
      const flags = mr(inv, 0);
      const count = mr(inv, 1);
      if (count < 1n || count > BigInt(NUM_USER_REGS)) throw syserr(seL4_RangeError, 1, NUM_USER_REGS);
      if (t === inv.t) throw syserr(seL4_IllegalOperation);
      if (flags & 1n) suspendThread(k, t);
      return Array.from(t.regs.slice(0, Number(count)));
    }
    case Label.TCBWriteRegisters: {
      if (inv.len < 2) throw syserr(seL4_TruncatedMessage);
      const flags = mr(inv, 0);
      const w = mr(inv, 1);
      if (BigInt(inv.len - 2) < w) throw syserr(seL4_TruncatedMessage);
      if (t === inv.t) throw syserr(seL4_IllegalOperation);
      const count = Number(w > 20n ? 20n : w);
      for (let i = 0; i < count; i++) t.regs[i] = mr(inv, 2 + i);
      if (flags & 1n) resumeThread(k, t);
      return EMPTY;
    }
    case Label.TCBCopyRegisters: {
      if (inv.len < 1 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
      const src = inv.extra[0];
      if (src.kind !== CapKind.TCB) throw syserr(seL4_InvalidCapability, 1);
      const s = k.tcb(src.obj);
      const f = mr(inv, 0);
      if (f & 1n) suspendThread(k, s);
      if (f & 4n) for (let i = 0; i < NUM_FRAME_REGS; i++) t.regs[i] = s.regs[i];
      if (f & 8n) for (let i = NUM_FRAME_REGS; i < NUM_USER_REGS; i++) t.regs[i] = s.regs[i];
      if (f & 2n) resumeThread(k, t);
      return EMPTY;
    }
    case Label.TCBConfigure: {
      // MCS: MR0 croot data, MR1 vroot data, MR2 buffer; caps croot, vroot, buffer frame
      if (inv.len < 3 || !inv.extra[0] || !inv.extra[1] || !inv.extra[2]) throw syserr(seL4_TruncatedMessage);
      const croot = checkCRoot(inv.extra[0], mr(inv, 0));
      const vroot = checkVRoot(inv.extra[1]);
      const buf = checkBuffer(k, mr(inv, 2), inv.extra[2], inv.extraSlots[2]);
      installSlot(k, t, tcbCTable, croot, inv.extraSlots[0]);
      installSlot(k, t, tcbVTable, vroot, inv.extraSlots[1]);
      t.ipcBufferVaddr = mr(inv, 2);
      cteDelete(k, t.slotBase + tcbBuffer);
      if (buf) installSlot(k, t, tcbBuffer, buf, inv.extraSlots[2]);
      return EMPTY;
    }
    case Label.TCBSetPriority:
    case Label.TCBSetMCPriority: {
      if (inv.len < 1 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
      const p = checkPrio(mr(inv, 0), authorityMcp(inv, 0));
      if (label === Label.TCBSetPriority) setPriority(k, t, p);
      else t.mcp = p;
      return EMPTY;
    }
    case Label.TCBSetSchedParams: {
      // MCS: MR0 mcp, MR1 prio; caps authority, SC (or null), fault endpoint
      if (inv.len < 2 || !inv.extra[0] || !inv.extra[1] || !inv.extra[2]) throw syserr(seL4_TruncatedMessage);
      const mcpA = authorityMcp(inv, 0);
      const newMcp = checkPrio(mr(inv, 0), mcpA);
      const prio = checkPrio(mr(inv, 1), mcpA);
      const scCap = inv.extra[1];
      let sc: SchedContextObj | null = null;
      if (scCap.kind === CapKind.SchedContext) {
        sc = k.obj<SchedContextObj>(scCap.obj);
        if (t.sc >= 0 || sc.tcb >= 0) throw syserr(seL4_IllegalOperation);
      } else if (scCap.kind === CapKind.Null) {
        if (t === inv.t) throw syserr(seL4_IllegalOperation);
      } else throw syserr(seL4_InvalidCapability, 2);
      const fep = checkFaultEp(inv.extra[2], 3);
      t.mcp = newMcp;
      setPriority(k, t, prio);
      if (sc) bindSc(k, sc, t);
      else if (t.sc >= 0) tcbUnbindSc(k, t);
      cteDelete(k, t.slotBase + tcbFaultHandler);
      if (fep) installSlot(k, t, tcbFaultHandler, fep, inv.extraSlots[2]);
      return EMPTY;
    }
    case Label.TCBSetTimeoutEndpoint: {
      if (!inv.extra[0]) throw syserr(seL4_TruncatedMessage);
      const ep = checkFaultEp(inv.extra[0], 1);
      cteDelete(k, t.slotBase + tcbTimeoutHandler);
      if (ep) installSlot(k, t, tcbTimeoutHandler, ep, inv.extraSlots[0]);
      return EMPTY;
    }
    case Label.TCBSetIPCBuffer: {
      if (inv.len < 1 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
      const vaddr = mr(inv, 0);
      const buf = checkBuffer(k, vaddr, inv.extra[0], inv.extraSlots[0]);
      t.ipcBufferVaddr = vaddr;
      cteDelete(k, t.slotBase + tcbBuffer);
      if (buf) installSlot(k, t, tcbBuffer, buf, inv.extraSlots[0]);
      return EMPTY;
    }
    case Label.TCBSetSpace: {
      // MCS: MR0 croot data, MR1 vroot data; caps fault_ep, croot, vroot
      if (inv.len < 2 || !inv.extra[0] || !inv.extra[1] || !inv.extra[2]) throw syserr(seL4_TruncatedMessage);
      const croot = checkCRoot(inv.extra[1], mr(inv, 0));
      const vroot = checkVRoot(inv.extra[2]);
      const fep = checkFaultEp(inv.extra[0], 1);
      cteDelete(k, t.slotBase + tcbFaultHandler);
      if (fep) installSlot(k, t, tcbFaultHandler, fep, inv.extraSlots[0]);
      installSlot(k, t, tcbCTable, croot, inv.extraSlots[1]);
      installSlot(k, t, tcbVTable, vroot, inv.extraSlots[2]);
      return EMPTY;
    }
    case Label.TCBSuspend:
      suspendThread(k, t);
      return t === inv.t ? null : EMPTY;
    case Label.TCBResume:
      resumeThread(k, t);
      return EMPTY;
    case Label.TCBBindNotification: {
      if (!inv.extra[0]) throw syserr(seL4_TruncatedMessage);
      if (t.boundNtfn >= 0) throw syserr(seL4_IllegalOperation);
      const c = inv.extra[0];
      if (c.kind !== CapKind.Notification) throw syserr(seL4_IllegalOperation);
      const n = k.obj<NotificationObj>(c.obj);
      if (!(c.rights & RIGHT_READ)) throw syserr(seL4_IllegalOperation);
      if (n.boundTcb >= 0 || n.qHead >= 0) throw syserr(seL4_IllegalOperation);
      bindNotification(t, n);
      return EMPTY;
    }
    case Label.TCBUnbindNotification:
      if (t.boundNtfn < 0) throw syserr(seL4_IllegalOperation);
      unbindNotification(k, t);
      return EMPTY;
    case Label.TCBSetTLSBase:
      if (inv.len < 1) throw syserr(seL4_TruncatedMessage);
      t.tlsBase = mr(inv, 0);
      t.regs[18] = t.tlsBase;
      return EMPTY;
    case Label.TCBSetFlags: {
      if (inv.len < 2) throw syserr(seL4_TruncatedMessage);
      t.flags = (t.flags & ~mr(inv, 0)) | (mr(inv, 1) & 1n);
      return [t.flags];
    }
    case Label.TCBSetEPTRoot: {
      if (!inv.extra[0]) throw syserr(seL4_TruncatedMessage);
      const c = inv.extra[0];
      if (c.kind !== CapKind.EPTPML4 || !c.mapped) throw syserr(seL4_IllegalOperation);
      installSlot(k, t, tcbArchEPTRoot, c.clone(), inv.extraSlots[0]);
      return EMPTY;
    }
  }
  throw syserr(seL4_IllegalOperation);
}

export { ThreadState };

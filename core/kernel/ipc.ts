/** Endpoint IPC, notifications, MCS reply objects and fault delivery (§5.3–§5.5). Hot paths allocate nothing. */
import { FaultLabel, RIGHT_GRANT, RIGHT_GRANT_REPLY, RIGHT_WRITE, seL4_MsgMaxLength, tcbFaultHandler, tcbTimeoutHandler, ThreadState, SEL4_VMENTER_RESULT_NOTIF, VMCS } from './constants';
import type { Kernel } from './kernel';
import { CapKind, type EndpointObj, type NotificationObj, type ReplyObj, type SchedContextObj, type TcbObj, type VcpuObj, type FaultRecord } from './objects';
import { deriveCap } from './capRelations';
import { cteInsert, hasChildren } from './mdb';
import { lookupSlot, lookupSlotForCNodeOp } from './lookup';
import { isRunnableState, possibleSwitchTo, restartToHead, setState } from './sched';
/** local copies: imported bindings can be getters after transpilation, slow in hot paths */
const CK = { ...CapKind };
const TS = { ...ThreadState };
const EP_IDLE = 0, EP_SEND = 1, EP_RECV = 2;
const NTFN_IDLE = 0, NTFN_WAITING = 1, NTFN_ACTIVE = 2;

// ---- intrusive queues (endpoint / notification) ----
function qAppend(k: Kernel, q: { qHead: number; qTail: number }, t: TcbObj): void {
  t.qNext = -1;
  t.qPrev = q.qTail;
  if (q.qTail >= 0) k.tcb(q.qTail).qNext = t.id;
  else q.qHead = t.id;
  q.qTail = t.id;
}
function qRemove(k: Kernel, q: { qHead: number; qTail: number }, t: TcbObj): void {
  if (t.qPrev >= 0) k.tcb(t.qPrev).qNext = t.qNext;
  else q.qHead = t.qNext;
  if (t.qNext >= 0) k.tcb(t.qNext).qPrev = t.qPrev;
  else q.qTail = t.qPrev;
  t.qNext = t.qPrev = -1;
}

export function msgLength(info: bigint): number {
  return Number(info & 0x7fn);
}
export function msgExtraCaps(info: bigint): number {
  return Number((info >> 7n) & 3n);
}
export function msgLabel(info: bigint): bigint {
  return info >> 12n;
}
export function makeInfo(label: bigint, capsUnwrapped: number, extraCaps: number, length: number): bigint {
  return (label << 12n) | (BigInt(capsUnwrapped & 7) << 9n) | (BigInt(extraCaps & 3) << 7n) | BigInt(length & 0x7f);
}

// ---- message transfer ----
function transferCaps(k: Kernel, sender: TcbObj, receiver: TcbObj, ep: EndpointObj | null, n: number): { extra: number; unwrapped: number } {
  let destSlot = -1;
  try {
    const root = k.slots.caps[lookupSlot(k, receiver, receiver.buf[125])];
    const s = lookupSlotForCNodeOp(k, false, root ?? null, receiver.buf[126], receiver.buf[127]);
    if (!k.slots.caps[s]) destSlot = s;
  } catch {
    destSlot = -1;
  }
  let unwrapped = 0;
  let i = 0;
  for (; i < n; i++) {
    let srcSlot: number;
    try {
      srcSlot = lookupSlot(k, sender, sender.buf[122 + i]);
    } catch {
      break;
    }
    const c = k.slots.caps[srcSlot];
    if (!c) break;
    if (c.kind === CK.Endpoint && ep && c.obj === ep.id) {
      receiver.buf[122 + i] = c.badge;
      unwrapped |= 1 << i;
      continue;
    }
    if (destSlot < 0) break;
    const d = deriveCap(c, hasChildren(k, srcSlot));
    if ('error' in d || d.cap.kind === CK.Null) break;
    cteInsert(k, d.cap, srcSlot, destSlot);
    destSlot = -1;
  }
  return { extra: i, unwrapped };
}

/** Copy a message (or a pending fault) from sender to receiver and set the badge register. */
export function doIPCTransfer(k: Kernel, sender: TcbObj, receiver: TcbObj, badge: bigint, canGrant: boolean, ep: EndpointObj | null): void {
  const f = sender.fault;
  if (f) {
    const len = Math.min(f.mrs.length, seL4_MsgMaxLength);
    for (let i = 0; i < len; i++) receiver.buf[1 + i] = f.mrs[i];
    receiver.msgInfo = makeInfo(BigInt(f.label), 0, 0, len);
  } else {
    const info = sender.msgInfo;
    const len = Math.min(msgLength(info), seL4_MsgMaxLength);
    for (let i = 0; i < len; i++) receiver.buf[1 + i] = sender.buf[1 + i];
    let extra = 0, unwrapped = 0;
    const n = msgExtraCaps(info);
    if (canGrant && n > 0) ({ extra, unwrapped } = transferCaps(k, sender, receiver, ep, n));
    receiver.msgInfo = makeInfo(msgLabel(info), unwrapped, extra, len);
  }
  receiver.capReg = badge;
}

// ---- MCS reply objects ----
function replyPush(k: Kernel, caller: TcbObj, callee: TcbObj, reply: ReplyObj, canDonate: boolean): void {
  if (reply.tcb >= 0) replyUnlink(k, reply);
  reply.tcb = caller.id;
  caller.replyObj = reply.id;
  setState(k, caller, TS.BlockedOnReply);
  caller.blockedOn = reply.id;
  // donate the caller's SC to a passive callee
  if (canDonate && callee.sc < 0 && caller.sc >= 0) {
    const sc = k.objects[caller.sc] as SchedContextObj;
    caller.sc = -1;
    sc.tcb = callee.id;
    callee.sc = sc.id;
    callee.core = sc.core;
    reply.donatedSc = sc.id;
  }
}

/** Detach a reply object from its caller, returning a donated SC. */
function replyUnlink(k: Kernel, reply: ReplyObj): TcbObj | null {
  if (reply.tcb < 0) return null;
  const caller = k.tcb(reply.tcb);
  reply.tcb = -1;
  caller.replyObj = -1;
  if (reply.donatedSc >= 0) {
    const sc = k.objects[reply.donatedSc] as SchedContextObj;
    if (sc.tcb >= 0) {
      const holder = k.tcb(sc.tcb);
      holder.sc = -1;
      setState(k, holder, holder.state); // drops it from queues if it can no longer run
      if (holder.inReadyQueue) { /* keep */ }
    }
    sc.tcb = caller.id;
    caller.sc = sc.id;
    reply.donatedSc = -1;
  }
  return caller;
}

export function replyOnDelete(k: Kernel, reply: ReplyObj): void {
  if (reply.tcb >= 0) {
    const caller = replyUnlink(k, reply)!;
    if (caller.state === TS.BlockedOnReply) caller.blockedOn = -1;
  }
  if (reply.receiver >= 0) {
    const r = k.tcb(reply.receiver);
    if (r.state === TS.BlockedOnReceive && r.blockReply === reply.id) cancelIPC(k, r);
    reply.receiver = -1;
  }
}

/** Reply through a reply object (Send on a reply cap, ReplyRecv). */
export function doReplyTransfer(k: Kernel, replier: TcbObj, reply: ReplyObj, canGrant: boolean): void {
  if (reply.tcb < 0) return;
  const caller = replyUnlink(k, reply)!;
  if (caller.state !== TS.BlockedOnReply) return;
  caller.blockedOn = -1;
  if (caller.fault) {
    const restart = handleFaultReply(caller, replier);
    caller.fault = null;
    setState(k, caller, restart ? TS.Restart : TS.Inactive);
  } else {
    doIPCTransfer(k, replier, caller, 0n, canGrant, null);
    setState(k, caller, TS.Running);
  }
  if (k.hook) k.emit({ kind: 'reply', from: replier.id, to: caller.id });
  possibleSwitchTo(k, caller);
}

/** Fault reply (§5.5): returns whether the faulting thread restarts. Writes back registers where the type allows. */
function handleFaultReply(caller: TcbObj, replier: TcbObj): boolean {
  const f = caller.fault!;
  const label = msgLabel(replier.msgInfo);
  const len = msgLength(replier.msgInfo);
  switch (f.label) {
    case FaultLabel.CapFault:
    case FaultLabel.VMFault:
      return true;
    case FaultLabel.UnknownSyscall: {
      // MR order: RAX RBX RCX RDX RSI RDI RBP R8..R15 FaultIP SP FLAGS → seL4_UserContext indices
      const map = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 0, 1, 2];
      for (let i = 0; i < Math.min(len, map.length); i++) caller.regs[map[i]] = replier.buf[1 + i];
      return label === 0n;
    }
    case FaultLabel.UserException: {
      const map = [0, 1, 2];
      for (let i = 0; i < Math.min(len, map.length); i++) caller.regs[map[i]] = replier.buf[1 + i];
      return label === 0n;
    }
    default:
      return label === 0n;
  }
}

// ---- endpoints ----
export function sendIPC(k: Kernel, t: TcbObj, ep: EndpointObj, badge: bigint, blocking: boolean, isCall: boolean, canGrant: boolean, canGrantReply: boolean): void {
  if (ep.state !== EP_RECV) {
    if (!blocking) return;
    setState(k, t, TS.BlockedOnSend);
    t.blockedOn = ep.id;
    t.blockBadge = badge;
    t.blockIsCall = isCall;
    t.blockCanGrant = canGrant;
    t.blockCanGrantReply = canGrantReply;
    qAppend(k, ep, t);
    ep.state = EP_SEND;
    if (k.hook) k.emit({ kind: 'block', tcb: t.id, state: 'BlockedOnSend', on: ep.id });
    return;
  }
  const dest = k.tcb(ep.qHead);
  qRemove(k, ep, dest);
  if (ep.qHead < 0) ep.state = EP_IDLE;
  doIPCTransfer(k, t, dest, badge, canGrant, ep);
  const replyId = dest.blockReply;
  dest.blockReply = -1;
  dest.blockedOn = -1;
  if (replyId >= 0) k.obj<ReplyObj>(replyId).receiver = -1;
  if (k.hook) k.emit({ kind: isCall ? 'call' : 'send', ep: ep.id, from: t.id, to: dest.id, badge, label: msgLabel(t.msgInfo) });
  setState(k, dest, TS.Running);
  if (isCall || t.fault) {
    if ((canGrant || canGrantReply) && replyId >= 0) replyPush(k, t, dest, k.obj<ReplyObj>(replyId), true);
    else setState(k, t, TS.Inactive);
  }
  possibleSwitchTo(k, dest);
}

export function receiveIPC(k: Kernel, t: TcbObj, ep: EndpointObj, blocking: boolean, replyId: number): void {
  if (replyId >= 0) {
    const r = k.obj<ReplyObj>(replyId);
    if (r.tcb >= 0) replyUnlink(k, r);
  }
  if (t.boundNtfn >= 0) {
    const n = k.obj<NotificationObj>(t.boundNtfn);
    if (n.state === NTFN_ACTIVE) {
      completeSignal(k, n, t);
      return;
    }
  }
  if (ep.state === EP_SEND) {
    const sender = k.tcb(ep.qHead);
    qRemove(k, ep, sender);
    if (ep.qHead < 0) ep.state = EP_IDLE;
    sender.blockedOn = -1;
    doIPCTransfer(k, sender, t, sender.blockBadge, sender.blockCanGrant, ep);
    if (k.hook) k.emit({ kind: sender.blockIsCall ? 'call' : 'send', ep: ep.id, from: sender.id, to: t.id, badge: sender.blockBadge, label: msgLabel(sender.msgInfo) });
    if (sender.blockIsCall || sender.fault) {
      if ((sender.blockCanGrant || sender.blockCanGrantReply) && replyId >= 0) replyPush(k, sender, t, k.obj<ReplyObj>(replyId), true);
      else setState(k, sender, TS.Inactive);
    } else {
      setState(k, sender, TS.Running);
      possibleSwitchTo(k, sender);
    }
    return;
  }
  if (!blocking) {
    t.capReg = 0n;
    return;
  }
  setState(k, t, TS.BlockedOnReceive);
  t.blockedOn = ep.id;
  t.blockReply = replyId;
  if (replyId >= 0) k.obj<ReplyObj>(replyId).receiver = t.id;
  qAppend(k, ep, t);
  ep.state = EP_RECV;
  maybeReturnSc(k, t);
  if (k.hook) k.emit({ kind: 'block', tcb: t.id, state: 'BlockedOnReceive', on: ep.id });
}

/** Remove a thread from whatever it is blocked on (suspend, delete, signal to a bound receiver). */
export function cancelIPC(k: Kernel, t: TcbObj): void {
  switch (t.state) {
    case TS.BlockedOnSend:
    case TS.BlockedOnReceive: {
      const ep = k.obj<EndpointObj>(t.blockedOn);
      qRemove(k, ep, t);
      if (ep.qHead < 0) ep.state = EP_IDLE;
      if (t.blockReply >= 0) {
        k.obj<ReplyObj>(t.blockReply).receiver = -1;
        t.blockReply = -1;
      }
      t.fault = null;
      break;
    }
    case TS.BlockedOnNotification: {
      const n = k.obj<NotificationObj>(t.blockedOn);
      qRemove(k, n, t);
      if (n.qHead < 0) n.state = NTFN_IDLE;
      break;
    }
    case TS.BlockedOnReply:
      if (t.replyObj >= 0) replyUnlink(k, k.obj<ReplyObj>(t.replyObj));
      t.fault = null;
      break;
  }
  t.blockedOn = -1;
}

export function cancelAllIPC(k: Kernel, ep: EndpointObj): void {
  let id = ep.qHead;
  ep.qHead = ep.qTail = -1;
  ep.state = EP_IDLE;
  while (id >= 0) {
    const t = k.tcb(id);
    id = t.qNext;
    t.qNext = t.qPrev = -1;
    t.blockedOn = -1;
    if (t.blockReply >= 0) {
      k.obj<ReplyObj>(t.blockReply).receiver = -1;
      t.blockReply = -1;
    }
    if (t.fault) {
      t.state = TS.Inactive;
    } else {
      t.state = TS.Restart;
      restartToHead(k, t);
    }
  }
}

/** CancelBadgedSends: restart senders blocked with this badge. */
export function cancelBadgedSends(k: Kernel, ep: EndpointObj, badge: bigint): void {
  if (badge === 0n || ep.state !== EP_SEND) return;
  let id = ep.qHead;
  while (id >= 0) {
    const t = k.tcb(id);
    id = t.qNext;
    if (t.blockBadge === badge) {
      qRemove(k, ep, t);
      t.blockedOn = -1;
      t.state = TS.Restart;
      restartToHead(k, t);
    }
  }
  if (ep.qHead < 0) ep.state = EP_IDLE;
}

// ---- notifications ----
function maybeDonateSc(k: Kernel, t: TcbObj, n: NotificationObj): void {
  if (t.sc < 0 && n.boundSc >= 0) {
    const sc = k.objects[n.boundSc] as SchedContextObj;
    if (sc.tcb < 0) {
      sc.tcb = t.id;
      t.sc = sc.id;
      t.core = sc.core;
    }
  }
}

/** A passive thread waiting again gives the SC it borrowed from its notification back. */
function maybeReturnSc(k: Kernel, t: TcbObj): void {
  if (t.sc < 0 || t.boundNtfn < 0) return;
  const n = k.objects[t.boundNtfn] as NotificationObj;
  if (n.boundSc === t.sc) {
    (k.objects[t.sc] as SchedContextObj).tcb = -1;
    t.sc = -1;
  }
}

function completeSignal(k: Kernel, n: NotificationObj, t: TcbObj): void {
  t.capReg = n.word;
  n.word = 0n;
  n.state = NTFN_IDLE;
  maybeDonateSc(k, t, n);
}

export function sendSignal(k: Kernel, n: NotificationObj, badge: bigint): void {
  let woke = -1;
  switch (n.state) {
    case NTFN_IDLE: {
      const t = n.boundTcb >= 0 ? k.tcb(n.boundTcb) : null;
      if (t && t.state === TS.BlockedOnReceive) {
        cancelIPC(k, t);
        setState(k, t, TS.Running);
        t.capReg = badge;
        maybeDonateSc(k, t, n);
        possibleSwitchTo(k, t);
        woke = t.id;
      } else if (t && t.state === TS.RunningVM) {
        leaveGuestForNotification(k, t, badge);
        woke = t.id;
      } else {
        n.state = NTFN_ACTIVE;
        n.word = badge;
      }
      break;
    }
    case NTFN_WAITING: {
      const t = k.tcb(n.qHead);
      qRemove(k, n, t);
      if (n.qHead < 0) n.state = NTFN_IDLE;
      t.blockedOn = -1;
      setState(k, t, TS.Running);
      t.capReg = badge;
      maybeDonateSc(k, t, n);
      possibleSwitchTo(k, t);
      woke = t.id;
      break;
    }
    default:
      n.word |= badge;
  }
  if (k.hook) k.emit({ kind: 'signal', ntfn: n.id, badge, woke });
}

export function receiveSignal(k: Kernel, t: TcbObj, n: NotificationObj, blocking: boolean): void {
  if (n.state === NTFN_ACTIVE) {
    completeSignal(k, n, t);
    return;
  }
  if (!blocking) {
    t.capReg = 0n;
    return;
  }
  setState(k, t, TS.BlockedOnNotification);
  t.blockedOn = n.id;
  qAppend(k, n, t);
  n.state = NTFN_WAITING;
  maybeReturnSc(k, t);
  if (k.hook) k.emit({ kind: 'block', tcb: t.id, state: 'BlockedOnNotification', on: n.id });
}

export function cancelAllSignals(k: Kernel, n: NotificationObj): void {
  if (n.state !== NTFN_WAITING) return;
  let id = n.qHead;
  n.qHead = n.qTail = -1;
  n.state = NTFN_IDLE;
  while (id >= 0) {
    const t = k.tcb(id);
    id = t.qNext;
    t.qNext = t.qPrev = -1;
    t.blockedOn = -1;
    t.state = TS.Restart;
    restartToHead(k, t);
  }
}

export function bindNotification(t: TcbObj, n: NotificationObj): void {
  n.boundTcb = t.id;
  t.boundNtfn = n.id;
}

export function unbindNotification(k: Kernel, t: TcbObj): void {
  if (t.boundNtfn < 0) return;
  const n = k.obj<NotificationObj>(t.boundNtfn);
  n.boundTcb = -1;
  t.boundNtfn = -1;
}

export function notificationState(n: NotificationObj): 'Idle' | 'Waiting' | 'Active' {
  return n.state === NTFN_IDLE ? 'Idle' : n.state === NTFN_WAITING ? 'Waiting' : 'Active';
}

// ---- guest mode (§6.5) ----
export function leaveGuestForNotification(k: Kernel, t: TcbObj, badge: bigint): void {
  const v = k.obj<VcpuObj>(t.vcpu);
  setState(k, t, TS.Running);
  t.capReg = badge;
  t.buf[1] = v.vmcs.get(VMCS.GUEST_RIP) ?? 0n;
  t.buf[2] = v.vmcs.get(VMCS.PRIMARY_PROCESSOR_CONTROLS) ?? 0n;
  t.buf[3] = v.vmcs.get(VMCS.ENTRY_INTERRUPTION_INFO) ?? 0n;
  t.msgInfo = SEL4_VMENTER_RESULT_NOTIF;
  if (k.hook) k.emit({ kind: 'vm-exit', tcb: t.id, reason: -1, notif: true });
  possibleSwitchTo(k, t);
}

// ---- faults (§5.5, MCS: handler cap in TCB slot 3) ----
export function handleFault(k: Kernel, t: TcbObj, fault: FaultRecord): boolean {
  const h = k.slots.caps[t.slotBase + tcbFaultHandler];
  t.lastFaultLabel = fault.label;
  const ok = !!h && h.kind === CK.Endpoint && (h.rights & RIGHT_WRITE) !== 0 && (h.rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY)) !== 0;
  if (k.hook) k.emit({ kind: 'fault', tcb: t.id, label: fault.label, handled: ok });
  if (!ok) {
    t.fault = null;
    setState(k, t, TS.Inactive);
    return false;
  }
  t.fault = fault;
  sendIPC(k, t, k.obj<EndpointObj>(h!.obj), h!.badge, true, true, (h!.rights & RIGHT_GRANT) !== 0, true);
  return true;
}

/** Timeout fault (MCS): sent to the TCB's timeout endpoint (slot tcbTimeoutHandler) instead of its fault handler. */
export function handleTimeoutFault(k: Kernel, t: TcbObj, scBadge: bigint, consumed: bigint): boolean {
  const h = k.slots.caps[t.slotBase + tcbTimeoutHandler];
  if (!h || h.kind !== CK.Endpoint || !isRunnableState(t.state)) return false;
  t.lastFaultLabel = FaultLabel.Timeout;
  t.fault = { label: FaultLabel.Timeout, mrs: [scBadge, consumed] };
  if (k.hook) k.emit({ kind: 'fault', tcb: t.id, label: FaultLabel.Timeout, handled: true });
  sendIPC(k, t, k.obj<EndpointObj>(h.obj), h.badge, true, true, (h.rights & RIGHT_GRANT) !== 0, true);
  return true;
}

/** SchedControl and SchedContext invocations (MCS, §1.3, §5.2). */
import { Label, MAX_PERIOD_US, MIN_BUDGET_US, seL4_IllegalOperation, seL4_InvalidCapability, seL4_RangeError, seL4_TruncatedMessage } from './constants';
import { syserr } from './errors';
import { EMPTY, mr, type Invocation, type InvokeResult } from './invocation';
import { CapKind, type NotificationObj, type SchedContextObj } from './objects';
import { bindSc, possibleSwitchTo, tcbUnbindSc, isSchedulable, dequeue, enqueue } from './sched';

export function maxRefills(sizeBits: number): number {
  return Math.floor((2 ** sizeBits - 96) / 16);
}

export function decodeSchedControl(inv: Invocation): InvokeResult {
  const { k } = inv;
  if (inv.label !== Label.SchedControlConfigureFlags) throw syserr(seL4_IllegalOperation);
  if (inv.len < 5 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
  const budget = mr(inv, 0);
  const period = mr(inv, 1);
  const extra = mr(inv, 2);
  const badge = mr(inv, 3);
  const flags = mr(inv, 4);
  const c = inv.extra[0];
  if (c.kind !== CapKind.SchedContext) throw syserr(seL4_InvalidCapability, 1);
  if (budget < MIN_BUDGET_US || budget > MAX_PERIOD_US) throw syserr(seL4_RangeError, MIN_BUDGET_US, MAX_PERIOD_US);
  if (period < MIN_BUDGET_US || period > MAX_PERIOD_US) throw syserr(seL4_RangeError, MIN_BUDGET_US, MAX_PERIOD_US);
  if (budget > period) throw syserr(seL4_RangeError, MIN_BUDGET_US, period);
  const sc = k.obj<SchedContextObj>(c.obj);
  const maxExtra = maxRefills(sc.sizeBits) - 2;
  if (extra > BigInt(maxExtra)) throw syserr(seL4_RangeError, 0, maxExtra);
  sc.budget = budget;
  sc.period = budget === period ? 0n : period;
  sc.extraRefills = Number(extra);
  sc.badge = badge;
  sc.sporadic = (flags & 1n) !== 0n;
  sc.configured = true;
  sc.remaining = budget;
  sc.core = inv.cap.core;
  if (sc.tcb >= 0) {
    const t = k.tcb(sc.tcb);
    dequeue(k, t);
    t.core = sc.core;
    possibleSwitchTo(k, t);
  }
  return EMPTY;
}

export function decodeSchedContext(inv: Invocation): InvokeResult {
  const { k } = inv;
  const sc = k.obj<SchedContextObj>(inv.cap.obj);
  switch (inv.label) {
    case Label.SchedContextBind: {
      const c = inv.extra[0];
      if (!c) throw syserr(seL4_TruncatedMessage);
      if (c.kind === CapKind.TCB) {
        const t = k.tcb(c.obj);
        if (sc.tcb >= 0 || t.sc >= 0) throw syserr(seL4_IllegalOperation);
        bindSc(k, sc, t);
        return EMPTY;
      }
      if (c.kind === CapKind.Notification) {
        const n = k.obj<NotificationObj>(c.obj);
        if (sc.ntfn >= 0 || n.boundSc >= 0) throw syserr(seL4_IllegalOperation);
        sc.ntfn = n.id;
        n.boundSc = sc.id;
        return EMPTY;
      }
      throw syserr(seL4_InvalidCapability, 1);
    }
    case Label.SchedContextUnbind:
      if (sc.tcb >= 0 && sc.tcb === inv.t.id) throw syserr(seL4_IllegalOperation);
      if (sc.tcb >= 0) tcbUnbindSc(k, k.tcb(sc.tcb));
      if (sc.ntfn >= 0) {
        k.obj<NotificationObj>(sc.ntfn).boundSc = -1;
        sc.ntfn = -1;
      }
      return EMPTY;
    case Label.SchedContextUnbindObject: {
      const c = inv.extra[0];
      if (!c) throw syserr(seL4_TruncatedMessage);
      if (c.kind === CapKind.TCB) {
        if (sc.tcb !== c.obj || c.obj === inv.t.id) throw syserr(seL4_IllegalOperation);
        tcbUnbindSc(k, k.tcb(c.obj));
        return EMPTY;
      }
      if (c.kind === CapKind.Notification) {
        if (sc.ntfn !== c.obj) throw syserr(seL4_IllegalOperation);
        k.obj<NotificationObj>(sc.ntfn).boundSc = -1;
        sc.ntfn = -1;
        return EMPTY;
      }
      throw syserr(seL4_InvalidCapability, 1);
    }
    case Label.SchedContextConsumed: {
      const v = sc.consumed;
      sc.consumed = 0n;
      return [v];
    }
    case Label.SchedContextYieldTo: {
      if (sc.tcb < 0) throw syserr(seL4_IllegalOperation);
      const t = k.tcb(sc.tcb);
      if (t.prio > inv.t.mcp) throw syserr(seL4_IllegalOperation);
      const v = sc.consumed;
      sc.consumed = 0n;
      if (isSchedulable(k, t)) {
        dequeue(k, t);
        enqueue(k, t, true);
      }
      return [v];
    }
  }
  throw syserr(seL4_IllegalOperation);
}

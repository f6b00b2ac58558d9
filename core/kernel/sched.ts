/** Scheduler (§5.1, §5.2): per-core ready queues over 256 priorities, round robin, MCS scheduling contexts with
 * budget/period (simplified refill model), passive threads without an SC. Deterministic; time only moves when the
 * engine calls advanceTime. */
import { NUM_PRIORITIES, ThreadState, tcbTimeoutHandler } from './constants';
import type { Kernel } from './kernel';
import type { SchedContextObj, TcbObj } from './objects';
import { cancelIPC, handleTimeoutFault as timeoutFault } from './ipc';
import { CapKind } from './objects';
const CK = { ...CapKind };
const TS = { ...ThreadState };
export function isRunnableState(s: number): boolean {
  return s === TS.Running || s === TS.Restart || s === TS.RunningVM;
}

/** Has a bound, configured SC with budget available now. */
export function hasReadySc(k: Kernel, t: TcbObj): boolean {
  if (t.sc < 0) return false;
  const sc = k.objects[t.sc] as SchedContextObj;
  return sc.configured && sc.remaining > 0n;
}

export function isSchedulable(k: Kernel, t: TcbObj): boolean {
  return t.alive && isRunnableState(t.state) && hasReadySc(k, t);
}

function qIndex(k: Kernel, t: TcbObj): number {
  return (t.core % k.cores) * NUM_PRIORITIES + t.prio;
}

export function enqueue(k: Kernel, t: TcbObj, atHead = false): void {
  if (t.inReadyQueue || k.current[t.core % k.cores] === t.id) return;
  const q = qIndex(k, t);
  t.inReadyQueue = true;
  k.rqBitmap[q >> 5] |= 1 << (q & 31);
  if (atHead) {
    t.rqPrev = -1;
    t.rqNext = k.rqHead[q];
    if (t.rqNext >= 0) k.tcb(t.rqNext).rqPrev = t.id;
    else k.rqTail[q] = t.id;
    k.rqHead[q] = t.id;
  } else {
    t.rqNext = -1;
    t.rqPrev = k.rqTail[q];
    if (t.rqPrev >= 0) k.tcb(t.rqPrev).rqNext = t.id;
    else k.rqHead[q] = t.id;
    k.rqTail[q] = t.id;
  }
}

export function dequeue(k: Kernel, t: TcbObj): void {
  if (!t.inReadyQueue) return;
  const q = qIndex(k, t);
  if (t.rqPrev >= 0) k.tcb(t.rqPrev).rqNext = t.rqNext;
  else k.rqHead[q] = t.rqNext;
  if (t.rqNext >= 0) k.tcb(t.rqNext).rqPrev = t.rqPrev;
  else k.rqTail[q] = t.rqPrev;
  if (k.rqHead[q] < 0) k.rqBitmap[q >> 5] &= ~(1 << (q & 31));
  t.rqNext = t.rqPrev = -1;
  t.inReadyQueue = false;
}

/** A thread became runnable (seL4 possibleSwitchTo): on another core it goes to the head of that core's queue;
 * on this core it becomes the scheduler's candidate, and schedule() decides (see there). A second wakeup in the
 * same kernel entry demotes both to the head of their queues ("too many threads want special treatment"). */
export function possibleSwitchTo(k: Kernel, t: TcbObj): void {
  if (!isSchedulable(k, t)) return;
  const c = t.core % k.cores;
  if (c !== k.execCore % k.cores) {
    enqueue(k, t, true);
    return;
  }
  const a = k.action[c];
  if (a === t.id) return;
  if (a === -1 && !t.inReadyQueue && k.current[c] !== t.id) {
    k.action[c] = t.id;
    return;
  }
  if (a >= 0) {
    k.action[c] = -2;
    const prev = k.tcb(a);
    if (isSchedulable(k, prev)) enqueue(k, prev, true);
  }
  enqueue(k, t, true);
}

/** Threads restarted by cancelAll* / Resume go to the head of their queue. */
export function restartToHead(k: Kernel, t: TcbObj): void {
  if (isSchedulable(k, t)) enqueue(k, t, true);
}

export function setState(k: Kernel, t: TcbObj, s: (typeof ThreadState)[keyof typeof ThreadState]): void {
  t.state = s;
  if (!isRunnableState(s)) {
    dequeue(k, t);
    const c = t.core % k.cores;
    if (k.current[c] === t.id) k.current[c] = -1;
  }
}

/** Highest priority with a non-empty ready queue on `core`, -1 when none (bitmap lookup). */
export function highestReady(k: Kernel, core: number): number {
  const base = core * 8;
  for (let w = 7; w >= 0; w--) {
    const bits = k.rqBitmap[base + w];
    if (bits !== 0) return w * 32 + 31 - Math.clz32(bits);
  }
  return -1;
}

function switchTo(k: Kernel, core: number, t: TcbObj): number {
  dequeue(k, t);
  k.current[core] = t.id;
  if (k.hook) k.emit({ kind: 'schedule', core, tcb: t.id });
  return t.id;
}

/** Pick the thread to run on a core (seL4 schedule()). A candidate woken on this core runs at once when it outranks
 * the current thread; an equal one queues behind it (tail); a lower one goes to the head of its queue. When the
 * current thread blocked, the candidate runs if no ready thread outranks it. Otherwise the highest-priority ready
 * thread runs, the current one staying unless strictly outranked (then it returns to the head of its queue). */
export function schedule(k: Kernel, core = 0): number {
  const curId = k.current[core];
  const cur = curId >= 0 ? k.tcb(curId) : null;
  const curOk = cur !== null && isSchedulable(k, cur);
  const a = k.action[core];
  k.action[core] = -1;
  if (a >= 0 && a !== curId) {
    const cand = k.tcb(a);
    if (isSchedulable(k, cand) && !cand.inReadyQueue) {
      if (curOk) {
        if (cand.prio > cur!.prio) {
          k.current[core] = -1;
          enqueue(k, cur!, true);
          return switchTo(k, core, cand);
        }
        enqueue(k, cand, cand.prio !== cur!.prio);
      } else if (highestReady(k, core) <= cand.prio) {
        if (cur) k.current[core] = -1;
        return switchTo(k, core, cand);
      } else enqueue(k, cand, true);
    }
  }
  const best = highestReady(k, core);
  const base = core * NUM_PRIORITIES;
  if (curOk && best <= cur!.prio) return curId;
  if (cur && !curOk) k.current[core] = -1;
  if (best < 0) {
    k.current[core] = -1;
    return -1;
  }
  if (curOk) {
    k.current[core] = -1;
    enqueue(k, cur!, true);
  }
  return switchTo(k, core, k.tcb(k.rqHead[base + best]));
}

/** Yield: current thread to the tail of its queue. */
export function yieldThread(k: Kernel, t: TcbObj): void {
  const c = t.core % k.cores;
  if (k.current[c] === t.id) k.current[c] = -1;
  dequeue(k, t);
  if (isSchedulable(k, t)) enqueue(k, t);
}

/** Charge `us` of CPU time to the thread running on `core`; handles round robin and budget exhaustion. */
export function chargeTime(k: Kernel, core: number, us: bigint): void {
  const id = k.current[core];
  if (id < 0) return;
  const t = k.tcb(id);
  if (t.sc < 0) return;
  const sc = k.objects[t.sc] as SchedContextObj;
  sc.consumed += us;
  sc.remaining -= us;
  if (sc.remaining > 0n) return;
  k.current[core] = -1;
  if (sc.period === 0n) {
    sc.remaining = sc.budget; // round robin: refill and go to the tail
    enqueue(k, t);
  } else {
    sc.remaining = 0n;
    sc.releaseAt = k.now + sc.period;
    t.inReleaseQueue = true;
    k.releaseQueue.push(t.id);
    // a thread with a timeout handler gets a Timeout fault (MR0 = SC badge, MR1 = consumed)
    const h = k.slots.caps[t.slotBase + tcbTimeoutHandler];
    if (h && h.kind === CK.Endpoint) timeoutFault(k, t, sc.badge, sc.consumed);
  }
}

/** Advance time, releasing threads whose budget is replenished. */
export function advanceTime(k: Kernel, us: bigint): void {
  k.now += us;
  for (let i = 0; i < k.releaseQueue.length; ) {
    const t = k.tcb(k.releaseQueue[i]);
    const sc = t.sc >= 0 ? (k.objects[t.sc] as SchedContextObj) : null;
    if (!sc || sc.releaseAt <= k.now) {
      k.releaseQueue.splice(i, 1);
      t.inReleaseQueue = false;
      if (sc) sc.remaining = sc.budget;
      possibleSwitchTo(k, t);
    } else i++;
  }
}

export function suspendThread(k: Kernel, t: TcbObj): void {
  cancelIPC(k, t);
  setState(k, t, TS.Inactive);
}

export function resumeThread(k: Kernel, t: TcbObj): void {
  // seL4 restart(): any stopped thread (inactive or blocked in IPC) leaves its IPC and restarts
  if (t.state === TS.Running || t.state === TS.Restart || t.state === TS.RunningVM || t.state === TS.Idle) return;
  cancelIPC(k, t);
  t.state = TS.Restart;
  restartToHead(k, t);
}

// ---- scheduling-context binding ----
export function bindSc(k: Kernel, sc: SchedContextObj, t: TcbObj): void {
  sc.tcb = t.id;
  t.sc = sc.id;
  t.core = sc.core;
  possibleSwitchTo(k, t);
}

export function tcbUnbindSc(k: Kernel, t: TcbObj): void {
  if (t.sc < 0) return;
  const sc = k.objects[t.sc] as SchedContextObj;
  sc.tcb = -1;
  t.sc = -1;
  dequeue(k, t);
  const c = t.core % k.cores;
  if (k.current[c] === t.id) k.current[c] = -1;
}

export function scUnbindAll(k: Kernel, sc: SchedContextObj): void {
  if (sc.tcb >= 0) tcbUnbindSc(k, k.tcb(sc.tcb));
  if (sc.ntfn >= 0) {
    const n = k.objects[sc.ntfn] as { boundSc: number } | undefined;
    if (n) n.boundSc = -1;
    sc.ntfn = -1;
  }
  sc.reply = -1;
  sc.configured = false;
}

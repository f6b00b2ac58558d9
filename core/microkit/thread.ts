/** The bridge between a kernel thread and the JavaScript that runs as it. The JS runs only while the engine gives
 * the thread a slice; every kernel entry (`enter`) records the syscall in the TCB's registers and suspends the JS
 * on a promise that the runtime resolves when the kernel schedules the thread again with the syscall complete. */
import { makeInfo, Sys, type TcbObj } from '../kernel';
import type { JsErrorInfo } from './program';

/** A fault the thread's own code raised: a memory access the VSpace refused, or a JavaScript-level error. */
export type ThreadFault =
  | { kind: 'vm'; vaddr: bigint; write: boolean; present: boolean }
  | { kind: 'js'; text: string; error?: JsErrorInfo };

/** Thrown into a PD's code to unwind it after its thread faulted (or broke a rule); never meant to be caught. */
export class Abandon extends Error {
  constructor() {
    super('the PD faulted; its code does not continue');
    this.name = 'MicrokitAbandon';
  }
}

export class ThreadContext {
  /** program generation: a restart (new PC) starts a fresh one; old promise chains are left behind */
  gen = 0;
  /** an mk kernel call is outstanding (its promise not yet resolved) */
  waiting = false;
  sys = 0;
  /** what the outstanding call was (for messages) */
  what = '';
  resolveFn: (() => void) | null = null;
  fault: ThreadFault | null = null;
  ended = false;
  /** loop iterations / function entries since the last kernel entry (watchdog and time) */
  ticks = 0;
  readonly tick: () => void;

  constructor(readonly tcb: TcbObj, readonly name: string, readonly tickLimit: number) {
    this.tick = () => {
      if (this.fault) throw new Abandon();
      if (++this.ticks > this.tickLimit) {
        this.fault = {
          kind: 'js',
          text: `watchdog: ${this.name} ran ${this.tickLimit} loop iterations without entering the kernel; stopped`,
        };
        throw new Abandon();
      }
    };
  }

  /** Checks before a kernel call: a faulted program stops, and a call before the previous one returned is an error. */
  check(what: string): void {
    if (this.fault) throw new Abandon();
    if (this.waiting) {
      this.fault = { kind: 'js', text: `${what} was called before ${this.what} returned: every mk call that enters the kernel must be awaited` };
      throw new Abandon();
    }
  }

  /** Enter the kernel with syscall `sys` (registers already written). Resolves when the syscall has completed. */
  enter(sys: number, what: string): Promise<void> {
    this.check(what);
    this.waiting = true;
    this.sys = sys;
    this.what = what;
    return new Promise<void>((r) => {
      this.resolveFn = r;
    });
  }

  reset(): void {
    this.gen++;
    this.waiting = false;
    this.resolveFn = null;
    this.fault = null;
    this.ended = false;
    this.ticks = 0;
  }

  // ---- syscall helpers (libsel4 in miniature): arguments go into the TCB's registers and IPC buffer ----

  send(cptr: number, info: bigint, what: string): Promise<void> {
    this.check(what);
    const t = this.tcb;
    t.capReg = BigInt(cptr);
    t.msgInfo = info;
    return this.enter(Sys.Send, what);
  }

  /** seL4_Call: resolves to the reply's MessageInfo (MRs in the IPC buffer). */
  call(cptr: number, info: bigint, what: string): Promise<bigint> {
    this.check(what);
    const t = this.tcb;
    t.capReg = BigInt(cptr);
    t.msgInfo = info;
    return this.enter(Sys.Call, what).then(() => t.msgInfo);
  }

  /** An invocation (Call with a label): MRs and extra caps set here; resolves to the seL4 error (reply label). */
  invoke(cptr: number, label: number, mrs: (bigint | number)[], extraCaps: number[], what: string): Promise<number> {
    this.check(what);
    const t = this.tcb;
    for (let i = 0; i < mrs.length; i++) t.buf[1 + i] = BigInt.asUintN(64, BigInt(mrs[i]));
    for (let i = 0; i < extraCaps.length; i++) t.buf[122 + i] = BigInt(extraCaps[i]);
    t.capReg = BigInt(cptr);
    t.msgInfo = makeInfo(BigInt(label), 0, extraCaps.length, mrs.length);
    return this.enter(Sys.Call, what).then(() => Number(t.msgInfo >> 12n));
  }

  recv(src: number, reply: number, what: string): Promise<void> {
    this.check(what);
    const t = this.tcb;
    t.capReg = BigInt(src);
    t.replyReg = BigInt(reply);
    return this.enter(Sys.Recv, what);
  }

  replyRecv(src: number, info: bigint, reply: number, what: string): Promise<void> {
    this.check(what);
    const t = this.tcb;
    t.capReg = BigInt(src);
    t.msgInfo = info;
    t.replyReg = BigInt(reply);
    return this.enter(Sys.ReplyRecv, what);
  }

  nbSendRecv(dest: number, info: bigint, src: number, reply: number, what: string): Promise<void> {
    this.check(what);
    const t = this.tcb;
    t.destReg = BigInt(dest);
    t.msgInfo = info;
    t.capReg = BigInt(src);
    t.replyReg = BigInt(reply);
    return this.enter(Sys.NBSendRecv, what);
  }

  vmEnter(what: string): Promise<void> {
    return this.enter(Sys.VMEnter, what);
  }
}

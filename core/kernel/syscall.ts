/** Syscall entry (MCS numbering): reads the thread's registers/IPC buffer, dispatches, writes results back. */
import {
  EXIT_REASONS_WITH_QUALIFICATION, LABEL_NAMES, Label, seL4_InvalidArgument, seL4_TruncatedMessage, RIGHT_GRANT, RIGHT_GRANT_REPLY, RIGHT_READ, RIGHT_WRITE, seL4_InvalidCapability,
  seL4_MissingCapability, seL4_MsgMaxLength, SEL4_VMENTER_RESULT_FAULT, Sys, ThreadState, VMCS, VMX_EXIT_EXTERNAL_INTERRUPT,
} from './constants';
import { decodeCNode } from './cnodeOps';
import { LookupFault, SyscallError, syserr } from './errors';
import { capFault, unknownSyscallFault } from './faults';
import type { Invocation, InvokeResult } from './invocation';
import { doReplyTransfer, makeInfo, msgExtraCaps, msgLabel, msgLength, receiveIPC, receiveSignal, sendIPC, sendSignal } from './ipc';
import type { Kernel } from './kernel';
import { lookupSlot } from './lookup';
import { Cap, CapKind, type EndpointObj, type NotificationObj, type ReplyObj, type TcbObj, type VcpuObj } from './objects';
import { decodeASIDControl, decodeASIDPool, decodeFrame, decodeTable } from './pagingOps';
import { decodeUntyped } from './retype';
import { decodeSchedContext, decodeSchedControl } from './schedOps';
import { isRunnableState, setState, yieldThread } from './sched';
import { decodeTcb } from './tcbOps';
import { decodeIOPort, decodeIOPortControl, decodeIRQControl, decodeIRQHandler, decodeVcpu, writeVmcs } from './vcpu';
/** local copies: imported bindings can be getters after transpilation, slow in hot paths */
const CK = { ...CapKind };
const TS = { ...ThreadState };
const SYS_NAMES = new Map<number, string>(Object.entries(Sys).map(([n, v]) => [v, `seL4_Sys${n}`]));

const CK_DOMAIN = CapKind.Domain;

/** Domain cap: DomainSetSet(domain, tcb). */
function decodeDomain(inv: Invocation): InvokeResult {
  if (inv.label !== Label.DomainSetSet) throw syserr(3);
  if (inv.len < 1) throw syserr(seL4_TruncatedMessage);
  const domain = inv.t.buf[1];
  const numDomains = inv.k.board?.kernel.numDomains ?? 1;
  if (domain >= BigInt(numDomains)) throw syserr(seL4_InvalidArgument, 0);
  const c = inv.extra[0];
  if (!c) throw syserr(seL4_TruncatedMessage);
  if (c.kind !== CapKind.TCB) throw syserr(seL4_InvalidArgument, 1);
  inv.k.tcb(c.obj).domain = Number(domain);
  return [];
}

/** What happened to the calling thread. */
export const Outcome = { Done: 0, Blocked: 1, Faulted: 2 } as const;
export type OutcomeNum = (typeof Outcome)[keyof typeof Outcome];

const TWO53 = 1n << 53n;
const TWO32 = 2 ** 32;
const extraCaps: (Cap | null)[] = [null, null, null];
const extraSlots = [-1, -1, -1];

function replyFromKernel(t: TcbObj, err: number, mrs: bigint[]): void {
  const n = Math.min(mrs.length, seL4_MsgMaxLength);
  for (let i = 0; i < n; i++) t.buf[1 + i] = mrs[i];
  // the common empty success reply is the zero word (no BigInt arithmetic)
  t.msgInfo = err === 0 && n === 0 ? 0n : makeInfo(BigInt(err), 0, 0, n);
  t.capReg = 0n;
}

function decode(inv: Invocation): InvokeResult {
  switch (inv.cap.kind) {
    case CK.Untyped: return decodeUntyped(inv);
    case CK.CNode: return decodeCNode(inv);
    case CK.TCB: return decodeTcb(inv);
    case CK.Frame: return decodeFrame(inv);
    case CK.PDPT: case CK.PageDirectory: case CK.PageTable:
    case CK.EPTPDPT: case CK.EPTPD: case CK.EPTPT:
      return decodeTable(inv);
    case CK.ASIDControl: return decodeASIDControl(inv);
    case CK.ASIDPool: return decodeASIDPool(inv);
    case CK.IRQControl: return decodeIRQControl(inv);
    case CK.IRQHandler: return decodeIRQHandler(inv);
    case CK.IOPortControl: return decodeIOPortControl(inv);
    case CK.IOPort: return decodeIOPort(inv);
    case CK.VCPU: return decodeVcpu(inv);
    case CK.SchedControl: return decodeSchedControl(inv);
    case CK.SchedContext: return decodeSchedContext(inv);
    case CK.Null: throw syserr(seL4_InvalidCapability, 0);
    case CK_DOMAIN: return decodeDomain(inv);
    default: throw syserr(3); // PML4, EPT PML4 (kernel would halt), Domain, IOSpace, ...: IllegalOperation
  }
}

/** Invoke the cap at `cptr` with the thread's message. */
function handleInvocation(k: Kernel, t: TcbObj, cptr: bigint, isCall: boolean, blocking: boolean): OutcomeNum {
  let slot: number;
  try {
    slot = lookupSlot(k, t, cptr);
  } catch (e) {
    if (e instanceof LookupFault) return capFault(k, t, cptr, false, e) ? Outcome.Faulted : Outcome.Faulted;
    throw e;
  }
  const cap = k.slots.caps[slot];
  const info = t.msgInfo;
  // the info word's fields through one exact Number conversion (no BigInt temporaries) when it fits in 53 bits
  const small = info < TWO53;
  const infoN = small ? Number(info) : 0;
  let len = small ? infoN & 0x7f : msgLength(info);
  if (len > seL4_MsgMaxLength) len = seL4_MsgMaxLength;
  const nExtra = small ? (infoN >>> 7) & 3 : msgExtraCaps(info);
  for (let i = 0; i < 3; i++) {
    extraCaps[i] = null;
    extraSlots[i] = -1;
  }
  for (let i = 0; i < nExtra; i++) {
    const c = t.buf[122 + i];
    try {
      extraSlots[i] = lookupSlot(k, t, c);
    } catch (e) {
      if (e instanceof LookupFault) {
        capFault(k, t, c, false, e);
        return Outcome.Faulted;
      }
      throw e;
    }
    extraCaps[i] = k.slots.caps[extraSlots[i]] ?? new Cap();
  }
  if (cap && cap.kind === CK.Endpoint) {
    if (!(cap.rights & RIGHT_WRITE)) return invErr(k, t, isCall, syserr(seL4_InvalidCapability, 0));
    sendIPC(k, t, k.objects[cap.obj] as EndpointObj, cap.badge, blocking, isCall, (cap.rights & RIGHT_GRANT) !== 0, (cap.rights & RIGHT_GRANT_REPLY) !== 0);
    return isRunnableState(t.state) ? Outcome.Done : Outcome.Blocked;
  }
  if (cap && cap.kind === CK.Notification) {
    if (!(cap.rights & RIGHT_WRITE)) return invErr(k, t, isCall, syserr(seL4_InvalidCapability, 0));
    sendSignal(k, k.objects[cap.obj] as NotificationObj, cap.badge);
    if (isCall) replyFromKernel(t, 0, []);
    return Outcome.Done;
  }
  if (cap && cap.kind === CK.Reply) {
    doReplyTransfer(k, t, k.objects[cap.obj] as ReplyObj, (cap.rights & RIGHT_GRANT) !== 0);
    return Outcome.Done;
  }
  const inv: Invocation = {
    k, t, label: small ? Math.floor(infoN / 4096) % TWO32 : Number(msgLabel(info) & 0xffffffffn), len, cap: cap ?? new Cap(), slot,
    extra: [extraCaps[0], extraCaps[1], extraCaps[2]], extraSlots: [extraSlots[0], extraSlots[1], extraSlots[2]], isCall,
  };
  try {
    const res = decode(inv);
    if (k.hook) k.emit({ kind: 'invoke', tcb: t.id, label: LABEL_NAMES[inv.label] ?? String(inv.label), error: 0 });
    if (res && isCall) replyFromKernel(t, 0, res);
    return isRunnableState(t.state) ? Outcome.Done : Outcome.Blocked;
  } catch (e) {
    if (e instanceof SyscallError) {
      if (k.hook) k.emit({ kind: 'invoke', tcb: t.id, label: LABEL_NAMES[inv.label] ?? String(inv.label), error: e.err });
      return invErr(k, t, isCall, e);
    }
    throw e;
  }
}

function invErr(k: Kernel, t: TcbObj, isCall: boolean, e: SyscallError): OutcomeNum {
  if (isCall) replyFromKernel(t, e.err, e.mrs);
  void k;
  return Outcome.Done;
}

function handleRecv(k: Kernel, t: TcbObj, blocking: boolean, canReply: boolean): OutcomeNum {
  const cptr = t.capReg;
  let slot: number;
  try {
    slot = lookupSlot(k, t, cptr);
  } catch (e) {
    if (e instanceof LookupFault) { capFault(k, t, cptr, true, e); return Outcome.Faulted; }
    throw e;
  }
  const cap = k.slots.caps[slot];
  const missing0 = new LookupFault(seL4_MissingCapability, 0);
  if (cap && cap.kind === CK.Endpoint) {
    if (!(cap.rights & RIGHT_READ)) { capFault(k, t, cptr, true, missing0); return Outcome.Faulted; }
    let replyId = canReply && t.replyReg === 0n ? t.implicitReply : -1;
    if (canReply && t.replyReg !== 0n) {
      let rs: number;
      try {
        rs = lookupSlot(k, t, t.replyReg);
      } catch (e) {
        if (e instanceof LookupFault) { capFault(k, t, t.replyReg, true, e); return Outcome.Faulted; }
        throw e;
      }
      const rc = k.slots.caps[rs];
      if (rc && rc.kind === CK.Reply) replyId = rc.obj;
      else if (rc) { capFault(k, t, t.replyReg, true, missing0); return Outcome.Faulted; }
    }
    receiveIPC(k, t, k.objects[cap.obj] as EndpointObj, blocking, replyId);
    return isRunnableState(t.state) ? Outcome.Done : Outcome.Blocked;
  }
  if (cap && cap.kind === CK.Notification) {
    const n = k.objects[cap.obj] as NotificationObj;
    if (!(cap.rights & RIGHT_READ) || (n.boundTcb >= 0 && n.boundTcb !== t.id)) { capFault(k, t, cptr, true, missing0); return Outcome.Faulted; }
    receiveSignal(k, t, n, blocking);
    return isRunnableState(t.state) ? Outcome.Done : Outcome.Blocked;
  }
  capFault(k, t, cptr, true, missing0);
  return Outcome.Faulted;
}

/** Run one syscall for thread `t`. Inputs: t.capReg (cptr), t.msgInfo, t.buf, t.replyReg, t.destReg. */
export function handleSyscall(k: Kernel, t: TcbObj, sys: number): OutcomeNum {
  if (t.state === TS.Restart) t.state = TS.Running;
  if (k.hook) k.emit({ kind: 'syscall', tcb: t.id, sys: SYS_NAMES.get(sys) ?? `syscall ${sys}`, cptr: t.capReg });
  switch (sys) {
    case Sys.Send: return handleInvocation(k, t, t.capReg, false, true);
    case Sys.NBSend: return handleInvocation(k, t, t.capReg, false, false);
    case Sys.Call: return handleInvocation(k, t, t.capReg, true, true);
    case Sys.Recv: return handleRecv(k, t, true, true);
    case Sys.NBRecv: return handleRecv(k, t, false, true);
    case Sys.Wait: return handleRecv(k, t, true, false);
    case Sys.NBWait: return handleRecv(k, t, false, false);
    case Sys.ReplyRecv: {
      if (t.replyReg !== 0n) {
        const r = handleInvocation(k, t, t.replyReg, false, false);
        if (r === Outcome.Faulted) return r;
      } else if (t.implicitReply >= 0) {
        doReplyTransfer(k, t, k.objects[t.implicitReply] as ReplyObj, true);
      }
      return handleRecv(k, t, true, true);
    }
    case Sys.NBSendRecv:
    case Sys.NBSendWait: {
      const src = t.capReg;
      const r = handleInvocation(k, t, t.destReg, false, false);
      if (r === Outcome.Faulted) return r;
      t.capReg = src;
      return handleRecv(k, t, true, sys === Sys.NBSendRecv);
    }
    case Sys.Yield:
      yieldThread(k, t);
      return Outcome.Done;
    case Sys.VMEnter:
      return vmEnter(k, t);
    default:
      unknownSyscallFault(k, t, sys);
      return Outcome.Faulted;
  }
}

/** seL4_VMEnter (§6.4). */
export function vmEnter(k: Kernel, t: TcbObj): OutcomeNum {
  if (t.vcpu < 0) {
    unknownSyscallFault(k, t, Sys.VMEnter);
    return Outcome.Faulted;
  }
  const v = k.objects[t.vcpu] as VcpuObj;
  if (t.ipcBufferVaddr !== 0n) {
    v.vmcs.set(VMCS.GUEST_RIP, t.buf[1]);
    writeVmcs(v, VMCS.PRIMARY_PROCESSOR_CONTROLS, t.buf[2]);
    v.vmcs.set(VMCS.ENTRY_INTERRUPTION_INFO, t.buf[3]);
  }
  if (t.boundNtfn >= 0) {
    const n = k.objects[t.boundNtfn] as NotificationObj;
    if (n.state === 2) {
      t.capReg = n.word;
      n.word = 0n;
      n.state = 0;
      t.msgInfo = 0n;
      return Outcome.Done;
    }
  }
  setState(k, t, TS.RunningVM);
  if (k.hook) k.emit({ kind: 'vm-entry', tcb: t.id, rip: v.vmcs.get(VMCS.GUEST_RIP) ?? 0n });
  return Outcome.Blocked;
}


/** Give a RunningVM thread guest time through the GuestRunner; deliver its exit as the VMEnter result. */
export function runGuest(k: Kernel, t: TcbObj): boolean {
  if (t.state !== TS.RunningVM || !k.guestRunner || t.vcpu < 0) return false;
  const v = k.objects[t.vcpu] as VcpuObj;
  v.launched = true;
  const exit = k.guestRunner.run(v, t, k);
  if (!exit || exit.reason === VMX_EXIT_EXTERNAL_INTERRUPT) return false;
  deliverVmExit(k, t, v, exit.reason, exit.qualification, exit.instructionLength, exit.guestPhysical);
  return true;
}

export function deliverVmExit(k: Kernel, t: TcbObj, v: VcpuObj, reason: number, qual: bigint, ilen: bigint, gpa: bigint): void {
  const g = (f: number): bigint => v.vmcs.get(f) ?? 0n;
  const mrs = [
    g(VMCS.GUEST_RIP), g(VMCS.PRIMARY_PROCESSOR_CONTROLS), g(VMCS.ENTRY_INTERRUPTION_INFO), BigInt(reason & 0xffff),
    EXIT_REASONS_WITH_QUALIFICATION.has(reason) ? qual : 0n, ilen, gpa, g(VMCS.GUEST_RFLAGS), g(VMCS.INTERRUPTABILITY), g(VMCS.GUEST_CR3),
    ...Array.from(v.gpr.slice(0, 15)), // EAX..EBP, R8..R15 (64-bit guests)
  ];
  for (let i = 0; i < mrs.length; i++) t.buf[1 + i] = mrs[i];
  t.msgInfo = SEL4_VMENTER_RESULT_FAULT;
  setState(k, t, TS.Running);
  if (k.hook) k.emit({ kind: 'vm-exit', tcb: t.id, reason, notif: false });
}

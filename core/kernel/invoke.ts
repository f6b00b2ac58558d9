/** Invoke a cap the way libsel4 does (message words + extra caps + seL4_Call) from any thread: the entry point the
 * build (capDL-style object creation) and the runtime use instead of hand-marshalling registers. */
import { Label, Sys, type LabelName } from './constants';
import { makeInfo, msgLabel, msgLength } from './ipc';
import type { Kernel } from './kernel';
import type { TcbObj } from './objects';
import { handleSyscall, Outcome, type OutcomeNum } from './syscall';

export interface InvokeReply {
  /** seL4_Error number (0 = seL4_NoError) */
  err: number;
  /** reply words: results on success, the error payload otherwise */
  mrs: bigint[];
  /** what happened to the calling thread (Faulted: the cptr did not resolve; Blocked: it called an endpoint) */
  outcome: OutcomeNum;
}

export function invoke(k: Kernel, t: TcbObj, cptr: bigint | number, label: LabelName, mrs: readonly (bigint | number)[] = [], caps: readonly (bigint | number)[] = []): InvokeReply {
  for (let i = 0; i < mrs.length; i++) t.buf[1 + i] = BigInt.asUintN(64, BigInt(mrs[i]));
  for (let i = 0; i < caps.length; i++) t.buf[122 + i] = BigInt(caps[i]);
  t.msgInfo = makeInfo(BigInt(Label[label]), 0, caps.length, mrs.length);
  t.capReg = BigInt(cptr);
  const outcome = handleSyscall(k, t, Sys.Call);
  if (outcome !== Outcome.Done) return { err: -1, mrs: [], outcome };
  const len = msgLength(t.msgInfo);
  return { err: Number(msgLabel(t.msgInfo)), mrs: Array.from(t.buf.subarray(1, 1 + len)), outcome };
}

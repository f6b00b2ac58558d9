/** Building fault messages (§5.5, x86_64 layouts) and delivering them. */
import { FaultLabel } from './constants';
import { handleFault, handleTimeoutFault } from './ipc';
import type { Kernel } from './kernel';
import type { TcbObj } from './objects';
import type { LookupFault } from './errors';

const R = { rip: 0, rsp: 1, rflags: 2, rax: 3, rbx: 4, rcx: 5, rdx: 6, rsi: 7, rdi: 8, rbp: 9, r8: 10 };

export function capFault(k: Kernel, t: TcbObj, cptr: bigint, inReceivePhase: boolean, lf: LookupFault): boolean {
  return handleFault(k, t, { label: FaultLabel.CapFault, mrs: [t.regs[R.rip], cptr, inReceivePhase ? 1n : 0n, ...lf.words()] });
}

export function unknownSyscallFault(k: Kernel, t: TcbObj, sysno: number): boolean {
  const r = t.regs;
  const mrs = [r[R.rax], r[R.rbx], r[R.rcx], r[R.rdx], r[R.rsi], r[R.rdi], r[R.rbp]];
  for (let i = 0; i < 8; i++) mrs.push(r[R.r8 + i]);
  mrs.push(r[R.rip], r[R.rsp], r[R.rflags], BigInt.asUintN(64, BigInt(sysno)));
  return handleFault(k, t, { label: FaultLabel.UnknownSyscall, mrs });
}

export function userExceptionFault(k: Kernel, t: TcbObj, vector: bigint, code: bigint): boolean {
  const r = t.regs;
  return handleFault(k, t, { label: FaultLabel.UserException, mrs: [r[R.rip], r[R.rsp], r[R.rflags], vector, code] });
}

export function vmFault(k: Kernel, t: TcbObj, addr: bigint, instructionFetch: boolean, fsr: bigint): boolean {
  return handleFault(k, t, { label: FaultLabel.VMFault, mrs: [t.regs[R.rip], addr, instructionFetch ? 1n : 0n, fsr] });
}

/** Timeout faults go to the TCB's timeout endpoint (MCS), not its fault handler. */
export function timeoutFault(k: Kernel, t: TcbObj, scBadge: bigint, consumed: bigint): boolean {
  return handleTimeoutFault(k, t, scBadge, consumed);
}

/** Kernel-side error values: a syscall error (seL4_Error + reply payload) or a lookup failure. */
import { ERROR_NAMES, seL4_FailedLookup, seL4_DepthMismatch, seL4_GuardMismatch, seL4_MissingCapability } from './constants';

export class SyscallError {
  constructor(public readonly err: number, public readonly mrs: bigint[] = []) {}
  get name(): string {
    return ERROR_NAMES[this.err];
  }
}

export function syserr(err: number, ...mrs: (number | bigint)[]): SyscallError {
  return new SyscallError(err, mrs.map((m) => BigInt(m)));
}

export class LookupFault {
  constructor(public readonly type: number, public readonly bitsLeft = 0, public readonly guardFound = 0n, public readonly bitsFound = 0) {}
  /** words as sent in messages: type, then the type's fields */
  words(): bigint[] {
    switch (this.type) {
      case seL4_MissingCapability:
        return [BigInt(this.type), BigInt(this.bitsLeft)];
      case seL4_DepthMismatch:
        return [BigInt(this.type), BigInt(this.bitsLeft), BigInt(this.bitsFound)];
      case seL4_GuardMismatch:
        return [BigInt(this.type), BigInt(this.bitsLeft), this.guardFound, BigInt(this.bitsFound)];
      default:
        return [BigInt(this.type)];
    }
  }
}

export function failedLookup(isSource: boolean, lf: LookupFault): SyscallError {
  return new SyscallError(seL4_FailedLookup, [isSource ? 1n : 0n, ...lf.words()]);
}

/** What an exit handler returns: how far to advance RIP (>= 0) or FAIL (the VCPU stops, as in libvmm). */
export const FAIL = -1;
/** The guest halted with nothing to wake it: the VCPU waits (off) until the VMM injects an interrupt. */
export const WAIT = -2;

export class VmmFailure {
  constructor(readonly reason: number, readonly rip: number, readonly message: string) {}
}

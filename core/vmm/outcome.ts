/** What an exit handler returns: how far to advance RIP (>= 0) or FAIL (the VCPU stops, as in libvmm). */
export const FAIL = -1;

export class VmmFailure {
  constructor(readonly reason: number, readonly rip: number, readonly message: string) {}
}

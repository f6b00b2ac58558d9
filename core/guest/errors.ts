/** Why a guest-memory access failed (vm-memory's `GuestMemoryError` kinds, plus the permission kinds it lacks). */
export type GuestMemoryErrorKind = 'invalid-address' | 'no-read' | 'no-write' | 'no-execute' | 'overlap' | 'bad-region';

export class GuestMemoryError extends Error {
  constructor(readonly kind: GuestMemoryErrorKind, readonly address: number, message: string) {
    super(message);
  }
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

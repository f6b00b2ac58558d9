/** Guest addresses as numbers: kernel-half (canonical, bit 63 set) addresses are held as negative numbers, the
 * signed 64-bit view core/x86 uses, because 0xffff8000_00001000 as an unsigned number is not exact in a double. */

/** a mod m for a power of two m, exact also for negative a */
export function mod(a: number, m: number): number {
  return a - Math.floor(a / m) * m;
}

/** An address in hex as the guest sees it (0xffff800000001000, not 0x-7ffffffff000). */
export function hexAddress(a: number): string {
  return a < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(a))).toString(16) : a.toString(16);
}

/** The signed view of a 64-bit register or VMCS value (exact for canonical addresses). */
export function signed64(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

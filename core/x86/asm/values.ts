/** Range checks on 64-bit two's complement values, shared by immediates, displacements and data. */
export const fitsSigned = (v: bigint, bits: number) => v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits - 1);
/** Either a signed or an unsigned value of that width (what NASM accepts for `db 255` or `db -1`). */
export const fitsEither = (v: bigint, bits: number) => v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits);
export const wrapSigned = (v: bigint, bits: number) => BigInt.asIntN(bits, v);

export function littleEndian(v: bigint, bytes: number): number[] {
  const out: number[] = [];
  let u = BigInt.asUintN(bytes * 8, v);
  for (let i = 0; i < bytes; i++) {
    out.push(Number(u & 0xffn));
    u >>= 8n;
  }
  return out;
}

/** mul/imul/div/idiv in all forms. Multiplications of 32 and 64 bits and all divisions use
 * BigInt for exactness; #DE on a zero divisor or a quotient that does not fit. */
import type { Instruction } from '../decoder';
import { CpuFault, type Cpu } from '../cpu/cpu';
import { EXC, FLAG } from '../cpu/constants';
import { PARITY } from '../cpu/flags';
import { fromBig, rd, toBig, toSignedBig, trunc } from './operands';

function resultFlags(overflow: boolean, low: bigint, bits: number): number {
  let f = overflow ? FLAG.CF | FLAG.OF : 0;
  if ((low >> BigInt(bits - 1)) & 1n) f |= FLAG.SF;
  if (low === 0n) f |= FLAG.ZF;
  return f | PARITY[Number(low & 0xffn)];
}

/** Reads the accumulator pair for size: [low part (AL/AX/EAX/RAX), high part (AH/DX/EDX/RDX)]. */
function accPair(cpu: Cpu, size: number): bigint {
  if (size === 1) return BigInt(cpu.r[0] & 0xffff);
  const lo = toBig(cpu.getReg(0, size), cpu.vh, size);
  const hi = toBig(cpu.getReg(2, size), cpu.vh, size);
  return (hi << BigInt(size * 8)) | lo;
}
function setAccPair(cpu: Cpu, size: number, lo: bigint, hi: bigint): void {
  if (size === 1) {
    cpu.setReg(0, 2, Number(((hi & 0xffn) << 8n) | (lo & 0xffn)));
    return;
  }
  cpu.setReg(0, size, fromBig(cpu, lo, size), cpu.vh);
  cpu.setReg(2, size, fromBig(cpu, hi, size), cpu.vh);
}

function mul(cpu: Cpu, ins: Instruction): void {
  const s = ins.operands[0], size = s.size, bits = BigInt(size * 8);
  const b = toBig(rd(cpu, ins, s), cpu.vh, size);
  const a = toBig(cpu.getReg(0, size), cpu.vh, size);
  const p = a * b;
  const mask = (1n << bits) - 1n;
  const lo = p & mask, hi = p >> bits;
  setAccPair(cpu, size, lo, hi);
  cpu.setArith(resultFlags(hi !== 0n, lo, size * 8));
}

function imul(cpu: Cpu, ins: Instruction): void {
  const ops = ins.operands;
  if (ops.length === 1) {
    const size = ops[0].size, bits = BigInt(size * 8);
    const b = toSignedBig(rd(cpu, ins, ops[0]), cpu.vh, size);
    const a = toSignedBig(cpu.getReg(0, size), cpu.vh, size);
    const p = a * b;
    const lo = BigInt.asUintN(size * 8, p), hi = BigInt.asUintN(size * 8, p >> bits);
    setAccPair(cpu, size, lo, hi);
    cpu.setArith(resultFlags(BigInt.asIntN(size * 8, p) !== p, lo, size * 8));
    return;
  }
  const d = ops[0], size = d.size;
  const srcOp = ops.length === 3 ? ops[1] : ops[1];
  const a = rd(cpu, ins, ops.length === 3 ? ops[1] : d);
  const ah = cpu.vh;
  const b = ops.length === 3 ? ops[2].imm : rd(cpu, ins, srcOp);
  const bh = ops.length === 3 ? ops[2].immHi : cpu.vh;
  if (size === 4) {
    const r = Math.imul(a, b);
    const exact = a * b; // exact whenever it fits in 53 bits, and then overflow is decided correctly
    let f = r !== exact ? FLAG.CF | FLAG.OF : 0;
    f |= (r < 0 ? FLAG.SF : 0) | (r === 0 ? FLAG.ZF : 0) | PARITY[r & 0xff];
    cpu.setArith(f);
    cpu.setReg(d.reg, 4, r);
    return;
  }
  if (size === 2) {
    const sa = (a << 16) >> 16, sb = (b << 16) >> 16;
    const p = sa * sb;
    const r = p & 0xffff;
    let f = (r << 16) >> 16 !== p ? FLAG.CF | FLAG.OF : 0;
    f |= (r & 0x8000 ? FLAG.SF : 0) | (r === 0 ? FLAG.ZF : 0) | PARITY[r & 0xff];
    cpu.setArith(f);
    cpu.setReg(d.reg, 2, r);
    return;
  }
  const p = toSignedBig(a, ah, 8) * toSignedBig(b, bh, 8);
  const low = BigInt.asUintN(64, p);
  cpu.setArith(resultFlags(BigInt.asIntN(64, p) !== p, low, 64));
  const lo = fromBig(cpu, low, 8);
  cpu.setReg(d.reg, 8, lo, cpu.vh);
}

function div(signed: boolean) {
  return (cpu: Cpu, ins: Instruction): void => {
    const s = ins.operands[0], size = s.size, bits = size * 8;
    const raw = rd(cpu, ins, s);
    const divisor = signed ? toSignedBig(raw, cpu.vh, size) : toBig(raw, cpu.vh, size);
    if (divisor === 0n) throw new CpuFault(EXC.DE);
    let dividend = accPair(cpu, size);
    if (signed) dividend = BigInt.asIntN(bits * 2, dividend);
    const q = dividend / divisor; // BigInt division truncates toward zero, as IDIV does
    const r = dividend % divisor;
    if (signed ? BigInt.asIntN(bits, q) !== q : q >> BigInt(bits) !== 0n) throw new CpuFault(EXC.DE);
    setAccPair(cpu, size, BigInt.asUintN(bits, q), BigInt.asUintN(bits, r));
  };
}

export const MULDIV_HANDLERS = { mul, imul, div: div(false), idiv: div(true) };
export { trunc };

/** Shifts and rotates (rol/ror/rcl/rcr/shl/shr/sar/shld/shrd) with the architectural flag rules.
 * Computed on BigInt so that every size shares one exact implementation; SHL/SHR/SAR on
 * 8/16/32-bit operands also have a fast number path. */
import type { Instruction } from '../decoder';
import type { Cpu } from '../cpu/cpu';
import { FLAG } from '../cpu/constants';
import { PARITY } from '../cpu/flags';
import { addrOf, fromBig, rdAt, toBig, trunc, wrAt } from './operands';

function szpFlags(res: bigint, bits: number): number {
  let f = 0;
  if (res === 0n) f |= FLAG.ZF;
  if ((res >> BigInt(bits - 1)) & 1n) f |= FLAG.SF;
  f |= PARITY[Number(res & 0xffn)];
  return f;
}

function countOf(cpu: Cpu, ins: Instruction): number {
  const c = ins.operands[ins.operands.length - 1];
  const n = c.kind === 3 ? c.imm & 0xff : cpu.r[1] & 0xff;
  return n & (ins.operands[0].size === 8 ? 0x3f : 0x1f);
}

function shift(kind: string) {
  return (cpu: Cpu, ins: Instruction): void => {
    const d = ins.operands[0];
    const size = d.size, bits = size * 8;
    const count = countOf(cpu, ins);
    if (count === 0) return; // no change at all, flags included
    const lin = addrOf(cpu, ins, d);
    const v = rdAt(cpu, d, lin);
    const vh = cpu.vh;
    if (size <= 4 && (kind === 'shl' || kind === 'shr' || kind === 'sar')) {
      fastShift(cpu, kind, size, v, count, d, lin);
      return;
    }
    const mask = (1n << BigInt(bits)) - 1n;
    const x = toBig(v, vh, size);
    const B = BigInt(bits);
    const c = BigInt(count);
    const msb = (y: bigint) => Number((y >> (B - 1n)) & 1n);
    let res: bigint, cf: number, of: number;
    let arith = true; // SF/ZF/PF are updated (not for rotates)
    const oldFlags = cpu.getFlags();
    switch (kind) {
      case 'shl':
        res = (x << c) & mask;
        cf = count <= bits ? Number((x >> (B - c)) & 1n) : 0;
        of = msb(res) ^ cf;
        break;
      case 'shr':
        res = x >> c;
        cf = Number((x >> (c - 1n)) & 1n);
        of = msb(x);
        break;
      case 'sar': {
        const sx = BigInt.asIntN(bits, x);
        res = BigInt.asUintN(bits, sx >> c);
        cf = Number((sx >> (c - 1n)) & 1n);
        of = 0;
        break;
      }
      case 'rol': {
        const k = c % B;
        res = ((x << k) | (x >> (B - k))) & mask;
        cf = Number(res & 1n);
        of = msb(res) ^ cf;
        arith = false;
        break;
      }
      case 'ror': {
        const k = c % B;
        res = ((x >> k) | (x << (B - k))) & mask;
        cf = msb(res);
        of = msb(res) ^ Number((res >> (B - 2n)) & 1n);
        arith = false;
        break;
      }
      case 'rcl': case 'rcr': {
        const k = BigInt(size <= 2 ? count % (bits + 1) : count);
        const cin = BigInt(cpu.cf());
        const wide = (cin << B) | x; // bits+1 wide value, carry on top
        const W = B + 1n, wmask = (1n << W) - 1n;
        const rot = kind === 'rcl' ? ((wide << k) | (wide >> (W - k))) & wmask : ((wide >> k) | (wide << (W - k))) & wmask;
        res = rot & mask;
        cf = Number(rot >> B);
        of = kind === 'rcl' ? msb(res) ^ cf : msb(res) ^ Number((res >> (B - 2n)) & 1n);
        arith = false;
        if (k === 0n) return;
        break;
      }
      default: throw new Error(kind);
    }
    let f = (cf ? FLAG.CF : 0) | (of ? FLAG.OF : 0);
    if (arith) f |= szpFlags(res, bits);
    else f |= oldFlags & (FLAG.SF | FLAG.ZF | FLAG.PF | FLAG.AF);
    cpu.setArith(f);
    wrAt(cpu, d, lin, fromBig(cpu, res, size), cpu.vh);
  };
}

const SIGN = [0, 0x80, 0x8000, 0, 0x80000000];

function fastShift(cpu: Cpu, kind: string, size: number, v: number, count: number, d: Instruction['operands'][0], lin: number): void {
  const bits = size * 8;
  const u = size === 4 ? v >>> 0 : v;
  let res: number, cf: number, of: number;
  if (kind === 'shl') {
    res = count >= 32 ? 0 : trunc(u << count, size);
    cf = count <= bits ? (count === 32 ? u & 1 : (u >>> (bits - count)) & 1) : 0;
    of = ((res & SIGN[size]) !== 0 ? 1 : 0) ^ cf;
  } else if (kind === 'shr') {
    res = count >= 32 ? 0 : trunc(u >>> count, size);
    cf = count > bits ? 0 : (u >>> (count - 1)) & 1;
    of = (u & SIGN[size]) !== 0 ? 1 : 0;
  } else {
    const s = size === 4 ? v | 0 : size === 2 ? (v << 16) >> 16 : (v << 24) >> 24;
    res = trunc(s >> Math.min(count, 31), size);
    cf = (s >> Math.min(count - 1, 31)) & 1;
    of = 0;
  }
  const r32 = res;
  let f = (cf ? FLAG.CF : 0) | (of ? FLAG.OF : 0) | PARITY[r32 & 0xff];
  if (r32 === 0) f |= FLAG.ZF;
  if (r32 & SIGN[size]) f |= FLAG.SF;
  cpu.setArith(f);
  wrAt(cpu, d, lin, res, 0);
}

function shiftDouble(left: boolean) {
  return (cpu: Cpu, ins: Instruction): void => {
    const d = ins.operands[0], s = ins.operands[1];
    const size = d.size, bits = size * 8;
    const count = countOf(cpu, ins);
    if (count === 0) return;
    const lin = addrOf(cpu, ins, d);
    const x = toBig(rdAt(cpu, d, lin), cpu.vh, size);
    const y = toBig(cpu.getReg(s.reg, size), cpu.vh, size);
    const B = BigInt(bits), c = BigInt(count), mask = (1n << B) - 1n;
    let res: bigint, cf: number;
    if (left) {
      const wide = (x << B) | y;
      res = ((wide << c) >> B) & mask;
      cf = Number((x >> (B - c)) & 1n);
    } else {
      const wide = (y << B) | x;
      res = (wide >> c) & mask;
      cf = Number((x >> (c - 1n)) & 1n);
    }
    const of = Number(((res ^ x) >> (B - 1n)) & 1n);
    cpu.setArith((cf ? FLAG.CF : 0) | (of ? FLAG.OF : 0) | szpFlags(res, bits));
    wrAt(cpu, d, lin, fromBig(cpu, res, size), cpu.vh);
  };
}

export const SHIFT_HANDLERS = {
  shl: shift('shl'), shr: shift('shr'), sar: shift('sar'), rol: shift('rol'), ror: shift('ror'),
  rcl: shift('rcl'), rcr: shift('rcr'), shld: shiftDouble(true), shrd: shiftDouble(false),
};

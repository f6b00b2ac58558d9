/** Operand access for the handlers: effective addresses, sized reads and writes. Values follow
 * one convention everywhere: sizes 1 and 2 unsigned, size 4 a signed int32, size 8 the low half
 * as int32 with the high half in cpu.vh. */
import { OpKind, REG_NONE, REG_RIP, type Instruction, type Operand } from '../decoder';
import { Cpu, TWO32 } from '../cpu/cpu';
// Hot-path aliases: module-level constants read once (cheaper than enum/namespace lookups).
const K_REG = OpKind.Reg, K_MEM = OpKind.Mem, K_IMM = OpKind.Imm, R_NONE = REG_NONE, R_RIP = REG_RIP;

export function trunc(v: number, size: number): number {
  return size === 4 ? v | 0 : size === 2 ? v & 0xffff : size === 1 ? v & 0xff : v | 0;
}

/** Effective offset (before segmentation), wrapped to the address size. */
export function offsetOf(cpu: Cpu, ins: Instruction, op: Operand): number {
  const as = ins.addrSize;
  if (as === 8) {
    let v = op.disp;
    if (op.dispHi !== 0) v = op.dispHi * TWO32 + (op.disp >>> 0);
    if (op.base === R_RIP) v += cpu.rip;
    else if (op.base !== R_NONE) v += cpu.rh[op.base] * TWO32 + (cpu.r[op.base] >>> 0);
    if (op.index !== R_NONE) v += (cpu.rh[op.index] * TWO32 + (cpu.r[op.index] >>> 0)) * op.scale;
    return v;
  }
  let v = op.disp;
  if (op.base === R_RIP) v += cpu.rip;
  else if (op.base !== R_NONE) v += cpu.r[op.base];
  if (op.index !== R_NONE) v += cpu.r[op.index] * op.scale;
  return as === 4 ? v >>> 0 : v & 0xffff;
}

/** Linear address of a memory operand. */
export function ea(cpu: Cpu, ins: Instruction, op: Operand): number {
  const off = offsetOf(cpu, ins, op);
  if (cpu.bits === 64) {
    const seg = op.seg;
    return cpu.canon(seg >= 4 ? cpu.segBase[seg] + off : off);
  }
  return (cpu.segBase[op.seg] + off) >>> 0;
}

/** Reads an operand (register, memory, immediate). */
export function rd(cpu: Cpu, ins: Instruction, op: Operand): number {
  switch (op.kind) {
    case K_REG: return cpu.getReg(op.reg, op.size, op.high8);
    case K_MEM: return cpu.read(ea(cpu, ins, op), op.size);
    case K_IMM: cpu.vh = op.immHi; return op.imm;
  }
  throw new Error(`cannot read operand kind ${op.kind}`);
}

/** Writes an operand (register or memory). */
export function wr(cpu: Cpu, ins: Instruction, op: Operand, v: number, vh = 0): void {
  if (op.kind === K_REG) cpu.setReg(op.reg, op.size, v, vh, op.high8);
  else cpu.write(ea(cpu, ins, op), op.size, v, vh);
}

/** Read-modify-write helpers: resolve the address once. */
export function addrOf(cpu: Cpu, ins: Instruction, op: Operand): number {
  return op.kind === K_MEM ? ea(cpu, ins, op) : 0;
}
export function rdAt(cpu: Cpu, op: Operand, lin: number): number {
  if (op.kind === K_REG) return cpu.getReg(op.reg, op.size, op.high8);
  if (op.kind === K_IMM) { cpu.vh = op.immHi; return op.imm; }
  return cpu.read(lin, op.size);
}
export function wrAt(cpu: Cpu, op: Operand, lin: number, v: number, vh = 0): void {
  if (op.kind === K_REG) cpu.setReg(op.reg, op.size, v, vh, op.high8);
  else cpu.write(lin, op.size, v, vh);
}

/** Sized value to BigInt (unsigned) and back. */
export function toBig(v: number, vh: number, size: number): bigint {
  if (size === 8) return (BigInt(vh >>> 0) << 32n) | BigInt(v >>> 0);
  return BigInt(size === 4 ? v >>> 0 : v);
}
export function fromBig(cpu: Cpu, x: bigint, size: number): number {
  if (size === 8) {
    cpu.vh = Number(BigInt.asIntN(32, x >> 32n));
    return Number(BigInt.asIntN(32, x));
  }
  cpu.vh = 0;
  return trunc(Number(BigInt.asUintN(32, x)), size);
}
/** Sign-extends a sized value to a BigInt. */
export function toSignedBig(v: number, vh: number, size: number): bigint {
  return BigInt.asIntN(size * 8, toBig(v, vh, size));
}

/** Target of a relative branch (RIP already points past the instruction). */
export function relTarget(cpu: Cpu, ins: Instruction): number {
  const t = cpu.rip + ins.operands[0].disp;
  if (cpu.bits === 64) return t;
  return ins.opSize === 2 ? t & 0xffff : t >>> 0;
}

/** Data movement: the mov family, lea, xchg/cmpxchg/xadd, cmovcc/setcc, stack operations,
 * sign extensions (cbw family), flag moves and segment-register moves. */
import { OpKind, REG_NONE, REG_RIP, type Instruction } from '../decoder';
import { CpuFault, TWO32, type Cpu } from '../cpu/cpu';
import { EXC, FLAG } from '../cpu/constants';
import { alu, Alu } from './alu';
import { addrOf, rd, rdAt, trunc, wr, wrAt } from './operands';
// Hot-path aliases: module-level constants read once (cheaper than enum/namespace lookups).
const K_REG = OpKind.Reg, K_IMM = OpKind.Imm, K_SEG = OpKind.Seg, K_CR = OpKind.Cr, K_DR = OpKind.Dr, R_NONE = REG_NONE, R_RIP = REG_RIP;

function mov(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0], s = ins.operands[1];
  if (d.kind === K_SEG) {
    const sel = rd(cpu, ins, s) & 0xffff;
    cpu.loadSeg(d.reg, sel);
    if (d.reg === 2) cpu.shadow = 2; // MOV SS blocks interrupts for one instruction
    return;
  }
  if (s.kind === K_SEG) {
    const sel = cpu.segSel[s.reg] & 0xffff;
    if (d.kind === K_REG) cpu.setReg(d.reg, d.size, sel, 0);
    else wr(cpu, ins, d, sel);
    return;
  }
  if (d.kind === K_CR || s.kind === K_CR || d.kind === K_DR || s.kind === K_DR) {
    SYSTEM_MOV(cpu, ins);
    return;
  }
  if (d.kind === K_REG && s.kind === K_REG) {
    const v = cpu.getReg(s.reg, s.size, s.high8);
    cpu.setReg(d.reg, d.size, v, cpu.vh, d.high8);
    return;
  }
  const v = rd(cpu, ins, s);
  wr(cpu, ins, d, v, cpu.vh);
}

/** Set by ./system (mov to/from control and debug registers). */
let SYSTEM_MOV: (cpu: Cpu, ins: Instruction) => void = () => {
  throw new CpuFault(EXC.UD);
};
export function installSystemMov(fn: typeof SYSTEM_MOV): void {
  SYSTEM_MOV = fn;
}

function movzx(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0];
  cpu.setReg(d.reg, d.size, rd(cpu, ins, ins.operands[1]), 0);
}

function movsx(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0], s = ins.operands[1];
  let v = rd(cpu, ins, s);
  v = s.size === 1 ? (v << 24) >> 24 : s.size === 2 ? (v << 16) >> 16 : v | 0;
  cpu.setReg(d.reg, d.size, trunc(v, d.size), v < 0 ? -1 : 0);
}

function lea(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0], m = ins.operands[1];
  if (ins.addrSize === 8 && d.size === 8) {
    // exact 64-bit arithmetic on halves
    let lo = m.disp >>> 0, hi = m.disp < 0 ? -1 : 0;
    const add = (l: number, h: number) => {
      const s = lo + (l >>> 0);
      lo = s >>> 0;
      hi = (hi + h + (s > 0xffffffff ? 1 : 0)) | 0;
    };
    if (m.base === R_RIP) {
      const r = cpu.rip, h = Math.floor(r / TWO32);
      add((r - h * TWO32) | 0, h);
    } else if (m.base !== R_NONE) add(cpu.r[m.base], cpu.rh[m.base]);
    if (m.index !== R_NONE) for (let k = 0; k < m.scale; k++) add(cpu.r[m.index], cpu.rh[m.index]);
    cpu.setReg(d.reg, 8, lo | 0, hi);
    return;
  }
  let v = m.disp;
  if (m.base === R_RIP) v += cpu.rip;
  else if (m.base !== R_NONE) v += cpu.r[m.base];
  if (m.index !== R_NONE) v += cpu.r[m.index] * m.scale;
  if (ins.addrSize === 2) v &= 0xffff;
  cpu.setReg(d.reg, d.size, trunc(v, d.size), 0);
}

function xchg(cpu: Cpu, ins: Instruction): void {
  const a = ins.operands[0], b = ins.operands[1];
  const la = addrOf(cpu, ins, a), lb = addrOf(cpu, ins, b);
  const va = rdAt(cpu, a, la), vah = cpu.vh;
  const vb = rdAt(cpu, b, lb), vbh = cpu.vh;
  wrAt(cpu, a, la, vb, vbh);
  wrAt(cpu, b, lb, va, vah);
}

function cmpxchg(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0], s = ins.operands[1], size = d.size;
  const lin = addrOf(cpu, ins, d);
  const dv = rdAt(cpu, d, lin), dvh = cpu.vh;
  const acc = cpu.getReg(0, size), acch = cpu.vh;
  alu(cpu, Alu.Cmp, size, acc, size === 8 ? acch : 0, dv, size === 8 ? dvh : 0);
  if (cpu.zf()) {
    const sv = cpu.getReg(s.reg, size, s.high8);
    wrAt(cpu, d, lin, sv, cpu.vh);
  } else {
    wrAt(cpu, d, lin, dv, dvh); // the destination is always written (locked RMW)
    cpu.setReg(0, size, dv, dvh);
  }
}

function xadd(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0], s = ins.operands[1], size = d.size;
  const lin = addrOf(cpu, ins, d);
  const dv = rdAt(cpu, d, lin), dvh = cpu.vh;
  const sv = cpu.getReg(s.reg, size, s.high8), svh = cpu.vh;
  const sum = alu(cpu, Alu.Add, size, dv, size === 8 ? dvh : 0, sv, size === 8 ? svh : 0);
  const sumh = cpu.vh;
  cpu.setReg(s.reg, size, dv, dvh, s.high8);
  wrAt(cpu, d, lin, sum, sumh);
}

function cmov(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0];
  const v = rd(cpu, ins, ins.operands[1]); // the source is read (and may fault) either way
  const vh = cpu.vh;
  if (cpu.cond(ins.cc)) cpu.setReg(d.reg, d.size, v, vh);
  else if (d.size === 4) cpu.rh[d.reg] = 0; // a 32-bit destination is zero-extended regardless
}

function setcc(cpu: Cpu, ins: Instruction): void {
  wr(cpu, ins, ins.operands[0], cpu.cond(ins.cc) ? 1 : 0);
}

function push(cpu: Cpu, ins: Instruction): void {
  const s = ins.operands[0];
  if (s.kind === K_SEG) {
    cpu.push(ins.opSize, cpu.segSel[s.reg]);
    return;
  }
  const v = rd(cpu, ins, s);
  let vh = cpu.vh;
  if (s.kind === K_IMM && ins.opSize === 8) vh = s.immHi;
  cpu.push(ins.opSize, ins.opSize === 2 ? v & 0xffff : v, vh);
}

function pop(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0];
  if (d.kind === K_SEG) {
    const sel = cpu.pop(ins.opSize) & 0xffff;
    cpu.loadSeg(d.reg, sel);
    if (d.reg === 2) cpu.shadow = 2;
    return;
  }
  // POP into memory with an RSP-based address uses RSP after the increment.
  const v = cpu.pop(ins.opSize);
  const vh = cpu.vh;
  wr(cpu, ins, d, v, vh);
}

function pusha(cpu: Cpu, ins: Instruction): void {
  const size = ins.opSize;
  const sp = cpu.getReg(4, size);
  for (let r = 0; r < 8; r++) cpu.push(size, r === 4 ? sp : cpu.getReg(r, size));
}
function popa(cpu: Cpu, ins: Instruction): void {
  const size = ins.opSize;
  for (let r = 7; r >= 0; r--) {
    const v = cpu.pop(size);
    if (r !== 4) cpu.setReg(r, size, v);
  }
}

function pushf(cpu: Cpu, ins: Instruction): void {
  const f = cpu.getFlags() & ~(FLAG.VM | FLAG.RF);
  cpu.push(ins.opSize, ins.opSize === 2 ? f & 0xffff : f);
}

function popf(cpu: Cpu, ins: Instruction): void {
  const v = cpu.pop(ins.opSize);
  writeFlags(cpu, ins.opSize === 2 ? (cpu.getFlags() & ~0xffff) | (v & 0xffff) : v);
}

/** RFLAGS write from POPF/IRET: IOPL only at CPL 0, IF only when CPL <= IOPL; VM and RF kept. */
export function writeFlags(cpu: Cpu, v: number): void {
  const old = cpu.getFlags();
  let mask = FLAG.CF | FLAG.PF | FLAG.AF | FLAG.ZF | FLAG.SF | FLAG.TF | FLAG.DF | FLAG.OF | FLAG.NT | FLAG.AC | FLAG.ID;
  const iopl = (old >> 12) & 3;
  if (cpu.cpl === 0) mask |= FLAG.IOPL | FLAG.IF;
  else if (cpu.cpl <= iopl) mask |= FLAG.IF;
  cpu.setFlags((old & ~mask) | (v & mask));
}

function lahf(cpu: Cpu): void {
  cpu.setReg(0, 1, cpu.getFlags() & 0xff, 0, true);
}
function sahf(cpu: Cpu): void {
  const ah = (cpu.r[0] >> 8) & 0xd5;
  cpu.setFlags((cpu.getFlags() & ~0xd5) | ah);
}

function cbwFamily(cpu: Cpu, ins: Instruction): void {
  const s = ins.opSize;
  if (s === 2) cpu.setReg(0, 2, ((cpu.r[0] << 24) >> 24) & 0xffff);
  else if (s === 4) cpu.setReg(0, 4, (cpu.r[0] << 16) >> 16);
  else cpu.setReg(0, 8, cpu.r[0], cpu.r[0] < 0 ? -1 : 0);
}
function cwdFamily(cpu: Cpu, ins: Instruction): void {
  const s = ins.opSize;
  if (s === 2) cpu.setReg(2, 2, cpu.r[0] & 0x8000 ? 0xffff : 0);
  else if (s === 4) cpu.setReg(2, 4, cpu.r[0] < 0 ? -1 : 0);
  else cpu.setReg(2, 8, cpu.rh[0] < 0 ? -1 : 0, cpu.rh[0] < 0 ? -1 : 0);
}

function enter(cpu: Cpu, ins: Instruction): void {
  const size = ins.opSize;
  const alloc = ins.operands[0].imm & 0xffff;
  const level = ins.operands[1].imm & 0x1f;
  const bp = cpu.getReg(5, size);
  cpu.push(size, bp, cpu.vh);
  const frame = cpu.sp();
  for (let i = 1; i < level; i++) {
    const bpOff = size === 8 ? cpu.reg64(5) - i * 8 : ((cpu.getReg(5, size) >>> 0) - i * size) >>> 0;
    const v = cpu.read(cpu.bits === 64 ? bpOff : cpu.linear(2, bpOff), size);
    cpu.push(size, v, cpu.vh);
  }
  if (level > 0) {
    const h = Math.floor(frame / TWO32);
    cpu.push(size, (frame - h * TWO32) | 0, h);
  }
  if (size === 8) cpu.setReg64(5, frame);
  else cpu.setReg(5, size, trunc(frame, size));
  cpu.setSp(cpu.sp() - alloc);
}

function leave(cpu: Cpu, ins: Instruction): void {
  const ss = cpu.stackSize;
  if (ss === 8) cpu.setReg64(4, cpu.reg64(5));
  else cpu.setReg(4, ss, cpu.getReg(5, ss));
  const v = cpu.pop(ins.opSize);
  cpu.setReg(5, ins.opSize, v, cpu.vh);
}

export const DATA_HANDLERS = {
  mov, movzx, movsx, movsxd: movsx, lea, xchg, cmpxchg, xadd, push, pop, pusha, pushad: pusha, popa, popad: popa,
  pushf, pushfd: pushf, pushfq: pushf, popf, popfd: popf, popfq: popf, lahf, sahf,
  cbw: cbwFamily, cwde: cbwFamily, cdqe: cbwFamily, cwd: cwdFamily, cdq: cwdFamily, cqo: cwdFamily, enter, leave,
  ...Object.fromEntries(['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'].flatMap((c) => [
    ['cmov' + c, cmov], ['set' + c, setcc],
  ])),
};

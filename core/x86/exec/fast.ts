/** Specialised handlers for the most frequent instruction shapes (register and simple memory
 * forms of mov/ALU/inc/dec, jcc, jmp). They are built once per decoded instruction, so the
 * operand kinds, registers and sizes are constants inside the closure. Semantics are identical
 * to the generic handlers (the semantics tests run both paths). */
import { OpKind, REG_NONE, REG_RIP, type Instruction, type Operand } from '../decoder';
import type { Cpu } from '../cpu/cpu';
import { FOp } from '../cpu/flags';

type Handler = (cpu: Cpu, ins: Instruction) => void;

const K_REG = OpKind.Reg, K_MEM = OpKind.Mem, K_IMM = OpKind.Imm;
const F_ADD = FOp.Add, F_SUB = FOp.Sub, F_LOGIC = FOp.Logic, F_INC = FOp.Inc, F_DEC = FOp.Dec;
const R_NONE = REG_NONE, R_RIP = REG_RIP;
const TWO32 = 4294967296;

const ALU_OPS: Record<string, number> = { add: 0, or: 1, and: 4, sub: 5, xor: 6, cmp: 7, test: 8 };

/** Linear address function for a memory operand: base + index*scale + disp (+ segment base). */
function eaFn(ins: Instruction, m: Operand): ((cpu: Cpu) => number) | undefined {
  const { base, index, scale, disp, seg } = m;
  if (m.dispHi !== 0) return undefined;
  if (ins.bitness === 64 && ins.addrSize === 8) {
    if (seg >= 4) return undefined; // FS/GS bases: generic path
    if (base === R_RIP) return undefined;
    if (index === R_NONE && base !== R_NONE) {
      return (cpu) => cpu.canon(cpu.rh[base] * TWO32 + (cpu.r[base] >>> 0) + disp);
    }
    return undefined;
  }
  if (ins.bitness === 32 && ins.addrSize === 4) {
    if (base === R_RIP) return undefined;
    if (index === R_NONE && base !== R_NONE) return (cpu) => (cpu.segBase[seg] + ((cpu.r[base] + disp) >>> 0)) >>> 0;
    if (index !== R_NONE && base !== R_NONE) return (cpu) => (cpu.segBase[seg] + ((cpu.r[base] + cpu.r[index] * scale + disp) >>> 0)) >>> 0;
    if (base === R_NONE && index === R_NONE) return (cpu) => (cpu.segBase[seg] + (disp >>> 0)) >>> 0;
  }
  return undefined;
}

function aluFlagsOp(kind: number): number {
  return kind === 0 ? F_ADD : kind === 5 || kind === 7 ? F_SUB : F_LOGIC;
}

/** 32-bit ALU on numbers; returns the result and records flags. */
function alu32(cpu: Cpu, kind: number, a: number, b: number): number {
  let r: number;
  switch (kind) {
    case 0: r = (a + b) | 0; break;
    case 1: r = a | b; break;
    case 4: case 8: r = a & b; break;
    case 5: case 7: r = (a - b) | 0; break;
    default: r = a ^ b;
  }
  cpu.fOp = aluFlagsOp(kind);
  cpu.fSize = 4;
  cpu.fRes = r;
  cpu.fA = a;
  cpu.fB = b;
  return r;
}

function alu64(cpu: Cpu, kind: number, a: number, ah: number, b: number, bh: number): number {
  let r: number, rh: number;
  switch (kind) {
    case 0: {
      const lo = (a >>> 0) + (b >>> 0);
      r = lo | 0;
      rh = (ah + bh + (lo > 0xffffffff ? 1 : 0)) | 0;
      break;
    }
    case 5: case 7: {
      const lo = (a >>> 0) - (b >>> 0);
      r = lo | 0;
      rh = (ah - bh - (lo < 0 ? 1 : 0)) | 0;
      break;
    }
    case 1: r = a | b; rh = ah | bh; break;
    case 4: case 8: r = a & b; rh = ah & bh; break;
    default: r = a ^ b; rh = ah ^ bh;
  }
  cpu.fOp = aluFlagsOp(kind);
  cpu.fSize = 8;
  cpu.fRes = r;
  cpu.fResH = rh;
  cpu.fA = a;
  cpu.fAH = ah;
  cpu.fB = b;
  cpu.fBH = bh;
  cpu.vh = rh;
  return r;
}

/** Returns a specialised handler for `ins`, or undefined to use the generic one. */
export function specialize(ins: Instruction): Handler | undefined {
  const mn = ins.mnemonic;
  const ops = ins.operands;
  if (ins.cc >= 0 && mn[0] === 'j') return jccFn(ins);
  if (mn === 'jmp' && ops[0].kind === OpKind.Rel) {
    const disp = ops[0].disp;
    if (ins.bitness === 64) return (cpu) => { cpu.rip += disp; };
    if (ins.opSize === 4) return (cpu) => { cpu.rip = (cpu.rip + disp) >>> 0; };
    return undefined;
  }
  if ((mn === 'inc' || mn === 'dec') && ops[0].kind === K_REG) {
    const reg = ops[0].reg, d = mn === 'inc' ? 1 : -1, op = mn === 'inc' ? F_INC : F_DEC;
    if (ops[0].size === 4) {
      return (cpu) => {
        const a = cpu.r[reg];
        const r = (a + d) | 0;
        const f = cpu.fOp;
        if (f !== F_INC && f !== F_DEC && f !== 0) cpu.flagsRaw = (cpu.flagsRaw & ~1) | cpu.cf(); // CF survives INC/DEC
        cpu.fOp = op; cpu.fSize = 4; cpu.fRes = r; cpu.fA = a; cpu.fB = 1;
        cpu.r[reg] = r;
        cpu.rh[reg] = 0;
      };
    }
    if (ops[0].size === 8) {
      return (cpu) => {
        const a = cpu.r[reg], ah = cpu.rh[reg];
        const lo = (a >>> 0) + d;
        const r = lo | 0;
        const rh = (ah + (lo > 0xffffffff ? 1 : lo < 0 ? -1 : 0)) | 0;
        const f = cpu.fOp;
        if (f !== F_INC && f !== F_DEC && f !== 0) cpu.flagsRaw = (cpu.flagsRaw & ~1) | cpu.cf();
        cpu.fOp = op; cpu.fSize = 8; cpu.fRes = r; cpu.fResH = rh; cpu.fA = a; cpu.fAH = ah; cpu.fB = 1; cpu.fBH = 0;
        cpu.r[reg] = r;
        cpu.rh[reg] = rh;
      };
    }
    return undefined;
  }
  if (ops.length !== 2 || ins.lock) return undefined;
  const [d, s] = ops;
  const size = d.size;
  if (size !== 4 && size !== 8) return undefined;
  if (s.kind !== K_IMM && s.size !== size) return undefined;
  if (mn === 'mov') return movFn(ins, d, s, size);
  const kind = ALU_OPS[mn];
  if (kind === undefined) return undefined;
  const writes = kind !== 7 && kind !== 8;
  if (d.kind === K_REG && d.high8 === false) {
    const dr = d.reg;
    let src: ((cpu: Cpu) => number) | undefined;
    let srcH: ((cpu: Cpu) => number) | undefined;
    if (s.kind === K_REG) {
      const sr = s.reg;
      src = (cpu) => cpu.r[sr];
      srcH = (cpu) => cpu.rh[sr];
    } else if (s.kind === K_IMM) {
      const lo = s.imm, hi = s.immHi;
      src = () => lo;
      srcH = () => hi;
    } else if (s.kind === K_MEM) {
      const ea = eaFn(ins, s);
      if (!ea) return undefined;
      src = (cpu) => cpu.read(ea(cpu), size);
      srcH = (cpu) => cpu.vh;
    }
    if (!src || !srcH) return undefined;
    const S = src, SH = srcH;
    if (size === 4) {
      return (cpu) => {
        const r = alu32(cpu, kind, cpu.r[dr], S(cpu));
        if (writes) { cpu.r[dr] = r; cpu.rh[dr] = 0; }
      };
    }
    return (cpu) => {
      const b = S(cpu), bh = SH(cpu);
      const r = alu64(cpu, kind, cpu.r[dr], cpu.rh[dr], b, bh);
      if (writes) { cpu.r[dr] = r; cpu.rh[dr] = cpu.vh; }
    };
  }
  if (d.kind === K_MEM && (s.kind === K_REG || s.kind === K_IMM) && size === 4) {
    const ea = eaFn(ins, d);
    if (!ea) return undefined;
    const sr = s.reg, imm = s.imm, isImm = s.kind === K_IMM;
    return (cpu) => {
      const lin = ea(cpu);
      const a = cpu.read(lin, 4);
      const r = alu32(cpu, kind, a, isImm ? imm : cpu.r[sr]);
      if (writes) cpu.write(lin, 4, r);
    };
  }
  return undefined;
}

function movFn(ins: Instruction, d: Operand, s: Operand, size: number): Handler | undefined {
  if (d.kind === K_REG && !d.high8) {
    const dr = d.reg;
    if (s.kind === K_REG) {
      const sr = s.reg;
      if (size === 4) return (cpu) => { cpu.r[dr] = cpu.r[sr]; cpu.rh[dr] = 0; };
      return (cpu) => { cpu.r[dr] = cpu.r[sr]; cpu.rh[dr] = cpu.rh[sr]; };
    }
    if (s.kind === K_IMM) {
      const lo = s.imm, hi = size === 8 ? s.immHi : 0;
      return (cpu) => { cpu.r[dr] = lo; cpu.rh[dr] = hi; };
    }
    if (s.kind === K_MEM) {
      const ea = eaFn(ins, s);
      if (!ea) return undefined;
      if (size === 4) return (cpu) => { cpu.r[dr] = cpu.read4(ea(cpu)); cpu.rh[dr] = 0; };
      return (cpu) => { const v = cpu.read(ea(cpu), 8); cpu.r[dr] = v; cpu.rh[dr] = cpu.vh; };
    }
    return undefined;
  }
  if (d.kind === K_MEM) {
    const ea = eaFn(ins, d);
    if (!ea) return undefined;
    if (s.kind === K_REG) {
      const sr = s.reg;
      if (size === 4) return (cpu) => cpu.write4(ea(cpu), cpu.r[sr]);
      return (cpu) => cpu.write(ea(cpu), 8, cpu.r[sr], cpu.rh[sr]);
    }
    if (s.kind === K_IMM) {
      const lo = s.imm, hi = s.immHi;
      return (cpu) => cpu.write(ea(cpu), size, lo, hi);
    }
  }
  return undefined;
}

function jccFn(ins: Instruction): Handler {
  const cc = ins.cc;
  const disp = ins.operands[0].disp;
  const wrap = ins.bitness === 64 ? 0 : ins.opSize === 2 ? 2 : 4;
  // e/ne are by far the most common: test ZF without the generic condition switch
  if (cc === 4 || cc === 5) {
    const want = cc === 4;
    return (cpu) => {
      const z = cpu.fOp === 0 ? (cpu.flagsRaw & 0x40) !== 0 : cpu.fSize === 8 ? (cpu.fRes | cpu.fResH) === 0 : cpu.fRes === 0;
      if (z === want) {
        const t = cpu.rip + disp;
        cpu.rip = wrap === 0 ? t : wrap === 2 ? t & 0xffff : t >>> 0;
      }
    };
  }
  return (cpu) => {
    if (cpu.cond(cc)) {
      const t = cpu.rip + disp;
      cpu.rip = wrap === 0 ? t : wrap === 2 ? t & 0xffff : t >>> 0;
    }
  };
}

/** String instructions (movs, cmps, stos, lods, scas, ins, outs) with REP/REPE/REPNE. A REP
 * instruction runs to completion in one step, updating rSI/rDI/rCX as it goes, so a fault or
 * VM exit part-way leaves a restartable state exactly as hardware does. */
import type { Instruction } from '../decoder';
import type { Cpu } from '../cpu/cpu';
import { FLAG } from '../cpu/constants';
import { alu, Alu } from './alu';
import { checkIo } from './io';

function idx(cpu: Cpu, as: number, reg: number): number {
  if (as === 8) return cpu.reg64(reg);
  return as === 4 ? cpu.r[reg] >>> 0 : cpu.r[reg] & 0xffff;
}
function setIdx(cpu: Cpu, as: number, reg: number, v: number): void {
  if (as === 8) cpu.setReg64(reg, v);
  else if (as === 4) { cpu.r[reg] = v | 0; cpu.rh[reg] = 0; }
  else cpu.r[reg] = (cpu.r[reg] & ~0xffff) | (v & 0xffff);
}
function step(cpu: Cpu, as: number, reg: number, size: number): void {
  const d = cpu.flagsRaw & FLAG.DF ? -size : size;
  let v = idx(cpu, as, reg) + d;
  if (as === 4) v = v >>> 0;
  else if (as === 2) v &= 0xffff;
  setIdx(cpu, as, reg, v);
}
function srcLin(cpu: Cpu, ins: Instruction): number {
  const seg = ins.segOverride >= 0 ? ins.segOverride : 3;
  const off = idx(cpu, ins.addrSize, 6);
  return cpu.bits === 64 ? cpu.canon((seg >= 4 ? cpu.segBase[seg] : 0) + off) : cpu.linear(seg, off);
}
function dstLin(cpu: Cpu, ins: Instruction): number {
  const off = idx(cpu, ins.addrSize, 7);
  return cpu.bits === 64 ? cpu.canon(off) : cpu.linear(0, off);
}

type Body = (cpu: Cpu, ins: Instruction, size: number) => void;

function repeat(body: Body, conditional: boolean) {
  return (cpu: Cpu, ins: Instruction): void => {
    const size = sizeOf(ins);
    if (!ins.rep) {
      body(cpu, ins, size);
      return;
    }
    const as = ins.addrSize;
    while (idx(cpu, as, 1) !== 0) {
      body(cpu, ins, size);
      setIdx(cpu, as, 1, idx(cpu, as, 1) - 1);
      if (conditional) {
        const z = cpu.zf();
        if ((ins.rep === 0xf3 && !z) || (ins.rep === 0xf2 && z)) break;
      }
    }
  };
}

function sizeOf(ins: Instruction): number {
  const last = ins.mnemonic[ins.mnemonic.length - 1];
  return last === 'b' ? 1 : last === 'w' ? 2 : last === 'd' ? 4 : 8;
}

const movs: Body = (cpu, ins, size) => {
  const v = cpu.read(srcLin(cpu, ins), size);
  cpu.write(dstLin(cpu, ins), size, v, cpu.vh);
  step(cpu, ins.addrSize, 6, size);
  step(cpu, ins.addrSize, 7, size);
};
const cmps: Body = (cpu, ins, size) => {
  const a = cpu.read(srcLin(cpu, ins), size), ah = cpu.vh;
  const b = cpu.read(dstLin(cpu, ins), size), bh = cpu.vh;
  alu(cpu, Alu.Cmp, size, a, size === 8 ? ah : 0, b, size === 8 ? bh : 0);
  step(cpu, ins.addrSize, 6, size);
  step(cpu, ins.addrSize, 7, size);
};
const stos: Body = (cpu, ins, size) => {
  const v = cpu.getReg(0, size);
  cpu.write(dstLin(cpu, ins), size, v, cpu.vh);
  step(cpu, ins.addrSize, 7, size);
};
const lods: Body = (cpu, ins, size) => {
  const v = cpu.read(srcLin(cpu, ins), size);
  cpu.setReg(0, size, v, cpu.vh);
  step(cpu, ins.addrSize, 6, size);
};
const scas: Body = (cpu, ins, size) => {
  const a = cpu.getReg(0, size), ah = cpu.vh;
  const b = cpu.read(dstLin(cpu, ins), size), bh = cpu.vh;
  alu(cpu, Alu.Cmp, size, a, size === 8 ? ah : 0, b, size === 8 ? bh : 0);
  step(cpu, ins.addrSize, 7, size);
};
const ins_: Body = (cpu, ins, size) => {
  const port = cpu.r[2] & 0xffff;
  checkIo(cpu, ins, port, size, true);
  const lin = dstLin(cpu, ins);
  cpu.read(lin, size, 1); // probe for write before the device sees the access
  cpu.write(lin, size, cpu.io.in(port, size));
  step(cpu, ins.addrSize, 7, size);
};
const outs: Body = (cpu, ins, size) => {
  const port = cpu.r[2] & 0xffff;
  checkIo(cpu, ins, port, size, false);
  const v = cpu.read(srcLin(cpu, ins), size);
  cpu.io.out(port, size, size === 4 ? v >>> 0 : v);
  step(cpu, ins.addrSize, 6, size);
};

const MOVS = repeat(movs, false), CMPS = repeat(cmps, true), STOS = repeat(stos, false), LODS = repeat(lods, false);
const SCAS = repeat(scas, true), INS = repeat(ins_, false), OUTS = repeat(outs, false);

export const STRING_HANDLERS = {
  movsb: MOVS, movsw: MOVS, movsd: MOVS, movsq: MOVS, cmpsb: CMPS, cmpsw: CMPS, cmpsd: CMPS, cmpsq: CMPS,
  stosb: STOS, stosw: STOS, stosd: STOS, stosq: STOS, lodsb: LODS, lodsw: LODS, lodsd: LODS, lodsq: LODS,
  scasb: SCAS, scasw: SCAS, scasd: SCAS, scasq: SCAS, insb: INS, insw: INS, insd: INS, outsb: OUTS, outsw: OUTS, outsd: OUTS,
};

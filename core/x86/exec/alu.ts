/** Integer ALU: add/adc/sub/sbb/and/or/xor/cmp/test, inc/dec/neg/not, with lazy flags. */
import type { Instruction } from '../decoder';
import type { Cpu } from '../cpu/cpu';
import { FOp } from '../cpu/flags';
import { addrOf as addrOfFn, rdAt as rdAtFn, trunc as truncFn, wrAt as wrAtFn } from './operands';
// local bindings: some loaders (tsx) turn every call through an imported binding into a getter call
const addrOf = addrOfFn, rdAt = rdAtFn, trunc = truncFn, wrAt = wrAtFn;
// Hot-path aliases: module-level constants read once (cheaper than enum/namespace lookups).
const F_ADD = FOp.Add, F_ADC = FOp.Adc, F_SUB = FOp.Sub, F_SBB = FOp.Sbb, F_LOGIC = FOp.Logic, F_INC = FOp.Inc, F_DEC = FOp.Dec;

export const enum Alu { Add, Or, Adc, Sbb, And, Sub, Xor, Cmp, Test }

/** Computes a op b, records the flags and returns the result (high half in cpu.vh for size 8). */
export function alu(cpu: Cpu, kind: Alu, size: number, a: number, ah: number, b: number, bh: number): number {
  let r: number, rh = 0;
  switch (kind) {
    case Alu.Add: case Alu.Adc: {
      const cin = kind === Alu.Adc ? cpu.cf() : 0;
      if (size === 8) {
        const lo = (a >>> 0) + (b >>> 0) + cin;
        r = lo | 0;
        rh = (ah + bh + (lo > 0xffffffff ? 1 : 0)) | 0;
      } else r = trunc(a + b + cin, size);
      cpu.setLazy(kind === Alu.Adc ? F_ADC : F_ADD, size, r, a, b, rh, ah, bh);
      cpu.fBH2 = cin;
      break;
    }
    case Alu.Sub: case Alu.Sbb: case Alu.Cmp: {
      const cin = kind === Alu.Sbb ? cpu.cf() : 0;
      if (size === 8) {
        const lo = (a >>> 0) - (b >>> 0) - cin;
        r = lo | 0;
        rh = (ah - bh - (lo < 0 ? 1 : 0)) | 0;
      } else r = trunc(a - b - cin, size);
      cpu.setLazy(kind === Alu.Sbb ? F_SBB : F_SUB, size, r, a, b, rh, ah, bh);
      cpu.fBH2 = cin;
      break;
    }
    case Alu.And: case Alu.Test: r = a & b; rh = ah & bh; cpu.setLazy(F_LOGIC, size, r, a, b, rh, ah, bh); break;
    case Alu.Or: r = a | b; rh = ah | bh; cpu.setLazy(F_LOGIC, size, r, a, b, rh, ah, bh); break;
    default: r = a ^ b; rh = ah ^ bh; cpu.setLazy(F_LOGIC, size, r, a, b, rh, ah, bh); break;
  }
  cpu.vh = rh;
  return r;
}

function binary(kind: Alu) {
  const writes = kind !== Alu.Cmp && kind !== Alu.Test;
  return (cpu: Cpu, ins: Instruction): void => {
    const d = ins.operands[0], s = ins.operands[1];
    const size = d.size;
    const lin = addrOf(cpu, ins, d);
    const a = rdAt(cpu, d, lin);
    const ah = cpu.vh;
    let b: number, bh: number;
    if (s.kind === 3 /* Imm */) { b = s.imm; bh = s.immHi; }
    else { b = rdAt(cpu, s, addrOf(cpu, ins, s)); bh = cpu.vh; }
    const r = alu(cpu, kind, size, a, size === 8 ? ah : 0, b, size === 8 ? bh : 0);
    if (writes) wrAt(cpu, d, lin, r, cpu.vh);
  };
}

function incdec(inc: boolean) {
  return (cpu: Cpu, ins: Instruction): void => {
    const d = ins.operands[0];
    const size = d.size;
    const lin = addrOf(cpu, ins, d);
    const a = rdAt(cpu, d, lin);
    const ah = size === 8 ? cpu.vh : 0;
    let r: number, rh = 0;
    if (size === 8) {
      const lo = (a >>> 0) + (inc ? 1 : -1);
      r = lo | 0;
      rh = (ah + (lo > 0xffffffff ? 1 : lo < 0 ? -1 : 0)) | 0;
    } else r = trunc(a + (inc ? 1 : -1), size);
    cpu.setLazy(inc ? F_INC : F_DEC, size, r, a, 1, rh, ah, 0);
    wrAt(cpu, d, lin, r, rh);
  };
}

function neg(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0];
  const lin = addrOf(cpu, ins, d);
  const a = rdAt(cpu, d, lin);
  const ah = d.size === 8 ? cpu.vh : 0;
  const r = alu(cpu, Alu.Sub, d.size, 0, 0, a, ah);
  wrAt(cpu, d, lin, r, cpu.vh);
}

function not(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0];
  const lin = addrOf(cpu, ins, d);
  const a = rdAt(cpu, d, lin);
  const ah = cpu.vh;
  wrAt(cpu, d, lin, trunc(~a, d.size), ~ah);
}

export const ALU_HANDLERS = {
  add: binary(Alu.Add), or: binary(Alu.Or), adc: binary(Alu.Adc), sbb: binary(Alu.Sbb),
  and: binary(Alu.And), sub: binary(Alu.Sub), xor: binary(Alu.Xor), cmp: binary(Alu.Cmp), test: binary(Alu.Test),
  inc: incdec(true), dec: incdec(false), neg, not,
};

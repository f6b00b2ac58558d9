/** Bit tests and scans: bt/bts/btr/btc, bsf/bsr, bswap. */
import { OpKind, type Instruction } from '../decoder';
import type { Cpu } from '../cpu/cpu';
import { FLAG } from '../cpu/constants';
import { ea, fromBig, rd, rdAt, toBig, wrAt } from './operands';
// Hot-path aliases: module-level constants read once (cheaper than enum/namespace lookups).
const K_MEM = OpKind.Mem, K_IMM = OpKind.Imm;

function bt(kind: 'bt' | 'bts' | 'btr' | 'btc') {
  return (cpu: Cpu, ins: Instruction): void => {
    const d = ins.operands[0], s = ins.operands[1];
    const size = d.size, bits = size * 8;
    let lin = 0;
    let bit: number;
    if (s.kind === K_IMM) bit = (s.imm & 0xff) % bits;
    else {
      const off = cpu.getReg(s.reg, size);
      if (d.kind === K_MEM) {
        // A register bit offset addresses memory beyond the operand (signed).
        const signed = size === 2 ? (off << 16) >> 16 : size === 4 ? off : Number(BigInt.asIntN(64, toBig(off, cpu.vh, 8)));
        const unitIndex = Math.floor(signed / bits);
        lin = ea(cpu, ins, d) + unitIndex * size;
        bit = signed - unitIndex * bits;
      } else bit = (size === 8 ? off & 63 : off >>> 0) % bits;
    }
    if (d.kind === K_MEM && s.kind === K_IMM) lin = ea(cpu, ins, d);
    const x = toBig(rdAt(cpu, d, lin), cpu.vh, size);
    const m = 1n << BigInt(bit);
    cpu.materialise();
    cpu.setArith((cpu.flagsRaw & ~FLAG.CF & (FLAG.PF | FLAG.AF | FLAG.ZF | FLAG.SF | FLAG.OF)) | ((x & m) !== 0n ? FLAG.CF : 0));
    if (kind === 'bt') return;
    const y = kind === 'bts' ? x | m : kind === 'btr' ? x & ~m : x ^ m;
    wrAt(cpu, d, lin, fromBig(cpu, y, size), cpu.vh);
  };
}

function scan(reverse: boolean) {
  return (cpu: Cpu, ins: Instruction): void => {
    const d = ins.operands[0], s = ins.operands[1];
    const x = toBig(rd(cpu, ins, s), cpu.vh, s.size);
    cpu.materialise();
    const keep = cpu.flagsRaw & (FLAG.CF | FLAG.PF | FLAG.AF | FLAG.SF | FLAG.OF);
    if (x === 0n) {
      cpu.setArith(keep | FLAG.ZF);
      return; // destination unchanged (as on Intel and AMD hardware)
    }
    let i = 0;
    if (reverse) i = x.toString(2).length - 1;
    else while (((x >> BigInt(i)) & 1n) === 0n) i++;
    cpu.setArith(keep);
    cpu.setReg(d.reg, d.size, i, 0);
  };
}

function bswap(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0];
  const v = cpu.getReg(d.reg, d.size);
  const sw = (x: number) => ((x >>> 24) | ((x >>> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24)) | 0;
  if (d.size === 8) cpu.setReg(d.reg, 8, sw(cpu.vh), sw(v));
  else if (d.size === 4) cpu.setReg(d.reg, 4, sw(v));
  else cpu.setReg(d.reg, 2, 0); // BSWAP of a 16-bit register is undefined; real CPUs give 0
}

export const BIT_HANDLERS = { bt: bt('bt'), bts: bt('bts'), btr: bt('btr'), btc: bt('btc'), bsf: scan(false), bsr: scan(true), bswap };

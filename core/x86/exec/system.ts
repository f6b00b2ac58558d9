/** System instructions a small kernel uses: control/debug registers, descriptor tables, task
 * register, MSRs, CPUID, TSC, SYSCALL/SYSRET, SWAPGS, XSETBV, HLT, interrupt flag, VMCALL. */
import { OpKind, type Instruction } from '../decoder';
import { CpuFault, TWO32, type Cpu } from '../cpu/cpu';
import { CR0, CR4, EFER, EXC, FLAG, MSR } from '../cpu/constants';
import { installSystemMov } from './data';
import { ea, rd, wr } from './operands';
import { cpuidLeaf } from './cpuid';
// Hot-path aliases: module-level constants read once (cheaper than enum/namespace lookups).
const K_REG = OpKind.Reg, K_CR = OpKind.Cr, K_DR = OpKind.Dr;

function priv(cpu: Cpu): void {
  if (cpu.cr0 & CR0.PE && cpu.cpl !== 0) throw new CpuFault(EXC.GP, 0);
}

function icpt(cpu: Cpu, ins: Instruction, what: string, arg?: number): void {
  if (cpu.nonRoot) cpu.nonRoot.intercept(cpu, ins, what, arg);
}

/** icpt for handlers that have changed nothing yet: true if the instruction exits (return at once, no unwinding) */
function exits(cpu: Cpu, ins: Instruction, what: string, arg?: number): boolean {
  const h = cpu.nonRoot;
  if (h === null) return false;
  if (h.interceptExits !== undefined) return h.interceptExits(cpu, ins, what, arg);
  h.intercept(cpu, ins, what, arg);
  return false;
}

// ---------------------------------------------------------------- control registers

/** Writes CR0 with the architectural checks and long-mode activation. */
export function writeCr0(cpu: Cpu, v: number): void {
  v |= CR0.ET;
  if (v & CR0.PG && !(v & CR0.PE)) throw new CpuFault(EXC.GP, 0);
  if ((v & CR0.NW) && !(v & CR0.CD)) throw new CpuFault(EXC.GP, 0);
  const enabling = v & CR0.PG && !(cpu.cr0 & CR0.PG);
  if (enabling && cpu.efer & EFER.LME) {
    if (!(cpu.cr4 & CR4.PAE)) throw new CpuFault(EXC.GP, 0);
    cpu.efer |= EFER.LMA;
  }
  if (!(v & CR0.PG) && cpu.cr0 & CR0.PG && cpu.longMode) {
    if (cpu.bits === 64) throw new CpuFault(EXC.GP, 0);
    cpu.efer &= ~EFER.LMA;
  }
  cpu.cr0 = v | 0;
  cpu.updateMode();
  cpu.flushTlb();
}

export function writeCr4(cpu: Cpu, v: number): void {
  if (cpu.longMode && !(v & CR4.PAE)) throw new CpuFault(EXC.GP, 0);
  if (v & ~0x3f7fff) throw new CpuFault(EXC.GP, 0);
  cpu.cr4 = v;
  cpu.flushTlb();
}

function movCr(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0], s = ins.operands[1];
  priv(cpu);
  if (d.kind === K_DR || s.kind === K_DR) {
    if (d.kind === K_DR) cpu.dr[d.reg] = cpu.bits === 64 ? cpu.reg64(s.reg) : cpu.r[s.reg] >>> 0;
    else {
      const v = cpu.dr[s.reg];
      if (cpu.bits === 64) cpu.setReg64(d.reg, v);
      else cpu.setReg(d.reg, 4, v | 0);
    }
    return;
  }
  if (d.kind === K_CR) {
    const cr = d.reg;
    icpt(cpu, ins, 'movtocr', cr);
    const lo = cpu.r[s.reg], hi = cpu.bits === 64 ? cpu.rh[s.reg] : 0;
    switch (cr) {
      case 0: writeCr0(cpu, lo); break;
      case 2: cpu.cr2 = hi * TWO32 + (lo >>> 0); break;
      case 3: cpu.cr3 = (hi >>> 0) * TWO32 + (lo >>> 0); cpu.flushTlb(); break;
      case 4: writeCr4(cpu, lo); break;
      case 8: cpu.cr8 = lo & 0xf; break;
    }
    return;
  }
  const cr = s.reg;
  icpt(cpu, ins, 'movfromcr', cr);
  let v: number;
  switch (cr) {
    case 0: v = cpu.cr0 >>> 0; break;
    case 2: v = cpu.cr2; break;
    case 3: v = cpu.cr3; break;
    case 4: v = cpu.cr4; break;
    default: v = cpu.cr8;
  }
  if (cpu.nonRoot && (cr === 0 || cr === 4)) v = cpu.nonRoot.shadowCr(cr, v);
  if (cpu.bits === 64) cpu.setReg64(d.reg, v < 0 ? v + 2 ** 64 : v);
  else cpu.setReg(d.reg, 4, v | 0);
}
installSystemMov(movCr);

function clts(cpu: Cpu, ins: Instruction): void {
  priv(cpu);
  icpt(cpu, ins, 'clts');
  cpu.cr0 &= ~CR0.TS;
}

function lmsw(cpu: Cpu, ins: Instruction): void {
  priv(cpu);
  const v = rd(cpu, ins, ins.operands[0]) & 0xf;
  icpt(cpu, ins, 'lmsw', v);
  // LMSW can set PE but never clear it
  writeCr0(cpu, (cpu.cr0 & ~0xe) | v | (cpu.cr0 & CR0.PE));
}

function smsw(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0];
  let v = cpu.cr0 & 0xffff;
  if (cpu.nonRoot) v = cpu.nonRoot.shadowCr(0, cpu.cr0) & 0xffff;
  if (d.kind === K_REG) cpu.setReg(d.reg, d.size, d.size === 2 ? v : cpu.cr0 | 0, 0);
  else wr(cpu, ins, { ...d, size: 2 }, v);
}

// ---------------------------------------------------------------- descriptor tables

function loadDtr(which: 'gdtr' | 'idtr') {
  return (cpu: Cpu, ins: Instruction): void => {
    priv(cpu);
    icpt(cpu, ins, 'descriptor');
    const a = ea(cpu, ins, ins.operands[0]);
    const limit = cpu.read(a, 2);
    let base: number;
    if (cpu.bits === 64) {
      const lo = cpu.read(a + 2, 4);
      base = cpu.read(a + 6, 4) * TWO32 + (lo >>> 0);
    } else {
      base = cpu.read(a + 2, 4) >>> 0;
      if (ins.opSize === 2) base &= 0xffffff;
    }
    cpu[which] = { base, limit };
  };
}

function storeDtr(which: 'gdtr' | 'idtr') {
  return (cpu: Cpu, ins: Instruction): void => {
    icpt(cpu, ins, 'descriptor');
    const a = ea(cpu, ins, ins.operands[0]);
    const t = cpu[which];
    cpu.write(a, 2, t.limit);
    const hi = Math.floor(t.base / TWO32);
    cpu.write(a + 2, 4, (t.base - hi * TWO32) | 0);
    if (cpu.bits === 64) cpu.write(a + 6, 4, hi | 0);
  };
}

function ltr(cpu: Cpu, ins: Instruction): void {
  priv(cpu);
  icpt(cpu, ins, 'descriptor');
  const sel = rd(cpu, ins, ins.operands[0]) & 0xffff;
  if ((sel & 0xfffc) === 0 || sel & 4) throw new CpuFault(EXC.GP, sel & 0xfffc);
  const [lo, hi] = cpu.readDescriptor(sel);
  const type = (hi >> 8) & 0x1f;
  if (type !== 0x09 && type !== 0x01) throw new CpuFault(EXC.GP, sel & 0xfffc); // available TSS
  if (!(hi & 0x8000)) throw new CpuFault(EXC.NP, sel & 0xfffc);
  let base = ((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) >>> 0;
  if (cpu.longMode) base += cpu.sysRead(cpu.gdtr.base + (sel & 0xfff8) + 8, 4) * TWO32;
  let limit = (lo & 0xffff) | (hi & 0xf0000);
  if (hi & 0x800000) limit = limit * 4096 + 4095;
  cpu.tr = { sel, base, limit, attr: ((hi >>> 8) & 0xf0ff) | 2 };
  cpu.sysWrite(cpu.gdtr.base + (sel & 0xfff8) + 4, 4, hi | 0x200); // mark busy
}

function lldt(cpu: Cpu, ins: Instruction): void {
  priv(cpu);
  icpt(cpu, ins, 'descriptor');
  const sel = rd(cpu, ins, ins.operands[0]) & 0xffff;
  if ((sel & 0xfffc) === 0) {
    cpu.ldtr = { sel, base: 0, limit: 0, attr: 0x10000 };
    return;
  }
  const [lo, hi] = cpu.readDescriptor(sel);
  if (((hi >> 8) & 0x1f) !== 2) throw new CpuFault(EXC.GP, sel & 0xfffc);
  let base = ((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) >>> 0;
  if (cpu.longMode) base += cpu.sysRead(cpu.gdtr.base + (sel & 0xfff8) + 8, 4) * TWO32;
  cpu.ldtr = { sel, base, limit: (lo & 0xffff) | (hi & 0xf0000), attr: (hi >>> 8) & 0xf0ff };
}

function storeSel(get: (cpu: Cpu) => number) {
  return (cpu: Cpu, ins: Instruction): void => {
    icpt(cpu, ins, 'descriptor');
    const d = ins.operands[0];
    if (d.kind === K_REG) cpu.setReg(d.reg, d.size, get(cpu), 0);
    else wr(cpu, ins, { ...d, size: 2 }, get(cpu));
  };
}

// ---------------------------------------------------------------- MSRs, CPUID, TSC

export function readMsr(cpu: Cpu, msr: number): [number, number] {
  const split = (v: number): [number, number] => {
    const hi = Math.floor(v / TWO32);
    return [(v - hi * TWO32) | 0, hi | 0];
  };
  switch (msr) {
    case MSR.EFER: return [cpu.efer, 0];
    case MSR.FS_BASE: return split(cpu.segBase[4]);
    case MSR.GS_BASE: return split(cpu.segBase[5]);
    case MSR.KERNEL_GS_BASE: return split(cpu.kernelGsBase);
    case MSR.TSC: return split(cpu.icount);
  }
  const v = cpu.msrs.get(msr);
  if (v) return v;
  const dflt = MSR_DEFAULTS.get(msr);
  if (dflt) return dflt;
  throw new CpuFault(EXC.GP, 0);
}

const MSR_DEFAULTS = new Map<number, [number, number]>([
  [MSR.APIC_BASE, [0xfee00900 | 0, 0]],
  [MSR.PAT, [0x00070406, 0x00070406]],
  [MSR.MTRRCAP, [0x508, 0]],
  [MSR.MTRR_DEF_TYPE, [0, 0]],
  [MSR.MISC_ENABLE, [1, 0]],
  [MSR.SYSENTER_CS, [0, 0]], [MSR.SYSENTER_ESP, [0, 0]], [MSR.SYSENTER_EIP, [0, 0]],
  [MSR.STAR, [0, 0]], [MSR.LSTAR, [0, 0]], [MSR.CSTAR, [0, 0]], [MSR.FMASK, [0, 0]], [MSR.TSC_AUX, [0, 0]],
]);

export function writeMsr(cpu: Cpu, msr: number, lo: number, hi: number): void {
  const v = (hi >>> 0) * TWO32 + (lo >>> 0);
  const sv = hi * TWO32 + (lo >>> 0);
  switch (msr) {
    case MSR.EFER: {
      if (lo & ~(EFER.SCE | EFER.LME | EFER.LMA | EFER.NXE)) throw new CpuFault(EXC.GP, 0);
      if (cpu.pagingOn && (lo & EFER.LME) !== (cpu.efer & EFER.LME)) throw new CpuFault(EXC.GP, 0);
      cpu.efer = (lo & ~EFER.LMA) | (cpu.efer & EFER.LMA);
      cpu.flushTlb();
      return;
    }
    case MSR.FS_BASE: cpu.segBase[4] = sv; return;
    case MSR.GS_BASE: cpu.segBase[5] = sv; return;
    case MSR.KERNEL_GS_BASE: cpu.kernelGsBase = sv; return;
    case MSR.TSC: return; // the TSC follows the instruction count; writes are ignored (documented)
  }
  if (!MSR_DEFAULTS.has(msr) && !cpu.msrs.has(msr)) throw new CpuFault(EXC.GP, 0);
  void v;
  cpu.msrs.set(msr, [lo | 0, hi | 0]);
}

function rdmsr(cpu: Cpu, ins: Instruction): void {
  priv(cpu);
  const msr = cpu.r[1] >>> 0;
  if (exits(cpu, ins, 'rdmsr', msr)) return;
  const [lo, hi] = readMsr(cpu, msr);
  cpu.setReg(0, 4, lo);
  cpu.setReg(2, 4, hi);
}

function wrmsr(cpu: Cpu, ins: Instruction): void {
  priv(cpu);
  const msr = cpu.r[1] >>> 0;
  if (exits(cpu, ins, 'wrmsr', msr)) return;
  writeMsr(cpu, msr, cpu.r[0], cpu.r[2]);
}

function cpuid(cpu: Cpu, ins: Instruction): void {
  if (exits(cpu, ins, 'cpuid')) return;
  const [a, b, c, d] = cpuidLeaf(cpu, cpu.r[0] >>> 0, cpu.r[1] >>> 0);
  cpu.setReg(0, 4, a);
  cpu.setReg(3, 4, b);
  cpu.setReg(1, 4, c);
  cpu.setReg(2, 4, d);
}

function rdtsc(cpu: Cpu, ins: Instruction): void {
  if (cpu.cr4 & CR4.TSD && cpu.cpl !== 0) throw new CpuFault(EXC.GP, 0);
  if (exits(cpu, ins, ins.mnemonic)) return;
  const t = cpu.icount;
  const hi = Math.floor(t / TWO32);
  cpu.setReg(0, 4, (t - hi * TWO32) | 0);
  cpu.setReg(2, 4, hi | 0);
  if (ins.mnemonic === 'rdtscp') cpu.setReg(1, 4, readMsr(cpu, MSR.TSC_AUX)[0]);
}

function xsetbv(cpu: Cpu, ins: Instruction): void {
  // #UD and the CPL check come before the (unconditional) VM exit: SDM 25.1.1
  if (!(cpu.cr4 & CR4.OSXSAVE)) throw new CpuFault(EXC.UD);
  priv(cpu);
  if (exits(cpu, ins, 'xsetbv')) return;
  const v = cpu.r[0];
  if ((cpu.r[1] >>> 0) !== 0 || !(v & 1) || v & ~7 || (v & 4 && !(v & 2))) throw new CpuFault(EXC.GP, 0);
  cpu.xcr0 = v;
}
function xgetbv(cpu: Cpu): void {
  if (!(cpu.cr4 & CR4.OSXSAVE)) throw new CpuFault(EXC.UD);
  if ((cpu.r[1] >>> 0) !== 0) throw new CpuFault(EXC.GP, 0);
  cpu.setReg(0, 4, cpu.xcr0);
  cpu.setReg(2, 4, 0);
}

// ---------------------------------------------------------------- SYSCALL / SYSRET / SWAPGS

function flatCode(cpu: Cpu, sel: number, dpl: number, long: boolean): void {
  cpu.segSel[1] = sel;
  cpu.segBase[1] = 0;
  cpu.segLimit[1] = 0xffffffff;
  cpu.segAttr[1] = 0xb | 0x10 | (dpl << 5) | 0x80 | (long ? 0x2000 : 0x4000) | 0x8000;
}
function flatData(cpu: Cpu, sel: number, dpl: number): void {
  cpu.segSel[2] = sel;
  cpu.segBase[2] = 0;
  cpu.segLimit[2] = 0xffffffff;
  cpu.segAttr[2] = 0x3 | 0x10 | (dpl << 5) | 0x80 | 0x4000 | 0x8000;
}

function syscall(cpu: Cpu): void {
  if (!(cpu.efer & EFER.SCE) || !cpu.longMode) throw new CpuFault(EXC.UD);
  const [, starHi] = readMsr(cpu, MSR.STAR);
  const [lstarLo, lstarHi] = readMsr(cpu, MSR.LSTAR);
  const [fmask] = readMsr(cpu, MSR.FMASK);
  cpu.setReg64(1, cpu.rip < 0 ? cpu.rip + 2 ** 64 : cpu.rip);
  const fl = cpu.getFlags();
  cpu.setReg(11, 8, fl & ~FLAG.RF, 0);
  cpu.setFlags(fl & ~fmask & ~FLAG.RF);
  const sel = starHi & 0xfffc;
  flatCode(cpu, sel, 0, true);
  flatData(cpu, (sel + 8) & 0xffff, 0);
  cpu.updateMode();
  cpu.rip = cpu.canon(lstarHi * TWO32 + (lstarLo >>> 0));
}

function sysret(cpu: Cpu, ins: Instruction): void {
  if (!(cpu.efer & EFER.SCE) || !cpu.longMode) throw new CpuFault(EXC.UD);
  priv(cpu);
  const [, starHi] = readMsr(cpu, MSR.STAR);
  const base = (starHi >>> 16) & 0xffff;
  const to64 = ins.opSize === 8;
  const rcx = cpu.reg64(1);
  if (to64) {
    if (rcx >= 2 ** 47 || rcx < -(2 ** 47)) throw new CpuFault(EXC.GP, 0);
    flatCode(cpu, ((base + 16) & 0xfffc) | 3, 3, true);
  } else flatCode(cpu, (base & 0xfffc) | 3, 3, false);
  flatData(cpu, ((base + 8) & 0xfffc) | 3, 3);
  cpu.setFlags((cpu.r[11] & 0x3c7fd7) | 2);
  cpu.updateMode();
  cpu.rip = to64 ? rcx : cpu.r[1] >>> 0;
}

function swapgs(cpu: Cpu): void {
  priv(cpu);
  const t = cpu.segBase[5];
  cpu.segBase[5] = cpu.kernelGsBase;
  cpu.kernelGsBase = t;
}

// ---------------------------------------------------------------- misc

function hlt(cpu: Cpu, ins: Instruction): void {
  priv(cpu);
  if (exits(cpu, ins, 'hlt')) return;
  cpu.halted = true;
  if (!(cpu.flagsRaw & FLAG.IF) && cpu.irqQueue.length === 0) cpu.stopReason = 'hlt';
  else cpu.stopReason = 'halted';
}

function cli(cpu: Cpu): void {
  if (cpu.cr0 & CR0.PE && cpu.cpl > ((cpu.flagsRaw >> 12) & 3)) throw new CpuFault(EXC.GP, 0);
  cpu.flagsRaw &= ~FLAG.IF;
}
function sti(cpu: Cpu): void {
  if (cpu.cr0 & CR0.PE && cpu.cpl > ((cpu.flagsRaw >> 12) & 3)) throw new CpuFault(EXC.GP, 0);
  if (!(cpu.flagsRaw & FLAG.IF)) cpu.shadow = 1; // blocking by STI for one instruction
  cpu.flagsRaw |= FLAG.IF;
}

function flagOp(fn: (f: number) => number) {
  return (cpu: Cpu): void => {
    cpu.materialise();
    cpu.flagsRaw = fn(cpu.flagsRaw);
  };
}

function invlpg(cpu: Cpu, ins: Instruction): void {
  priv(cpu);
  const a = ea(cpu, ins, ins.operands[0]);
  if (exits(cpu, ins, 'invlpg', a)) return;
  cpu.flushTlbPage(a);
}

function simpleIntercept(what: string, privileged: boolean) {
  return (cpu: Cpu, ins: Instruction): void => {
    if (privileged) priv(cpu);
    exits(cpu, ins, what);
  };
}

function vmcall(cpu: Cpu, ins: Instruction): void {
  if (!cpu.nonRoot) throw new CpuFault(EXC.UD); // outside VMX non-root, VMCALL is #UD (VMX is off)
  exits(cpu, ins, 'vmcall');
}

/** RDRAND: a value is always ready (CF = 1, the other arithmetic flags 0). The values are a hash of the TSC (the
 * retired-instruction count), so a run is reproducible and replay gives the same numbers. */
function rdrand(cpu: Cpu, ins: Instruction): void {
  if (exits(cpu, ins, 'rdrand')) return;
  const d = ins.operands[0];
  const t = cpu.icount;
  cpu.materialise();
  cpu.setReg(d.reg, d.size, mix32(t), mix32(t + 0x9e3779b9));
  cpu.setArith(FLAG.CF);
}

/** A 32-bit integer hash (lowbias32) of a non-negative number. */
function mix32(n: number): number {
  let x = (n % TWO32) ^ Math.floor(n / TWO32);
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x | 0;
}

function ud2(): void {
  throw new CpuFault(EXC.UD);
}
function nop(): void {}
function pause(cpu: Cpu, ins: Instruction): void {
  exits(cpu, ins, 'pause');
}

export const SYSTEM_HANDLERS = {
  rdrand,
  clts, lmsw, smsw, lgdt: loadDtr('gdtr'), lidt: loadDtr('idtr'), sgdt: storeDtr('gdtr'), sidt: storeDtr('idtr'),
  ltr, lldt, str: storeSel((c) => c.tr.sel), sldt: storeSel((c) => c.ldtr.sel),
  rdmsr, wrmsr, cpuid, rdtsc, rdtscp: rdtsc, xsetbv, xgetbv, syscall, sysret, sysretq: sysret, swapgs,
  hlt, cli, sti, cld: flagOp((f) => f & ~FLAG.DF), std: flagOp((f) => f | FLAG.DF),
  clc: flagOp((f) => f & ~FLAG.CF), stc: flagOp((f) => f | FLAG.CF), cmc: flagOp((f) => f ^ FLAG.CF),
  invlpg, invd: simpleIntercept('invd', true), wbinvd: simpleIntercept('wbinvd', true), vmcall, ud2, nop, pause,
};

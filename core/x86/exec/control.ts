/** Control transfer: jmp/call/ret (near and far), jcc, loop family, int/int3/iret. */
import { OpKind, type Instruction } from '../decoder';
import { CpuFault, TWO32, type Cpu } from '../cpu/cpu';
import { CR0, EXC } from '../cpu/constants';
import { rd, relTarget } from './operands';
import { writeFlags } from './data';
// Hot-path aliases: module-level constants read once (cheaper than enum/namespace lookups).
const K_REL = OpKind.Rel, K_FAR = OpKind.Far;

function toAddr(cpu: Cpu, lo: number, hi: number, size: number): number {
  if (size === 8) return cpu.canon(hi * TWO32 + (lo >>> 0));
  return size === 4 ? lo >>> 0 : lo & 0xffff;
}

function pushRip(cpu: Cpu, size: number): void {
  const v = cpu.rip;
  const h = Math.floor(v / TWO32);
  cpu.push(size, (v - h * TWO32) | 0, h);
}

function jmp(cpu: Cpu, ins: Instruction): void {
  const t = ins.operands[0];
  if (t.kind === K_REL) cpu.rip = relTarget(cpu, ins);
  else if (t.kind === K_FAR) farJump(cpu, t.immHi, t.size === 4 ? t.imm & 0xffff : t.imm >>> 0);
  else cpu.rip = toAddr(cpu, rd(cpu, ins, t), cpu.vh, ins.opSize);
}

function call(cpu: Cpu, ins: Instruction): void {
  const t = ins.operands[0];
  const target = t.kind === K_REL ? relTarget(cpu, ins) : toAddr(cpu, rd(cpu, ins, t), cpu.vh, ins.opSize);
  pushRip(cpu, ins.opSize);
  cpu.rip = target;
}

function ret(cpu: Cpu, ins: Instruction): void {
  const lo = cpu.pop(ins.opSize);
  const target = toAddr(cpu, lo, cpu.vh, ins.opSize);
  if (ins.operands.length) cpu.setSp(cpu.sp() + (ins.operands[0].imm & 0xffff));
  cpu.rip = target;
}

/** Far jump to selector:offset (JMP ptr16:16/32). */
export function farJump(cpu: Cpu, sel: number, off: number): void {
  if (!(cpu.cr0 & CR0.PE)) {
    cpu.loadSeg(1, sel);
    cpu.rip = off;
    return;
  }
  const [lo, hi] = cpu.readDescriptor(sel);
  if (!(hi & 0x1000) || !(hi & 0x800)) throw new CpuFault(EXC.GP, sel & 0xfffc); // must be a code segment
  if (!(hi & 0x8000)) throw new CpuFault(EXC.NP, sel & 0xfffc);
  cpu.setSegFromDescriptor(1, (sel & 0xfffc) | cpu.cpl, lo, hi);
  cpu.rip = off;
}

function retf(cpu: Cpu, ins: Instruction): void {
  const size = ins.opSize;
  const lo = cpu.pop(size), h = cpu.vh;
  const sel = cpu.pop(size) & 0xffff;
  if (ins.operands.length) cpu.setSp(cpu.sp() + (ins.operands[0].imm & 0xffff));
  if (!(cpu.cr0 & CR0.PE)) {
    cpu.loadSeg(1, sel);
    cpu.rip = lo & 0xffff;
    return;
  }
  const rpl = sel & 3;
  const outer = rpl > cpu.cpl;
  let nsp = 0, nss = 0, nsph = 0;
  if (outer) {
    nsp = cpu.pop(size);
    nsph = cpu.vh;
    nss = cpu.pop(size) & 0xffff;
  }
  const [dlo, dhi] = cpu.readDescriptor(sel);
  cpu.setSegFromDescriptor(1, sel, dlo, dhi);
  cpu.rip = toAddr(cpu, lo, h, cpu.bits === 64 ? 8 : size);
  if (outer) {
    cpu.loadSeg(2, nss);
    cpu.setReg(4, size, nsp, nsph);
  }
}

function jcc(cpu: Cpu, ins: Instruction): void {
  if (cpu.cond(ins.cc)) cpu.rip = relTarget(cpu, ins);
}

function counter(cpu: Cpu, ins: Instruction): number {
  // decrement rCX (address-size wide) and return the new value's "non-zero" as 1/0
  const as = ins.addrSize;
  if (as === 8) {
    const lo = cpu.r[1];
    cpu.r[1] = (lo - 1) | 0;
    if (lo === 0) cpu.rh[1] = (cpu.rh[1] - 1) | 0;
    return cpu.r[1] | cpu.rh[1];
  }
  if (as === 4) {
    cpu.r[1] = (cpu.r[1] - 1) | 0;
    if (cpu.bits === 64) cpu.rh[1] = 0;
    return cpu.r[1];
  }
  const v = (cpu.r[1] - 1) & 0xffff;
  cpu.r[1] = (cpu.r[1] & ~0xffff) | v;
  return v;
}

function loop(kind: 0 | 1 | 2) {
  return (cpu: Cpu, ins: Instruction): void => {
    const nz = counter(cpu, ins) !== 0;
    const take = kind === 0 ? nz : kind === 1 ? nz && cpu.zf() : nz && !cpu.zf();
    if (take) cpu.rip = relTarget(cpu, ins);
  };
}

function jcxz(cpu: Cpu, ins: Instruction): void {
  const as = ins.addrSize;
  const zero = as === 8 ? (cpu.r[1] | cpu.rh[1]) === 0 : as === 4 ? cpu.r[1] === 0 : (cpu.r[1] & 0xffff) === 0;
  if (zero) cpu.rip = relTarget(cpu, ins);
}

function int(cpu: Cpu, ins: Instruction): void {
  const hooks = cpu.nonRoot;
  if (hooks) hooks.intercept(cpu, ins, 'int');
  cpu.deliver(ins.operands[0].imm & 0xff, -1, 'software');
}
function int3(cpu: Cpu, ins: Instruction): void {
  if (cpu.nonRoot?.exceptionExit) cpu.nonRoot.exceptionExit(cpu, 3, -1, 0, ins.length);
  cpu.deliver(3, -1, 'int3');
}

function iret(cpu: Cpu, ins: Instruction): void {
  const size = ins.opSize;
  if (!(cpu.cr0 & CR0.PE)) {
    const ip = cpu.pop(size);
    const cs = cpu.pop(size);
    const fl = cpu.pop(size);
    cpu.loadSeg(1, cs & 0xffff);
    cpu.rip = ip & (size === 2 ? 0xffff : 0xffffffff);
    writeFlags(cpu, size === 2 ? (cpu.getFlags() & ~0xffff) | fl : fl);
    return;
  }
  const ipLo = cpu.pop(size), ipHi = cpu.vh;
  const sel = cpu.pop(size) & 0xffff;
  const fl = cpu.pop(size);
  const toOuter = (sel & 3) > cpu.cpl;
  let spLo = 0, spHi = 0, ss = 0;
  if (cpu.longMode || toOuter) {
    spLo = cpu.pop(size);
    spHi = cpu.vh;
    ss = cpu.pop(size) & 0xffff;
  }
  if ((sel & 0xfffc) === 0) throw new CpuFault(EXC.GP, 0);
  const [dlo, dhi] = cpu.readDescriptor(sel);
  if (!(dhi & 0x1000) || !(dhi & 0x800)) throw new CpuFault(EXC.GP, sel & 0xfffc);
  if ((sel & 3) < cpu.cpl) throw new CpuFault(EXC.GP, sel & 0xfffc);
  if (!(dhi & 0x8000)) throw new CpuFault(EXC.NP, sel & 0xfffc);
  const oldCpl = cpu.cpl;
  writeFlagsAt(cpu, size === 2 ? (cpu.getFlags() & ~0xffff) | fl : fl, oldCpl);
  cpu.setSegFromDescriptor(1, sel, dlo, dhi);
  cpu.rip = toAddr(cpu, ipLo, ipHi, cpu.bits === 64 ? 8 : size === 2 ? 2 : 4);
  if (cpu.longMode || toOuter) {
    if ((ss & 0xfffc) === 0 && cpu.bits === 64) {
      cpu.segSel[2] = ss;
      cpu.segAttr[2] = 0x10000 | ((sel & 3) << 5);
    } else cpu.loadSeg(2, ss);
    cpu.setReg(4, size === 8 ? 8 : size, spLo, spHi);
    if (toOuter) {
      // data segments the new privilege level may not use become null
      for (const s of [0, 3, 4, 5]) {
        const a = cpu.segAttr[s];
        const dpl = (a >> 5) & 3;
        const conformingCode = (a & 0x1c) === 0x1c;
        if (!(a & 0x10000) && !conformingCode && dpl < cpu.cpl) {
          cpu.segSel[s] = 0;
          cpu.segAttr[s] = 0x10000;
        }
      }
    }
  }
}

function writeFlagsAt(cpu: Cpu, v: number, cpl: number): void {
  const saved = cpu.cpl;
  cpu.cpl = cpl;
  writeFlags(cpu, v);
  cpu.cpl = saved;
}

export const CONTROL_HANDLERS = {
  jmp, call, ret, retf, jcxz, jecxz: jcxz, jrcxz: jcxz, loop: loop(0), loope: loop(1), loopne: loop(2),
  int, int3, iret, iretd: iret, iretq: iret,
  ...Object.fromEntries(['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'].map((c) => ['j' + c, jcc])),
};

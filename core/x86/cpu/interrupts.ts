/** Interrupt and exception delivery through the IVT (real mode), 32-bit IDT gates and
 * 64-bit IDT gates, with privilege-level stack switches from the TSS and IST stacks. */
import { Cpu, CpuFault, installDeliver, TWO32 } from './cpu';
import { EXC, EXC_HAS_ERROR_CODE, FLAG, CR0 } from './constants';

function deliver(cpu: Cpu, vector: number, errorCode: number, kind: string): void {
  cpu.halted = false;
  const flags = cpu.getFlags();
  const hasError = kind === 'exception' && EXC_HAS_ERROR_CODE.has(vector) && errorCode >= 0;
  const ext = kind === 'external' || kind === 'exception' ? 1 : 0;
  const soft = kind === 'software' || kind === 'int3';
  const gateErr = vector * 8 + 2 + (kind === 'software' || kind === 'int3' ? 0 : ext);

  if (!(cpu.cr0 & CR0.PE)) {
    // Real mode: IVT entry of 4 bytes (offset, segment).
    if (vector * 4 + 3 > cpu.idtr.limit) throw new CpuFault(EXC.GP, 0);
    const ent = cpu.idtr.base + vector * 4;
    const ip = cpu.sysRead(ent, 2);
    const cs = cpu.sysRead(ent + 2, 2);
    cpu.push(2, flags & 0xffff);
    cpu.push(2, cpu.segSel[1]);
    cpu.push(2, cpu.rip & 0xffff);
    cpu.flagsRaw &= ~(FLAG.IF | FLAG.TF | FLAG.AC);
    cpu.loadSeg(1, cs);
    cpu.rip = ip;
    return;
  }

  if (cpu.longMode) {
    if (vector * 16 + 15 > cpu.idtr.limit) throw new CpuFault(EXC.GP, gateErr);
    const ent = cpu.idtr.base + vector * 16;
    const lo = cpu.sysRead(ent, 4), hi = cpu.sysRead(ent + 4, 4), off2 = cpu.sysRead(ent + 8, 4);
    const type = (hi >> 8) & 0xf;
    const dpl = (hi >> 13) & 3;
    if (type !== 0xe && type !== 0xf) throw new CpuFault(EXC.GP, gateErr);
    if (soft && dpl < cpu.cpl) throw new CpuFault(EXC.GP, gateErr);
    if (!(hi & 0x8000)) throw new CpuFault(EXC.NP, gateErr);
    const sel = (lo >>> 16) & 0xffff;
    const target = off2 * TWO32 + ((((hi & 0xffff0000) >>> 0) + (lo & 0xffff)) >>> 0);
    const ist = hi & 7;
    if ((sel & 0xfffc) === 0) throw new CpuFault(EXC.GP, ext);
    const [dlo, dhi] = cpu.readDescriptor(sel);
    const newDpl = (dhi >> 13) & 3;
    if (!(dhi & 0x8000)) throw new CpuFault(EXC.NP, (sel & 0xfffc) + ext);
    if (!(dhi & 0x200000) || (dhi & 0x400000)) throw new CpuFault(EXC.GP, (sel & 0xfffc) + ext); // must be 64-bit code
    const oldSs = cpu.segSel[2];
    const oldRsp = cpu.reg64(4);
    const oldCs = cpu.segSel[1];
    let newRsp = oldRsp;
    if (ist) newRsp = readTss64(cpu, 0x24 + (ist - 1) * 8);
    else if (newDpl < cpu.cpl) newRsp = readTss64(cpu, 4 + newDpl * 8);
    if (newDpl < cpu.cpl) {
      cpu.segSel[2] = newDpl;
      cpu.segAttr[2] = 0x10000 | (newDpl << 5);
    }
    newRsp -= ((newRsp % 16) + 16) % 16; // aligned to 16 bytes
    cpu.setSegFromDescriptor(1, (sel & 0xfffc) | newDpl, dlo, dhi);
    cpu.setReg64(4, newRsp);
    cpu.push(8, oldSs);
    pushAddr(cpu, oldRsp);
    cpu.push(8, flags);
    cpu.push(8, oldCs);
    pushAddr(cpu, cpu.rip);
    if (hasError) cpu.push(8, errorCode);
    cpu.flagsRaw &= ~(FLAG.TF | FLAG.NT | FLAG.RF | FLAG.VM | (type === 0xe ? FLAG.IF : 0));
    cpu.rip = target >= 2 ** 63 ? target - 2 ** 64 : target;
    return;
  }

  // 32-bit protected mode: 8-byte gates.
  if (vector * 8 + 7 > cpu.idtr.limit) throw new CpuFault(EXC.GP, gateErr);
  const ent = cpu.idtr.base + vector * 8;
  const lo = cpu.sysRead(ent, 4), hi = cpu.sysRead(ent + 4, 4);
  const type = (hi >> 8) & 0xf;
  const dpl = (hi >> 13) & 3;
  if (type !== 0xe && type !== 0xf && type !== 0x6 && type !== 0x7) throw new CpuFault(EXC.GP, gateErr);
  if (soft && dpl < cpu.cpl) throw new CpuFault(EXC.GP, gateErr);
  if (!(hi & 0x8000)) throw new CpuFault(EXC.NP, gateErr);
  const gate32 = (type & 8) !== 0;
  const sel = (lo >>> 16) & 0xffff;
  const target = gate32 ? (((hi & 0xffff0000) >>> 0) + (lo & 0xffff)) >>> 0 : lo & 0xffff;
  if ((sel & 0xfffc) === 0) throw new CpuFault(EXC.GP, ext);
  const [dlo, dhi] = cpu.readDescriptor(sel);
  const newDpl = (dhi >> 13) & 3;
  if (!(dhi & 0x8000)) throw new CpuFault(EXC.NP, (sel & 0xfffc) + ext);
  const size = gate32 ? 4 : 2;
  const oldSs = cpu.segSel[2], oldEsp = cpu.r[4] >>> 0, oldCs = cpu.segSel[1];
  if (newDpl < cpu.cpl) {
    // Inner-privilege stack from the 32-bit TSS.
    const esp0 = cpu.sysRead(cpu.tr.base + 4 + newDpl * 8, 4);
    const ss0 = cpu.sysRead(cpu.tr.base + 8 + newDpl * 8, 2);
    cpu.loadSeg(2, ss0);
    cpu.r[4] = esp0;
    cpu.setSegFromDescriptor(1, (sel & 0xfffc) | newDpl, dlo, dhi);
    cpu.push(size, oldSs);
    cpu.push(size, oldEsp);
  } else cpu.setSegFromDescriptor(1, (sel & 0xfffc) | cpu.cpl, dlo, dhi);
  cpu.push(size, flags);
  cpu.push(size, oldCs);
  cpu.push(size, cpu.rip);
  if (hasError) cpu.push(size, errorCode);
  cpu.flagsRaw &= ~(FLAG.TF | FLAG.NT | FLAG.RF | FLAG.VM | ((type & 7) === 6 ? FLAG.IF : 0));
  cpu.rip = target;
}

function readTss64(cpu: Cpu, off: number): number {
  if (off + 7 > cpu.tr.limit) throw new CpuFault(EXC.TS, cpu.tr.sel & 0xfffc);
  const lo = cpu.sysRead(cpu.tr.base + off, 4);
  return cpu.sysRead(cpu.tr.base + off + 4, 4) * TWO32 + (lo >>> 0);
}

function pushAddr(cpu: Cpu, v: number): void {
  const hi = Math.floor(v / TWO32);
  cpu.push(8, (v - hi * TWO32) | 0, hi | 0);
}

installDeliver(deliver);
export { deliver };

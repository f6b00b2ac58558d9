/** Cheap CPU state snapshots (registers, segments, control registers, MSRs, flags, counters)
 * for step-back by replay. Memory is the caller's: restore RAM, then call restoreCpu. */
import type { Cpu } from './cpu';

export interface CpuSnapshot {
  r: Int32Array; rh: Int32Array; rip: number; flags: number;
  segSel: Int32Array; segBase: Float64Array; segLimit: Float64Array; segAttr: Int32Array;
  ldtr: Cpu['ldtr']; tr: Cpu['tr']; gdtr: Cpu['gdtr']; idtr: Cpu['idtr'];
  cr0: number; cr2: number; cr3: number; cr4: number; cr8: number; efer: number; xcr0: number; kernelGsBase: number;
  dr: Float64Array; msrs: [number, [number, number]][]; shadow: number; halted: boolean; icount: number; irqQueue: number[];
}

export function snapshotCpu(c: Cpu): CpuSnapshot {
  return {
    r: c.r.slice(), rh: c.rh.slice(), rip: c.rip, flags: c.getFlags(),
    segSel: c.segSel.slice(), segBase: c.segBase.slice(), segLimit: c.segLimit.slice(), segAttr: c.segAttr.slice(),
    ldtr: { ...c.ldtr }, tr: { ...c.tr }, gdtr: { ...c.gdtr }, idtr: { ...c.idtr },
    cr0: c.cr0, cr2: c.cr2, cr3: c.cr3, cr4: c.cr4, cr8: c.cr8, efer: c.efer, xcr0: c.xcr0, kernelGsBase: c.kernelGsBase,
    dr: c.dr.slice(), msrs: [...c.msrs].map(([k, v]) => [k, [v[0], v[1]]]), shadow: c.shadow, halted: c.halted,
    icount: c.icount, irqQueue: [...c.irqQueue],
  };
}

/** Restores a snapshot. `memoryChanged` drops decoded instructions (RAM was restored too). */
export function restoreCpu(c: Cpu, s: CpuSnapshot, memoryChanged = true): void {
  c.r.set(s.r); c.rh.set(s.rh); c.rip = s.rip; c.setFlags(s.flags);
  c.segSel.set(s.segSel); c.segBase.set(s.segBase); c.segLimit.set(s.segLimit); c.segAttr.set(s.segAttr);
  c.ldtr = { ...s.ldtr }; c.tr = { ...s.tr }; c.gdtr = { ...s.gdtr }; c.idtr = { ...s.idtr };
  c.cr0 = s.cr0; c.cr2 = s.cr2; c.cr3 = s.cr3; c.cr4 = s.cr4; c.cr8 = s.cr8; c.efer = s.efer; c.xcr0 = s.xcr0;
  c.kernelGsBase = s.kernelGsBase; c.dr.set(s.dr);
  c.msrs.clear();
  for (const [k, v] of s.msrs) c.msrs.set(k, [v[0], v[1]]);
  c.shadow = s.shadow; c.halted = s.halted; c.icount = s.icount;
  c.irqQueue.length = 0;
  c.irqQueue.push(...s.irqQueue);
  c.updateMode();
  c.flushTlb();
  if (memoryChanged) c.invalidateAllCode();
}

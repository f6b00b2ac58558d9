import { describe, expect, it } from 'vitest';
import { findExample } from '../examples';
import type { VcpuObj } from '../kernel';
import { createSimulation, type Simulation } from '.';

const GUEST_RIP = 0x681e;

function vmSim(id = 'x86-vm-serial'): Simulation {
  const e = findExample(id);
  if (!e) throw new Error(`example ${id} missing`);
  return createSimulation({ files: e.files, system: e.main }, { board: e.board, keepEvents: 0 });
}

function vcpu(sim: Simulation): VcpuObj {
  const p = sim.state.pds.find((x) => x.pd.virtualMachine)!;
  return sim.state.kernel.objects[p.tcb.vcpu] as VcpuObj;
}
const rip = (sim: Simulation): number => Number(vcpu(sim).vmcs.get(GUEST_RIP) ?? 0n);
const regs = (sim: Simulation): string => `${rip(sim)}:${Array.from(vcpu(sim).gpr).join(',')}`;

/** run until the guest has retired some instructions (past its boot by the VMM) */
async function intoGuest(sim: Simulation): Promise<void> {
  while (sim.snapshot().guestInstructions < 50) if (!(await sim.stepInstruction())) throw new Error('no guest');
}

describe('guest instruction stepping', () => {
  it('a step runs the guest for one instruction: one more retired (or an exit), RIP moves', async () => {
    const sim = vmSim();
    await intoGuest(sim);
    let moved = 0;
    for (let i = 0; i < 20; i++) {
      const before = sim.snapshot().guestInstructions;
      const at = rip(sim);
      expect(await sim.stepInstruction()).toBe(true);
      const n = sim.snapshot().guestInstructions - before;
      expect(n === 0 || n === 1).toBe(true);
      if (rip(sim) !== at) moved++;
    }
    expect(moved).toBeGreaterThan(10);
  });

  it('step back one instruction returns to the exact registers before it, over several steps', async () => {
    const sim = vmSim();
    await intoGuest(sim);
    const seen: { count: number; regs: string }[] = [];
    for (let i = 0; i < 8; i++) {
      seen.push({ count: sim.snapshot().guestInstructions, regs: regs(sim) });
      await sim.stepInstruction();
    }
    // back to each retired count we saw, newest first (steps that only exited retire nothing)
    const counts = [...new Set(seen.map((s) => s.count))].reverse();
    for (const c of counts) {
      while (sim.snapshot().guestInstructions > c) await sim.stepBackInstruction();
      expect(sim.snapshot().guestInstructions).toBe(c);
      expect(seen.some((s) => s.count === c && s.regs === regs(sim))).toBe(true);
    }
  });

  it('stepping by instructions changes no outcome: the guest prints the same as a free run', async () => {
    const free = vmSim();
    await free.run({ maxEvents: 1_000_000 });
    const stepped = vmSim();
    await intoGuest(stepped);
    for (let i = 0; i < 30; i++) await stepped.stepInstruction();
    await stepped.stepBackInstruction();
    await stepped.stepBackInstruction();
    await stepped.stepInstruction();
    expect(await stepped.run({ maxEvents: 1_000_000 })).toBe('idle');
    expect(stepped.snapshot().serial).toEqual(free.snapshot().serial);
    expect(stepped.snapshot().guestInstructions).toBe(free.snapshot().guestInstructions);
  });

  it('go to a step after instruction steps replays the same budgets (same registers)', async () => {
    const sim = vmSim();
    await intoGuest(sim);
    for (let i = 0; i < 5; i++) await sim.stepInstruction();
    const steps = sim.snapshot().steps;
    const here = regs(sim);
    await sim.goTo(steps);
    expect(regs(sim)).toBe(here);
  });
});

describe('guest-RIP breakpoints', () => {
  it('stop before the instruction at that RIP, anywhere in a slice, and continue past it', async () => {
    const probe = vmSim();
    await intoGuest(probe);
    for (let i = 0; i < 40; i++) await probe.stepInstruction();
    const target = rip(probe);
    const retiredThere = probe.snapshot().guestInstructions;

    const sim = vmSim();
    sim.addBreakpoint({ kind: 'guest-rip', rip: target });
    expect(await sim.run({ maxEvents: 1_000_000 })).toBe('breakpoint');
    const hit = sim.snapshot().breakpointHit;
    expect(hit).toMatchObject({ kind: 'guest-breakpoint', rip: target });
    expect(rip(sim)).toBe(target);
    expect(sim.snapshot().guestInstructions).toBeLessThanOrEqual(retiredThere);
    const first = sim.snapshot().guestInstructions;
    // replaying to this position gives the same state; continuing goes past the breakpoint
    const here = regs(sim);
    await sim.goTo(sim.snapshot().steps);
    expect(regs(sim)).toBe(here);
    const again = await sim.run({ maxEvents: 1_000_000 });
    if (again === 'breakpoint') expect(sim.snapshot().guestInstructions).toBeGreaterThan(first);
    else expect(again).toBe('idle');
  });
});

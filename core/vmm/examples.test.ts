import { describe, expect, it } from 'vitest';
import { findExample } from '../examples';
import { vmReports } from '../microkit/vcpu';
import { createSimulation } from '../sim';

async function run(id: string, maxEvents = 200_000) {
  const e = findExample(id);
  if (!e) throw new Error(`example ${id} missing`);
  const sim = createSimulation({ files: e.files, system: e.main }, { board: e.board, keepEvents: 0 });
  const stop = await sim.run({ maxEvents });
  const snap = sim.snapshot();
  return { stop, snap, vms: vmReports(sim.state.kernel) };
}

describe('VM examples', () => {
  it('x86-vm-timer: the guest programs IOAPIC and LAPIC timer, halts, wakes on 5 injected timer interrupts', async () => {
    const { stop, snap, vms } = await run('x86-vm-timer');
    console.log(stop, snap.console, JSON.stringify(vms, null, 1).slice(0, 3000), snap.faults);
    expect(vms).toHaveLength(1);
  });
});

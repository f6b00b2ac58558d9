import { describe, expect, it } from 'vitest';
import { findExample } from '../examples';
import { createSimulation } from './engine';
import type { TraceEvent } from './trace';
import { channel, lines, workspace } from './testing/systems';

function example(id: string) {
  const e = findExample(id)!;
  return { ws: { files: e.files, system: e.main }, board: e.board };
}

const strip = (e: TraceEvent): string => JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

describe('engine', { timeout: 30_000 }, () => {
  it('is deterministic: two runs of the same workspace give the same events, times and cores', async () => {
    const { ws, board } = example('timer-driver');
    const runs: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const sim = createSimulation(ws, { board });
      await sim.run();
      runs.push(sim.events.map(strip));
    }
    expect(runs[0].length).toBeGreaterThan(20);
    expect(runs[1]).toEqual(runs[0]);
  });

  it('stamps every event with a sequence number, simulated time that never decreases, and a core', async () => {
    const { ws, board } = example('notify-pingpong');
    const sim = createSimulation(ws, { board });
    await sim.run();
    const ev = sim.events;
    ev.forEach((e, i) => {
      expect(e.seq).toBe(i);
      expect(e.core).toBe(0);
      if (i > 0) expect(e.time).toBeGreaterThanOrEqual(ev[i - 1].time);
    });
    const kinds = new Set(ev.map((e) => e.kind));
    for (const k of ['schedule', 'signal', 'block', 'output', 'entry', 'notify']) expect(kinds.has(k as TraceEvent['kind'])).toBe(true);
  });

  it('steps one kernel entry at a time and steps back to any earlier point by replay', async () => {
    const { ws, board } = example('ppc-client-server');
    const sim = createSimulation(ws, { board });
    const consoles: string[] = [];
    for (let i = 0; i < 6; i++) {
      consoles.push(sim.snapshot().console);
      await sim.step();
    }
    const after6 = sim.snapshot();
    expect(after6.steps).toBe(6);
    await sim.stepBack();
    expect(sim.snapshot().steps).toBe(5);
    expect(sim.snapshot().console).toBe(consoles[5]);
    await sim.stepBack();
    await sim.stepBack();
    expect(sim.snapshot().console).toBe(consoles[3]);
    await sim.step();
    await sim.step();
    await sim.step();
    expect(sim.snapshot().console).toBe(after6.console);
  });

  it('goes to any step count by replay, reproducing the time and output of that point', async () => {
    const { ws, board } = example('notify-pingpong');
    const sim = createSimulation(ws, { board });
    const seen: { time: number; console: string }[] = [];
    for (let i = 0; i < 12; i++) {
      await sim.step();
      const s = sim.snapshot();
      seen.push({ time: s.time, console: s.console });
    }
    await sim.goTo(4);
    expect(sim.snapshot().steps).toBe(4);
    expect(sim.snapshot().console).toBe(seen[3].console);
    expect(sim.snapshot().time).toBe(seen[3].time);
    await sim.goTo(9);
    expect(sim.snapshot().console).toBe(seen[8].console);
  });

  it('a long replay gives its host a turn every few steps, and pause ends it early at a consistent position', async () => {
    const { ws, board } = example('x86-vm-timer');
    const sim = createSimulation(ws, { board });
    const seen: string[] = [];
    while (await sim.step()) seen.push(sim.snapshot().console);
    const end = sim.snapshot().steps;
    expect(end).toBeGreaterThan(100);
    let turns = 0;
    await sim.goTo(end, { every: 4, yield: async () => void turns++ });
    expect(turns).toBe(Math.floor(end / 4));
    expect(sim.snapshot().steps).toBe(end);
    // pause during the third turn: the replay stops there, at step 12, with that step's output
    turns = 0;
    await sim.goTo(end, { every: 4, yield: async () => void (++turns === 3 && sim.pause()) });
    expect(sim.snapshot().steps).toBe(12);
    expect(sim.snapshot().console).toBe(seen[11]);
    // and the run goes on from there as it went the first time
    await sim.goTo(end - 5);
    expect(sim.snapshot().console).toBe(seen[end - 6]);
  });

  it('runs for a number of events, pauses, and resets to the start', async () => {
    const { ws, board } = example('notify-pingpong');
    const sim = createSimulation(ws, { board });
    expect(await sim.runFor(10)).toBe('max-events');
    const n = sim.snapshot().events;
    expect(n).toBeGreaterThanOrEqual(10);
    expect(n).toBeLessThan(20);
    let count = 0;
    const off = sim.subscribe(() => {
      if (++count === 5) sim.pause();
    });
    expect(await sim.run()).toBe('paused');
    off();
    expect(await sim.run()).toBe('idle');
    sim.reset();
    expect(sim.snapshot().events).toBe(createSimulation(ws, { board }).snapshot().events);
    expect(sim.snapshot().steps).toBe(0);
    expect(sim.snapshot().console).toBe('');
  });

  it('stops at a breakpoint on a PD entry point', async () => {
    const { ws, board } = example('notify-pingpong');
    const sim = createSimulation(ws, { board });
    sim.addBreakpoint({ kind: 'entry', pd: 'pong', entry: 'notified' });
    expect(await sim.run()).toBe('breakpoint');
    const s = sim.snapshot();
    expect(s.breakpointHit).toMatchObject({ kind: 'entry', pd: 'pong', entry: 'notified', ch: 0 });
    expect(lines(s.console).slice(-2)).toEqual(['ping: round 1, notify pong', 'pong: notified on 0 (1), notify ping']);
    sim.clearBreakpoints();
    expect(await sim.run()).toBe('idle');
  });

  it('stops at breakpoints on a channel, a fault and an IRQ', async () => {
    const chan = createSimulation(example('ring-buffer').ws, { board: 'x86_64_generic_vtx' });
    chan.addBreakpoint({ kind: 'channel', pd: 'consumer', ch: 0 });
    expect(await chan.run()).toBe('breakpoint');
    expect(chan.snapshot().breakpointHit).toMatchObject({ kind: 'entry', pd: 'consumer', entry: 'notified' });

    const fault = createSimulation(example('pd-hierarchy').ws, { board: 'x86_64_generic_vtx' });
    fault.addBreakpoint({ kind: 'fault', pd: 'child' });
    expect(await fault.run()).toBe('breakpoint');
    expect(fault.snapshot().faults).toHaveLength(1);

    const irq = createSimulation(example('timer-driver').ws, { board: 'x86_64_generic_vtx' });
    irq.addBreakpoint({ kind: 'irq', pd: 'timer', id: 1 });
    expect(await irq.run()).toBe('breakpoint');
    expect(irq.snapshot().time).toBeGreaterThanOrEqual(1_000_000);
  });

  it('delivers trace events to subscribers and reports thread states in snapshots', async () => {
    const ws = workspace(
      [
        { name: 'a', priority: 10, program: `export default { async init(mk) { await mk.notify(0); } };` },
        { name: 'b', priority: 5, program: `export default { async notified(mk) { mk.dbg_puts('b\\n'); } };` },
      ],
      [channel('a', 0, 'b', 0)],
    );
    const sim = createSimulation(ws, { board: 'x86_64_generic_vtx' });
    const seen: string[] = [];
    const off = sim.subscribe((e) => seen.push(e.kind));
    await sim.run();
    off();
    expect(seen).toContain('notify');
    expect(seen).toContain('output');
    const snap = sim.snapshot();
    expect(snap.threads.map((t) => [t.name, t.state])).toEqual([
      ['monitor', 'BlockedOnReceive'],
      ['a', 'BlockedOnNotification'],
      ['b', 'BlockedOnNotification'],
    ]);
    expect(snap.output).toEqual({ monitor: 'MON|INFO: Microkit Monitor started!\n', b: 'b\n' });
  });

  it('keeps the timer line asserted while its IRQ is masked and delivers it after the ack', async () => {
    const sys = `<?xml version="1.0"?>
<system>
  <memory_region name="t" size="0x1000" phys_addr="0xfed10000" />
  <protection_domain name="drv" priority="10">
    <program_image path="drv.elf" />
    <map mr="t" vaddr="0x5000000" perms="rw" cached="false" />
    <irq pin="8" vector="40" id="3" />
  </protection_domain>
</system>`;
    const drv = `let n = 0;
export default {
  async init(mk) { mk.write32(0x5000008, 10); },
  async notified(mk, ch) {
    n++;
    mk.dbg_puts('irq ' + n + ' on ' + ch + '\\n');
    if (n === 1) {
      mk.write32(0x5000008, 1);                 // fires again while the IRQ is still masked
      for (let i = 0; i < 5; i++) await mk.notify(7);  // invalid channel: no kernel entry, just time passing
      await mk.irq_ack(3);
    } else {
      mk.write32(0x500000c, 1);
      await mk.irq_ack(3);
    }
  },
};`;
    const sim = createSimulation({ files: { 'a.system': sys, 'drv.js': drv }, system: 'a.system' }, { board: 'x86_64_generic_vtx' });
    await sim.run();
    expect(lines(sim.snapshot().console).filter((l) => l.startsWith('irq'))).toEqual(['irq 1 on 3', 'irq 2 on 3']);
  });

  it('rejects a workspace whose program file is missing', () => {
    const ws = workspace([{ name: 'x', priority: 1, program: '' }]);
    delete ws.files['x.js'];
    expect(() => createSimulation(ws, { board: 'x86_64_generic_vtx' })).toThrow("unable to find program image: 'x.elf'");
  });
});

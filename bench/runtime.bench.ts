/** Runtime speed: kernel trace events per second for a two-priority notification ping-pong and for a PPC loop,
 * run headless in Node (target: at least 500,000 events per second). */
import type { BenchRow } from './run';
import { createSimulation } from '../core/sim';
import { channel, workspace } from '../core/sim/testing/systems';

const ROUNDS = 20_000;

const pingPong = workspace(
  [
    { name: 'ping', priority: 100, program: `let n = 0; export default { async init(mk) { await mk.notify(0); }, async notified(mk) { if (++n < ${ROUNDS}) await mk.notify(0); } };` },
    { name: 'pong', priority: 200, program: `export default { async notified(mk) { await mk.notify(0); } };` },
  ],
  [channel('ping', 0, 'pong', 0)],
);

const ppcLoop = workspace(
  [
    { name: 'client', priority: 100, program: `export default { async init(mk) { for (let i = 0; i < ${ROUNDS}; i++) { mk.mr_set(0, i); await mk.ppcall(0, mk.msginfo_new(1, 1)); } } };` },
    { name: 'server', priority: 200, program: `export default { async protected(mk, ch, m) { mk.mr_set(0, mk.mr_get(0) + 1); return mk.msginfo_new(0, 1); } };` },
  ],
  [channel('client', 0, 'server', 0, 'pp="true"')],
);

async function measure(name: string, ws: ReturnType<typeof workspace>): Promise<BenchRow[]> {
  let best = 0;
  let events = 0;
  let steps = 0;
  // best of 5: the first runs warm up the JIT, and the machine is shared
  for (let i = 0; i < 5; i++) {
    const sim = createSimulation(ws, { board: 'x86_64_generic_vtx', keepEvents: 0 });
    const t0 = performance.now();
    await sim.run({ maxEvents: 10_000_000 });
    const ms = performance.now() - t0;
    const s = sim.snapshot();
    events = s.events;
    steps = s.steps;
    best = Math.max(best, events / (ms / 1000));
  }
  return [
    { name: `${name}: kernel events per second`, value: best, unit: 'events/s', target: '>= 500,000', note: `${events} events, ${steps} kernel entries per run` },
  ];
}

export default async function runtimeBench(): Promise<BenchRow[]> {
  return [...(await measure('notification ping-pong (2 priorities)', pingPong)), ...(await measure('PPC loop', ppcLoop))];
}

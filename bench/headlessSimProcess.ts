/** The headless simulation in a Node process of its own, for bench/ui-run: Playwright's client, loaded in the
 * bench's process, turns on async hooks that make every await there slower (about a fifth, for this promise-driven
 * engine), so the headless figure is measured away from it. Protocol on stdin/stdout, one JSON line each: first
 * the workspace ({files, main, board}), then a number of ms per round; each round answers events per second. */
import { createInterface } from 'node:readline';
import { createSimulation, type Simulation } from '../core/sim';

let sim: Simulation | null = null;
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const msg = JSON.parse(line) as { files: Record<string, string>; main: string; board: string } | number;
  if (typeof msg !== 'number') {
    sim = createSimulation({ files: msg.files, system: msg.main }, { board: msg.board, keepEvents: 0 });
    // the service listens to every event (exit log, consoles, timeline): the headless figure listens too, cheaply
    sim.subscribe(() => {});
    await sim.run({ maxEvents: 200_000 }); // JIT and block-compiler warm-up, as the UI rounds have
    process.stdout.write('ready\n');
    continue;
  }
  if (!sim) throw new Error('no workspace yet');
  const start = sim.snapshot().events;
  const t0 = performance.now();
  while (performance.now() - t0 < msg) await sim.run({ maxEvents: 20_000 });
  process.stdout.write(`${((sim.snapshot().events - start) * 1000) / (performance.now() - t0)}\n`);
}

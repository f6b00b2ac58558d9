/** A bare Web Worker that runs a workspace on core/sim with no UI and no service around it: the browser's own
 * headless speed, for bench/ui-run. Each message runs the (kept, warm) simulation for `ms` and answers events/s. */
/// <reference lib="webworker" />
import { createSimulation, type Simulation } from '../core/sim';

let sim: Simulation | null = null;
self.onmessage = async (m: MessageEvent<{ files: Record<string, string>; main: string; board: string; ms: number }>) => {
  const { files, main, board, ms } = m.data;
  if (!sim) {
    sim = createSimulation({ files, system: main }, { board, keepEvents: 0 });
    sim.subscribe(() => {});
    await sim.run({ maxEvents: 200_000 });
  }
  const start = sim.snapshot().events;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) await sim.run({ maxEvents: 20_000 });
  self.postMessage(((sim.snapshot().events - start) * 1000) / (performance.now() - t0));
};

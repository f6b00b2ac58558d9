/** The headless speed of a workspace, measured the same way wherever it runs (a Node process, a bare browser
 * worker): one simulation kept warm across rounds, each round run for `ms` and answered in trace events/s. */
import { createSimulation } from '../core/sim';
import type { Workspace } from './workloads';

export async function warmSimulation(ws: Workspace): Promise<(ms: number) => Promise<number>> {
  const sim = createSimulation({ files: ws.files, system: ws.main }, { board: ws.board, keepEvents: 0 });
  // the service listens to every event (exit log, consoles, timeline): the headless figure listens too, cheaply
  sim.subscribe(() => {});
  await sim.run({ maxEvents: 200_000 }); // JIT and block-compiler warm-up, as the UI rounds have
  return async (ms) => {
    const start = sim.snapshot().events;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) await sim.run({ maxEvents: 20_000 });
    return ((sim.snapshot().events - start) * 1000) / (performance.now() - t0);
  };
}

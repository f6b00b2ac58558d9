/** A bare Web Worker that runs a workspace on core/sim with no UI and no service around it: the browser's own
 * headless speed, for bench/ui-run. Each message runs the (kept, warm) simulation for `ms` and answers events/s. */
/// <reference lib="webworker" />
import { warmSimulation } from './simRate';
import type { Workspace } from './workloads';

let round: ((ms: number) => Promise<number>) | null = null;
self.onmessage = async (m: MessageEvent<Workspace & { ms: number }>) => {
  round ??= await warmSimulation(m.data);
  self.postMessage(await round(m.data.ms));
};

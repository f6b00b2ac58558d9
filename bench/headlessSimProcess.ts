/** The headless simulation in a Node process of its own, for bench/ui-run: Playwright's client, loaded in the
 * bench's process, turns on async hooks that make every await there slower (about a fifth, for this promise-driven
 * engine), so the headless figure is measured away from it. Protocol on stdin/stdout, one JSON line each: first
 * the workspace ({files, main, board}), then a number of ms per round; each round answers events per second. */
import { createInterface } from 'node:readline';
import { warmSimulation } from './simRate';
import type { Workspace } from './workloads';

let round: ((ms: number) => Promise<number>) | null = null;
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const msg = JSON.parse(line) as Workspace | number;
  if (typeof msg !== 'number') {
    round = await warmSimulation(msg);
    process.stdout.write('ready\n');
    continue;
  }
  if (!round) throw new Error('no workspace yet');
  process.stdout.write(`${await round(msg)}\n`);
}

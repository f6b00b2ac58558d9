/** Profile helper: `node --cpu-prof --import tsx bench/sdf-profile.ts [runs]` runs checkSdf on the maximal system and prints wall (best, median) and CPU time per run. */
import { findBoard } from '../core/boards';
import { checkSdf, maximalSystem } from '../core/sdf';

const kernel = findBoard('x86_64_generic_vtx')!.kernel;
const text = maximalSystem();
const n = Number(process.argv[2] ?? 60);
const times: number[] = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  checkSdf(text, { fileName: 'maximal.system', kernel });
  times.push(performance.now() - t0);
}
const cpu = process.cpuUsage(cpu0);
times.sort((a, b) => a - b);
console.log(`best ${times[0].toFixed(2)} ms, median ${times[n >> 1].toFixed(2)} ms (n=${n}), cpu ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms/run`);

/** Profiling driver: builds the maximal system repeatedly (run with node --cpu-prof --import tsx). */
import { findBoard } from '../../core/boards';
import { checkSdf } from '../../core/sdf';
import { maximalSystem } from '../../core/sdf/maximal';
import { buildSystem } from '../../core/build';

const board = findBoard('x86_64_generic_vtx')!;
const checked = checkSdf(maximalSystem(), { fileName: 'bench.system', kernel: board.kernel });
const system = checked.system!;
const n = Number(process.argv[2] ?? 20);
for (let i = 0; i < 3; i++) buildSystem(system, { board });
const times: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  buildSystem(system, { board });
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const med = (a: number[]): string => a[Math.floor(a.length / 2)].toFixed(1);
console.log(`wall median ${med(times)} ms, min ${times[0].toFixed(1)} ms; cpu median ${med(cpu)} ms, min ${cpu[0].toFixed(1)} ms`);

/** Sampled allocations (including collected objects) of building the maximal system, by allocating function. */
import { Session } from 'node:inspector';
import { findBoard } from '../../core/boards';
import { checkSdf } from '../../core/sdf';
import { maximalSystem } from '../../core/sdf/maximal';
import { buildSystem } from '../../core/build';

const board = findBoard('x86_64_generic_vtx')!;
const system = checkSdf(maximalSystem(), { fileName: 'bench.system', kernel: board.kernel }).system!;
for (let i = 0; i < 3; i++) buildSystem(system, { board });
const s = new Session();
s.connect();
const post = (m: string, p?: object): Promise<any> => new Promise((res, rej) => s.post(m, p, (e, r) => (e ? rej(e) : res(r))));
const runs = 5;
await post('HeapProfiler.enable');
await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (let i = 0; i < runs; i++) buildSystem(system, { board });
const { profile } = await post('HeapProfiler.stopSampling');
const self = new Map<string, number>();
let total = 0;
const walk = (n: any): void => {
  const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`;
  total += n.selfSize;
  if (n.selfSize) self.set(key, (self.get(key) ?? 0) + n.selfSize);
  for (const c of n.children) walk(c);
};
walk(profile.head);
console.log(`allocated per build: ${(total / runs / 1e6).toFixed(1)} MB`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[2] ?? 30))) console.log(`${(v / runs / 1e6).toFixed(2)} MB  ${k}`);

/** Allocation profile (objects collected by GC included) of checkSdf on the maximal system: `node --import tsx bench/sdf-profile-heap.ts`. */
import { Session } from 'node:inspector/promises';
import { findBoard } from '../core/boards';
import { checkSdf, maximalSystem } from '../core/sdf';

const kernel = findBoard('x86_64_generic_vtx')!.kernel;
const text = maximalSystem();
checkSdf(text, { fileName: 'maximal.system', kernel });
const s = new Session();
s.connect();
await s.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
const n = 20;
for (let i = 0; i < n; i++) checkSdf(text, { fileName: 'maximal.system', kernel });
const { profile } = (await s.post('HeapProfiler.stopSampling')) as { profile: { head: Node } };
interface Node { callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; selfSize: number; children: Node[] }
const m = new Map<string, number>();
let total = 0;
const walk = (nd: Node, parent: string) => {
  const cf = nd.callFrame;
  const k = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-1)[0]}:${cf.lineNumber + 1}:${cf.columnNumber + 1}` + (cf.url ? '' : ` <- ${parent}`);
  m.set(k, (m.get(k) ?? 0) + nd.selfSize);
  total += nd.selfSize;
  for (const c of nd.children) walk(c, cf.url ? `${cf.functionName} ${cf.url.split('/').slice(-1)[0]}` : parent);
};
walk(profile.head, '');
console.log(`total ${(total / n / 1e6).toFixed(2)} MB/run`);
for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((v / n / 1e3).toFixed(0).padStart(7), 'KB', k);

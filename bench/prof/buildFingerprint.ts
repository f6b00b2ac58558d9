/** Prints a hash of everything a build produces (description, kernel slots and objects, setvars, diagnostics)
 * for the maximal system, a VM and every conformance example in both boot modes: to check that speed-ups keep
 * the build's output identical. Usage: tsx bench/prof/buildFingerprint.ts <shared dir> */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { boardKernel, findBoard } from '../../core/boards';
import { checkSdf } from '../../core/sdf';
import { maximalSystem } from '../../core/sdf/maximal';
import { buildSystem } from '../../core/build';
import { exampleBoard } from '../../core/build/testing';

const shared = process.argv[2];
const jsonOf = (x: unknown): string => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v.entries()].map(([a, b]) => [typeof a === 'object' ? a?.id ?? a?.name : a, b]) : v));
function fingerprint(name: string, text: string, board: string, smp: boolean, readFile?: (p: string) => Uint8Array): void {
  const b = findBoard(board)!;
  const r = checkSdf(text, { fileName: name, kernel: boardKernel(b, { smp }), readFile });
  if (!r.system) { console.log(name, 'rejected'); return; }
  for (const mode of ['current', 'legacy'] as const) {
    const res = buildSystem(r.system, { board: b, bootMode: mode, smp });
    const h = createHash('sha256');
    h.update(jsonOf(res.description));
    h.update(jsonOf(res.diagnostics));
    h.update(jsonOf(res.setvars));
    const k = res.kernel;
    if (k) {
      h.update(jsonOf(k.slots.caps.map((c) => c && { ...c, paddr: c.pa })));
      h.update(Buffer.from(k.slots.prev.buffer, 0, k.slots.size * 4));
      h.update(Buffer.from(k.slots.next.buffer, 0, k.slots.size * 4));
      h.update(Buffer.from(k.slots.flags.buffer, 0, k.slots.size));
      h.update(jsonOf(k.objects.map((o) => o && { id: o.id, type: o.type, pa: (o as { pa?: number }).pa, sizeBits: (o as { sizeBits?: number }).sizeBits, name: (o as { name?: string }).name })));
    }
    if (res.realised) h.update(jsonOf(res.realised));
    if (res.spec) h.update(jsonOf(res.spec.objects.map((o) => [o.id, o.name, o.kind, o.sizeBits, o.paddr])));
    console.log(name, mode, res.ok, h.digest('hex').slice(0, 16));
  }
}
fingerprint('maximal', maximalSystem(), 'x86_64_generic_vtx', false);
const dir = path.join(shared, 'conformance/examples');
for (const sub of readdirSync(dir)) for (const f of readdirSync(path.join(dir, sub))) {
  const text = readFileSync(path.join(dir, sub, f), 'utf8');
  const readFile = (p: string) => { const full = path.join(dir, sub, p); return existsSync(full) ? new Uint8Array(readFileSync(full)) : new Uint8Array(64); };
  fingerprint(`${sub}/${f}`, text, exampleBoard(f, text), /(^|[-_])smp([-_.]|$)/.test(f), readFile);
}

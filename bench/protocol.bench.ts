/** The editor's round trip inside the core: how long the worker needs to answer an edit
 * of the default example (re-check, diagnostics, graph model), a completion and a hover. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCoreService } from '../core/protocol';
import { coreBackends } from '../core/protocol/backends';
import type { BenchRow } from './run';
import { medianMs } from './util';

export default async function bench(): Promise<BenchRow[]> {
  // core/examples loads files with import.meta.glob (Vite only), so read the folder directly here.
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../core/examples/x86-vm-basic');
  const files = Object.fromEntries(readdirSync(dir).filter((f) => !f.endsWith('.json')).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
  const main = 'vm_basic.system';
  const service = createCoreService(coreBackends);
  service.handle({ kind: 'workspace.open', workspace: { files, board: 'x86_64_generic_vtx', main } });
  const text = files[main]!;
  const line = text.split('\n').findIndex((l) => l.includes('name="client"')) + 1;
  let n = 0;
  const edit = medianMs(() => void service.handle({ kind: 'file.update', path: main, text: `${text}<!-- ${n++} -->` }), 21, 5);
  const complete = medianMs(() => void service.handle({ kind: 'sdf.complete', path: main, line: line + 1, column: 9 }), 21, 5);
  const hover = medianMs(() => void service.handle({ kind: 'sdf.hover', path: main, line, column: 40 }), 21, 5);
  return [
    { name: 'protocol: edit -> diagnostics + system (default example)', value: edit, unit: 'ms', target: '< 16 ms (one frame)' },
    { name: 'protocol: completion in a PD', value: complete, unit: 'ms', target: '< 16 ms' },
    { name: 'protocol: hover on an attribute', value: hover, unit: 'ms', target: '< 16 ms' },
  ];
}

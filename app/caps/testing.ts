/** Test helper: a real BuildView of a gallery example, built by the core service the worker runs. */
import { findExample } from '../../core/examples';
import type { BuildView, SystemDescription } from '../../core/protocol';
import { coreBackends } from '../../core/protocol/backends';
import { createCoreService } from '../../core/protocol/service';

export function builtExample(id: string, bootMode: BuildView['bootMode'] = 'current', edit?: (text: string) => string) {
  const e = findExample(id);
  if (!e) throw new Error(`no example '${id}'`);
  const files = { ...e.files };
  if (edit) files[e.main] = edit(files[e.main]);
  const svc = createCoreService(coreBackends);
  const opened = svc.handle({ kind: 'workspace.open', workspace: { files, board: e.board, main: e.main } });
  const sys = opened.events.find((x) => x.type === 'system' && x.path === e.main);
  const system: SystemDescription | null = sys && sys.type === 'system' ? sys.system : null;
  const view = svc.handle({ kind: 'build.run', bootMode }).result;
  return { svc, view, system };
}

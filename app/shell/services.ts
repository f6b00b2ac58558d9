/** The app's services, created once at start-up and handed to React through a
 * context: the stores, the core client and the two registries. Actions receive
 * this object as their context, so the palette, toolbar and tests share one API. */
import type { WorkspaceSnapshot } from '../../core/protocol';
import { createActionRegistry, type ActionRegistry } from '../actions/registry';
import { createProblemsStore, type ProblemsStore } from '../problems/store';
import { createViewRegistry, type ViewRegistry } from '../views/registry';
import { createEventHub, type EventHub } from '../worker/eventHub';
import { createCoreClient, type CoreClient, type WorkerLike } from '../worker/client';
import { syncWorkspace, type WorkspaceSync } from '../worker/sync';
import { createWorkspaceStore, snapshotOf, type WorkspaceStore } from '../workspace/store';
import { createUiStore, type Theme, type UiStore } from './uiStore';

export interface Services {
  workspace: WorkspaceStore;
  problems: ProblemsStore;
  ui: UiStore;
  core: CoreClient;
  /** core events by type, for views that want more than the stores keep */
  events: EventHub;
  sync: WorkspaceSync;
  actions: ActionRegistry<Services>;
  views: ViewRegistry;
}

export function createServices(initial: WorkspaceSnapshot & { active?: string }, theme: Theme, spawn: () => WorkerLike): Services {
  const workspace = createWorkspaceStore(initial);
  if (initial.active && initial.active in initial.files) workspace.getState().setActive(initial.active);
  const problems = createProblemsStore();
  const ui = createUiStore(theme);
  const events = createEventHub();
  events.on('diagnostics', (e) => problems.getState().applyEvent(e));
  events.on('system', (e) => problems.getState().applyEvent(e));
  const core = createCoreClient({
    spawn,
    workspace: () => snapshotOf(workspace.getState()),
    onEvent: (e) => events.emit(e),
    onStatus: (status, detail) => {
      problems.getState().setCoreStatus(status, detail);
      if (status === 'restarting') ui.getState().notify('error', `The simulator core crashed and was restarted (${detail ?? 'unknown error'}). Your files are safe.`);
      if (status === 'failed') ui.getState().notify('error', `The simulator core keeps failing: ${detail ?? ''}. Reload the page; your files are saved.`);
    },
  });
  const sync = syncWorkspace(workspace, core);
  workspace.subscribe((next, prev) => {
    for (const path of Object.keys(prev.files)) if (!(path in next.files)) problems.getState().forgetFile(path);
  });
  return { workspace, problems, ui, core, events, sync, actions: createActionRegistry<Services>(), views: createViewRegistry() };
}

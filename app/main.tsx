/** Start-up: pick the workspace (a share link, else the autosaved one, else the
 * default example), create the services, register actions and views, render. */
import { lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { defaultExample } from '../core/examples';
import type { WorkspaceSnapshot } from '../core/protocol';
import { APP_ACTIONS } from './actions/appActions';
import { installBuildViews } from './caps';
import { installFidelityView } from './fidelity/install';
import { FilesView } from './files/FilesView';
import { ProblemsView, problemsBadge } from './problems/ProblemsView';
import { installRunViews } from './run';
import { App } from './shell/App';
import { ServicesContext } from './shell/hooks';
import { createServices } from './shell/services';
import type { Theme } from './shell/uiStore';
import { autosave, loadSavedWorkspace } from './workspace/persist';
import { decodeShareLink, isShareLink } from './workspace/shareLink';
import type { WorkerLike } from './worker/client';
import CoreWorker from './worker/core.worker?worker';
import './theme/app.css';

// d3 and the graph code load after the first paint, like Monaco.
const GraphView = lazy(() => import('./graph/GraphView').then((m) => ({ default: m.GraphView })));

async function initialWorkspace(): Promise<{ ws: WorkspaceSnapshot & { active?: string }; notice?: [kind: 'info' | 'error', text: string] }> {
  const hash = location.hash;
  if (isShareLink(hash)) {
    // The link is consumed: from now on the workspace lives in this browser, and a reload keeps edits.
    history.replaceState(null, '', location.pathname + location.search);
    try {
      return { ws: decodeShareLink(hash), notice: ['info', 'Opened the workspace from the shared link.'] };
    } catch (e) {
      const saved = await loadSavedWorkspace();
      return { ws: saved ?? fromExample(), notice: ['error', e instanceof Error ? e.message : String(e)] };
    }
  }
  return { ws: (await loadSavedWorkspace()) ?? fromExample() };
}

function fromExample(): WorkspaceSnapshot {
  const e = defaultExample();
  return { files: { ...e.files }, board: e.board, main: e.main };
}

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem('microkit-studio/theme');
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    /* no storage */
  }
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

async function start() {
  // Fetch and compile Monaco while the saved workspace is read and the shell renders; the editor's
  // own import() later gets the same module.
  void import('./editor/monacoSetup');
  const root = createRoot(document.getElementById('root')!);
  const { ws, notice } = await initialWorkspace();
  const services = createServices(ws, initialTheme(), () => new CoreWorker({ name: 'microkit-core' }) as unknown as WorkerLike);
  for (const a of APP_ACTIONS) services.actions.register(a);
  services.views.register({ id: 'files', title: 'Files', area: 'left', order: 0, component: FilesView });
  services.views.register({ id: 'graph', title: 'System graph', area: 'right', order: 0, component: GraphView });
  installBuildViews(services);
  installRunViews(services);
  installFidelityView(services);
  services.views.register({ id: 'problems', title: 'Problems', area: 'bottom', order: 0, component: ProblemsView, badge: () => problemsBadge(services.problems.getState().byFile) });
  autosave(services.workspace, (state, error) => {
    services.ui.getState().setSaveState(state);
    if (error) services.ui.getState().notify('error', error);
  });
  if (notice) services.ui.getState().notify(...notice);
  // A share link pasted into the address bar of an open app: ask before replacing the files.
  window.addEventListener('hashchange', () => {
    if (!isShareLink(location.hash)) return;
    const hash = location.hash;
    history.replaceState(null, '', location.pathname + location.search);
    try {
      const shared = decodeShareLink(hash);
      services.ui.getState().openDialog({
        kind: 'confirm',
        text: 'Open the shared workspace? It replaces the files you have open now.',
        confirmLabel: 'Open',
        onConfirm: () => services.workspace.getState().open(shared),
      });
    } catch (e) {
      services.ui.getState().notify('error', e instanceof Error ? e.message : String(e));
    }
  });
  (window as unknown as { __studio?: unknown }).__studio = services;
  root.render(
    <ServicesContext.Provider value={services}>
      <App />
    </ServicesContext.Provider>,
  );
}

void start();

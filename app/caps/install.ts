/** Registers the capability, memory and console views and keeps the build in step with the main system. */
import { lazy } from 'react';
import type { Services } from '../shell/services';
import { createBuildStore, type BuildStore } from './buildStore';

let store: BuildStore | null = null;

export function buildStore(): BuildStore {
  if (!store) throw new Error('the build views are not installed');
  return store;
}

const CapsView = lazy(() => import('./CapsView').then((m) => ({ default: m.CapsView })));
const MemoryView = lazy(() => import('../memory/MemoryView').then((m) => ({ default: m.MemoryView })));
const ConsoleView = lazy(() => import('../console/ConsoleView').then((m) => ({ default: m.ConsoleView })));

/** a build after every edit would queue behind typing: wait until the system is quiet */
const REBUILD_DELAY_MS = 350;

export function installBuildViews(services: Services): BuildStore {
  const s = createBuildStore(services.core);
  store = s;
  let timer: ReturnType<typeof setTimeout> | null = null;
  services.events.on('system', (e) => {
    if (!e.system) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void s.getState().rebuild(), REBUILD_DELAY_MS);
  });
  services.views.register({ id: 'caps', title: 'Capabilities', area: 'right', order: 10, component: CapsView, badge: () => countBadge(s) });
  services.views.register({ id: 'memory', title: 'Memory', area: 'right', order: 20, component: MemoryView });
  services.views.register({ id: 'console', title: 'seL4 console', area: 'bottom', order: 10, component: ConsoleView });
  return s;
}

function countBadge(s: BuildStore): string | null {
  const n = s.getState().view?.caps.length;
  return n ? String(n) : null;
}

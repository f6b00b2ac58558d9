/** Registers the run controls and the run views (run & breakpoints, VM exits, VCPU, consoles, timeline), feeds the
 * run store from the core's progress events, and marks the simulation stale when the workspace changes. */
import { lazy } from 'react';
import type { Services } from '../shell/services';
import { RUN_ACTIONS } from './actions';
import { createRunStore, type RunStore } from './runStore';

let store: RunStore | null = null;

export function runStore(): RunStore {
  if (!store) throw new Error('the run views are not installed');
  return store;
}

const RunView = lazy(() => import('./RunView').then((m) => ({ default: m.RunView })));
const VmExitsView = lazy(() => import('../vmexits/VmExitsView').then((m) => ({ default: m.VmExitsView })));
const VcpuView = lazy(() => import('../vcpu/VcpuView').then((m) => ({ default: m.VcpuView })));
const ConsolesView = lazy(() => import('../consoles/ConsolesView').then((m) => ({ default: m.ConsolesView })));
const TimelineView = lazy(() => import('../timeline/TimelineView').then((m) => ({ default: m.TimelineView })));

export function installRunViews(services: Services): RunStore {
  const s = createRunStore(services.core);
  store = s;
  for (const a of RUN_ACTIONS) services.actions.register(a);
  services.events.on('sim.progress', (e) => {
    // pictures while running, and while a long replay (go to, step back) is on its way
    if (s.getState().running || (s.getState().busy && e.view.position.replayingTo != null)) s.getState().applyProgress(e.view);
  });
  // the toolbar's enabled states read the run store
  s.subscribe((n, p) => {
    const guests = (v: typeof n.view) => (v?.loaded ? v.vms.length : -1);
    if (n.busy !== p.busy || n.running !== p.running || (n.view?.position.steps ?? 0) > 0 !== (p.view?.position.steps ?? 0) > 0 || guests(n.view) !== guests(p.view)) services.actions.refresh();
  });
  // the exit-count badge: redrawn when the count changes, at most twice a second while running
  let badgeAt = 0;
  s.subscribe((n, p) => {
    if ((n.view?.exitTotal ?? 0) === (p.view?.exitTotal ?? 0) && n.running === p.running) return;
    const now = performance.now();
    if (n.running && now - badgeAt < 500) return;
    badgeAt = now;
    services.views.refresh();
  });
  services.workspace.subscribe((next, prev) => {
    if (next.files !== prev.files || next.board !== prev.board || next.main !== prev.main) s.getState().markStale();
  });
  services.views.register({ id: 'run', title: 'Run', area: 'bottom', order: 20, component: RunView });
  services.views.register({ id: 'vm-exits', title: 'VM exits', area: 'bottom', order: 21, component: VmExitsView, badge: () => countBadge(s) });
  services.views.register({ id: 'consoles', title: 'Consoles', area: 'bottom', order: 22, component: ConsolesView });
  services.views.register({ id: 'timeline', title: 'Timeline', area: 'bottom', order: 23, component: TimelineView });
  services.views.register({ id: 'vcpu', title: 'VCPU', area: 'right', order: 30, component: VcpuView });
  return s;
}

function countBadge(s: RunStore): string | null {
  const n = s.getState().view?.exitTotal;
  return n ? n.toLocaleString('en') : null;
}

/** A dock area: the tabs of the views registered for it, and the active view. */
import { Suspense, useSyncExternalStore } from 'react';
import type { DockArea } from '../views/registry';
import { useProblems, useServices, useUi } from './hooks';

export function Dock({ area, className }: { area: DockArea; className?: string }) {
  const services = useServices();
  useSyncExternalStore(
    (l) => services.views.subscribe(l),
    () => services.views.version(),
  );
  useProblems((p) => p.byFile);
  const activeId = useUi((u) => u.activeView[area]);
  const views = services.views.inArea(area);
  const active = views.find((v) => v.id === activeId) ?? views[0];
  if (!active) return null;
  const View = active.component;
  return (
    <section className={`dock dock-${area} ${className ?? ''}`} data-testid={`dock-${area}`}>
      <div className="dock-tabs" role="tablist">
        {views.map((v) => {
          const badge = v.badge?.();
          return (
            <button
              key={v.id}
              role="tab"
              aria-selected={v.id === active.id}
              className={`dock-tab${v.id === active.id ? ' active' : ''}`}
              data-testid={`tab-${v.id}`}
              onClick={() => services.ui.getState().showView(area, v.id)}
            >
              {v.title}
              {badge && <span className="count">{badge}</span>}
            </button>
          );
        })}
      </div>
      <div className="dock-body" role="tabpanel">
        <Suspense fallback={<div className="empty-state">Loading…</div>}>
          <View />
        </Suspense>
      </div>
    </section>
  );
}

/** Views register themselves into dock areas, as actions do into the action
 * registry: later views (capability tree, memory maps, VM exits, consoles,
 * timeline) add one `registerView` call and appear as a tab. */
import type { ComponentType } from 'react';

export type DockArea = 'left' | 'right' | 'bottom';

export interface ViewDefinition {
  id: string;
  title: string;
  area: DockArea;
  /** lower comes first */
  order: number;
  component: ComponentType;
  /** small text after the title, e.g. a count */
  badge?: () => string | null;
}

type Listener = () => void;

export interface ViewRegistry {
  register(view: ViewDefinition): () => void;
  inArea(area: DockArea): ViewDefinition[];
  get(id: string): ViewDefinition | undefined;
  subscribe(listener: Listener): () => void;
  /** bumps on every change, for useSyncExternalStore */
  version(): number;
  /** a view's badge changed: redraw the tabs */
  refresh(): void;
}

export function createViewRegistry(): ViewRegistry {
  const views = new Map<string, ViewDefinition>();
  const listeners = new Set<Listener>();
  let version = 0;
  const changed = () => {
    version++;
    listeners.forEach((l) => l());
  };
  return {
    register(view) {
      if (views.has(view.id)) throw new Error(`view '${view.id}' is already registered`);
      views.set(view.id, view);
      changed();
      return () => {
        views.delete(view.id);
        changed();
      };
    },
    inArea: (area) => [...views.values()].filter((v) => v.area === area).sort((a, b) => a.order - b.order),
    get: (id) => views.get(id),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    version: () => version,
    refresh: changed,
  };
}

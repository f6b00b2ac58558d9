/** React access to the services and their stores. */
import { createContext, useContext, useSyncExternalStore } from 'react';
import { useStore } from 'zustand';
import type { ProblemsState } from '../problems/store';
import type { WorkspaceState } from '../workspace/store';
import type { Services } from './services';
import type { UiState } from './uiStore';

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('ServicesContext is missing');
  return s;
}

export const useWorkspace = <T,>(selector: (s: WorkspaceState) => T): T => useStore(useServices().workspace, selector);
export const useProblems = <T,>(selector: (s: ProblemsState) => T): T => useStore(useServices().problems, selector);
export const useUi = <T,>(selector: (s: UiState) => T): T => useStore(useServices().ui, selector);

/** Re-render when actions are registered or removed, or when any store changes
 * (enabled predicates read the stores). */
export function useActionsVersion(): number {
  const s = useServices();
  useWorkspace((w) => w);
  useUi((u) => u.dialog);
  return useSyncExternalStore(
    (l) => s.actions.subscribe(l),
    () => s.actions.version(),
  );
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

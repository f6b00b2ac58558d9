/** Autosave to IndexedDB. The store is the source of truth; this writes it out a
 * moment after each change and reads it back at start-up. Quota or private-mode
 * failures are reported, never swallowed (Compiler Explorer #4138). */
import { get, set } from 'idb-keyval';
import type { WorkspaceSnapshot } from '../../core/protocol';
import { snapshotOf, type WorkspaceStore } from './store';

const KEY = 'microkit-studio/workspace/v1';
const DELAY_MS = 250;

export async function loadSavedWorkspace(): Promise<WorkspaceSnapshot | null> {
  try {
    const saved = (await get(KEY)) as (WorkspaceSnapshot & { active?: string }) | undefined;
    return saved && saved.files && saved.main in saved.files ? saved : null;
  } catch {
    return null;
  }
}

export type SaveState = 'saved' | 'pending' | 'failed';

export function autosave(store: WorkspaceStore, onState: (state: SaveState, error?: string) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    timer = undefined;
    const s = store.getState();
    set(KEY, { ...snapshotOf(s), active: s.active }).then(
      () => timer === undefined && onState('saved'),
      (e: unknown) => onState('failed', `Could not save the workspace in this browser: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  const unsubscribe = store.subscribe(() => {
    onState('pending');
    if (timer === undefined) timer = setTimeout(save, DELAY_MS);
  });
  const flush = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      save();
    }
  };
  window.addEventListener('pagehide', flush);
  return () => {
    unsubscribe();
    window.removeEventListener('pagehide', flush);
    flush();
  };
}

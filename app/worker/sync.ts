/** Mirrors the workspace store into the core: text edits are sent after a short
 * pause in typing (the core re-checks on each), everything structural at once.
 * `flush()` sends pending edits now, before a completion or hover request. */
import type { WorkspaceSnapshot } from '../../core/protocol';
import type { CoreClient } from './client';

export interface WorkspaceSource {
  getState(): WorkspaceSnapshot;
  subscribe(listener: (state: WorkspaceSnapshot, prev: WorkspaceSnapshot) => void): () => void;
}

export interface WorkspaceSync {
  flush(): void;
  dispose(): void;
}

export function syncWorkspace(store: WorkspaceSource, client: CoreClient, typingDelayMs = 150): WorkspaceSync {
  const dirty = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ignore = () => {};

  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const files = store.getState().files;
    for (const path of dirty) {
      const text = files[path];
      if (text !== undefined) client.request('file.update', { path, text }).catch(ignore);
    }
    dirty.clear();
  };

  const unsubscribe = store.subscribe((next, prev) => {
    let structural = next.board !== prev.board || next.main !== prev.main;
    for (const [path, text] of Object.entries(next.files)) {
      if (prev.files[path] === text) continue;
      dirty.add(path);
      if (!(path in prev.files)) structural = true;
    }
    const removed = Object.keys(prev.files).filter((p) => !(p in next.files));
    if (!structural && removed.length === 0) {
      if (dirty.size && timer === undefined) timer = setTimeout(flush, typingDelayMs);
      return;
    }
    flush();
    if (next.main !== prev.main) client.request('workspace.setMain', { path: next.main }).catch(ignore);
    for (const path of removed) client.request('file.delete', { path }).catch(ignore);
    if (next.board !== prev.board) client.request('board.set', { board: next.board }).catch(ignore);
  });

  return {
    flush,
    dispose() {
      flush();
      unsubscribe();
    },
  };
}

/** The user's workspace: the only place their edits live in the UI. Persisted to
 * IndexedDB and mirrored to the core worker, so neither a reload nor a worker crash
 * loses anything. Vanilla zustand so it is testable without React. */
import { createStore } from 'zustand/vanilla';
import type { WorkspaceSnapshot } from '../../core/protocol';
import { fileNameProblem, newFileTemplate, sortedPaths } from './fileNames';

export interface WorkspaceState extends WorkspaceSnapshot {
  /** the file shown in the editor */
  active: string;
  /** replace everything, e.g. from an example, a share link or a zip */
  open(ws: WorkspaceSnapshot): void;
  setText(path: string, text: string): void;
  /** throws with a user-facing message when the name is not usable */
  createFile(name: string, text?: string): void;
  renameFile(from: string, to: string): void;
  deleteFile(path: string): void;
  setActive(path: string): void;
  setBoard(board: string): void;
  setMain(path: string): void;
}

export type WorkspaceStore = ReturnType<typeof createWorkspaceStore>;

export function snapshotOf(s: WorkspaceSnapshot): WorkspaceSnapshot {
  return { files: s.files, board: s.board, main: s.main };
}

export function createWorkspaceStore(initial: WorkspaceSnapshot) {
  return createStore<WorkspaceState>()((set, get) => {
    const paths = () => Object.keys(get().files);
    const requireFile = (path: string) => {
      if (!(path in get().files)) throw new Error(`No file named '${path}'.`);
    };
    return {
      ...snapshotOf(initial),
      active: initial.main,
      open: (ws) => set({ ...snapshotOf(ws), files: { ...ws.files }, active: ws.main in ws.files ? ws.main : sortedPaths(Object.keys(ws.files))[0] ?? '' }),
      setText: (path, text) => {
        requireFile(path);
        if (get().files[path] === text) return;
        set({ files: { ...get().files, [path]: text } });
      },
      createFile: (name, text) => {
        const problem = fileNameProblem(name, paths());
        if (problem) throw new Error(problem);
        set({ files: { ...get().files, [name]: text ?? newFileTemplate(name) }, active: name });
      },
      renameFile: (from, to) => {
        requireFile(from);
        if (from === to) return;
        const problem = fileNameProblem(to, paths());
        if (problem) throw new Error(problem);
        const files: Record<string, string> = {};
        for (const [p, t] of Object.entries(get().files)) files[p === from ? to : p] = t;
        const s = get();
        set({ files, active: s.active === from ? to : s.active, main: s.main === from ? to : s.main });
      },
      deleteFile: (path) => {
        requireFile(path);
        const s = get();
        if (path === s.main) throw new Error(`'${path}' is the main system description; open another one as main first.`);
        const { [path]: _gone, ...files } = s.files;
        set({ files, active: s.active === path ? s.main : s.active });
      },
      setActive: (path) => {
        requireFile(path);
        set({ active: path });
      },
      setBoard: (board) => set({ board }),
      setMain: (path) => {
        requireFile(path);
        if (!path.endsWith('.system')) throw new Error('The main file must be a .system file.');
        set({ main: path });
      },
    };
  });
}

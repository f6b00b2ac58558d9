/** Everything the UI knows about the workspace's health: diagnostics per file (from
 * the core, and JavaScript syntax errors from Monaco), the last system description
 * that parsed (the graph keeps showing it while the text has errors), and the
 * core worker's status. */
import { createStore } from 'zustand/vanilla';
import { PROGRAM_DIAGNOSTIC_CODE, type CoreEvent, type Diagnostic, type SystemDescription } from '../../core/protocol';
import type { CoreStatus } from '../worker/client';

export type ProblemSource = 'core' | 'editor';

export interface Problem extends Diagnostic {
  path: string;
  source: ProblemSource;
}

export interface ProblemsState {
  /** `${source}:${path}` -> diagnostics */
  byFile: Record<string, Problem[]>;
  /** the main system as last parsed without errors */
  system: SystemDescription | null;
  systemPath: string;
  /** true while the current text does not parse (the graph shows the last good one) */
  systemStale: boolean;
  coreStatus: CoreStatus;
  coreDetail: string;
  /** takes the diagnostics and system events; others are not about the workspace's health */
  applyEvent(e: CoreEvent): void;
  setEditorDiagnostics(path: string, diagnostics: Diagnostic[]): void;
  forgetFile(path: string): void;
  setCoreStatus(s: CoreStatus, detail?: string): void;
}

export function createProblemsStore() {
  return createStore<ProblemsState>()((set, get) => ({
    byFile: {},
    system: null,
    systemPath: '',
    systemStale: false,
    coreStatus: 'starting',
    coreDetail: '',
    applyEvent(e) {
      if (e.type === 'diagnostics') {
        set({ byFile: { ...get().byFile, [`core:${e.path}`]: e.diagnostics.map((d) => ({ ...d, path: e.path, source: 'core' as const })) } });
      } else if (e.type === 'system') {
        if (e.system) set({ system: e.system, systemPath: e.path, systemStale: false });
        else set({ systemPath: e.path, systemStale: true, system: get().systemPath === e.path ? get().system : null });
      }
    },
    setEditorDiagnostics(path, diagnostics) {
      set({ byFile: { ...get().byFile, [`editor:${path}`]: diagnostics.map((d) => ({ ...d, path, source: 'editor' as const })) } });
    },
    forgetFile(path) {
      const { [`core:${path}`]: _a, [`editor:${path}`]: _b, ...rest } = get().byFile;
      set({ byFile: rest });
    },
    setCoreStatus: (coreStatus, detail) => set({ coreStatus, coreDetail: detail ?? '' }),
  }));
}

export type ProblemsStore = ReturnType<typeof createProblemsStore>;

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** All problems, errors first, then by file and position. A file's syntax errors can come
 * from both Monaco and the core's program loader; when the editor has errors for a file,
 * the core's duplicates of them are left out (the editor's are more precise). */
export function allProblems(byFile: Record<string, Problem[]>): Problem[] {
  return Object.entries(byFile)
    .flatMap(([key, problems]) => {
      if (!key.startsWith('core:')) return problems;
      const editorErrors = (byFile[`editor:${key.slice(5)}`] ?? []).some((p) => p.severity === 'error');
      return editorErrors ? problems.filter((p) => p.code !== PROGRAM_DIAGNOSTIC_CODE) : problems;
    })
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column);
}

export function problemsOf(byFile: Record<string, Problem[]>, path: string, source: ProblemSource): Problem[] {
  return byFile[`${source}:${path}`] ?? [];
}

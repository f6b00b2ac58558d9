/** Loading a workspace: validate the system description and find each PD's program (`foo.elf` -> `foo.js` next to
 * the `.system` file). */
import { findBoard, DEFAULT_BOARD, type Board } from '../boards';
import type { ProgramSource } from '../microkit';
import { checkSdf, type Diagnostic, type SystemDescription } from '../sdf';

export interface Workspace {
  /** workspace-relative path -> file text */
  files: Record<string, string>;
  /** path of the system description to run */
  system: string;
}

export class WorkspaceError extends Error {
  constructor(message: string, readonly diagnostics: Diagnostic[] = []) {
    super(message);
  }
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i + 1);
}

export function programFileFor(systemPath: string, imagePath: string): string {
  const base = imagePath.replace(/\.elf$/i, '');
  return dirOf(systemPath) + base + '.js';
}

export interface LoadedWorkspace {
  system: SystemDescription;
  board: Board;
  programs: Map<number, ProgramSource>;
}

export function loadWorkspace(ws: Workspace, boardOrName?: Board | string): LoadedWorkspace {
  const board = typeof boardOrName === 'object' ? boardOrName : findBoard(boardOrName ?? DEFAULT_BOARD);
  if (!board) throw new WorkspaceError(`unknown board '${String(boardOrName)}'`);
  const text = ws.files[ws.system];
  if (text === undefined) throw new WorkspaceError(`cannot read '${ws.system}': no such file`);
  const enc = new TextEncoder();
  const res = checkSdf(text, {
    fileName: ws.system.slice(ws.system.lastIndexOf('/') + 1),
    kernel: board.kernel,
    readFile: (p) => {
      const f = ws.files[dirOf(ws.system) + p] ?? ws.files[p];
      return f === undefined ? undefined : enc.encode(f);
    },
  });
  if (!res.system) {
    const first = res.diagnostics.find((d) => d.severity === 'error');
    throw new WorkspaceError(first?.toolMessage ?? 'invalid system description', res.diagnostics);
  }
  const programs = new Map<number, ProgramSource>();
  for (const pd of res.system.protectionDomains) {
    // foo.elf -> foo.js next to the system; a path with folders may also be found by its base name there
    const exact = programFileFor(ws.system, pd.programImage.path);
    const base = programFileFor(ws.system, pd.programImage.path.slice(pd.programImage.path.lastIndexOf('/') + 1));
    const file = ws.files[exact] !== undefined ? exact : base;
    const source = ws.files[file];
    if (source === undefined) {
      throw new WorkspaceError(`unable to find program image: '${pd.programImage.path}' (PD '${pd.name}' runs the JavaScript module '${exact}')`);
    }
    programs.set(pd.pdIndex, { fileName: file.slice(file.lastIndexOf('/') + 1), source });
  }
  return { system: res.system, board, programs };
}

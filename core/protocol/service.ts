/** The core side of the protocol: a pure, synchronous request handler that keeps the
 * workspace the UI last sent and answers with a result plus the events the change
 * caused. The worker shell (app/worker/core.worker.ts) only moves messages. */
import { DEFAULT_BOARD, findBoard, type KernelConfig } from '../boards';
import type { AsmError, Diagnostic, LanguageBackends } from './languages';
import { PROTOCOL_VERSION, type CoreEvent, type CoreRequest, type RequestKind, type RequestOf, type ResultOf, type WorkspaceSnapshot } from './messages';
import { fileKind } from './fileKinds';
import { createBuildService } from './buildService';
import { createSimService, type SimServiceOptions } from './simService';

export interface Handled<K extends RequestKind = RequestKind> {
  result: ResultOf<K>;
  events: CoreEvent[];
}

export interface CoreService {
  handle<K extends RequestKind>(request: RequestOf<K>): Handled<K>;
  /** the workspace as the core sees it (for tests and debugging) */
  workspace(): WorkspaceSnapshot;
}

/** Code of the diagnostics the assembler produces (the SDF service has its own codes). */
export const ASM_DIAGNOSTIC_CODE = 'asm';
/** Code of the diagnostics the PD-program loader produces. */
export const PROGRAM_DIAGNOSTIC_CODE = 'program';
/** Code of the diagnostic that reports a crash inside a checker. */
export const INTERNAL_ERROR_CODE = 'internal';

/** `sim`: how the simulation talks back while running (progress events, host clock, yielding); the results of
 * `sim.*` controls are promises the worker shell awaits. */
export function createCoreService(backends: LanguageBackends, sim: SimServiceOptions = {}): CoreService {
  let files: Record<string, string> = {};
  let board = DEFAULT_BOARD;
  let main = '';
  const builds = createBuildService(backends);
  const sims = createSimService(sim);

  const kernel = (): KernelConfig => {
    const b = findBoard(board);
    if (!b) throw new Error(`unknown board '${board}'`);
    return b.kernel;
  };

  const text = (path: string): string => {
    const t = files[path];
    if (t === undefined) throw new Error(`no such file '${path}'`);
    return t;
  };

  /** A checker bug must not take the whole core down: it becomes a diagnostic on the file. */
  function check(path: string): CoreEvent[] {
    try {
      return checkUnguarded(path);
    } catch (e) {
      const message = `internal error while checking this file: ${e instanceof Error ? e.message : String(e)}`;
      const diagnostic: Diagnostic = { severity: 'error', message, toolMessage: `${path}: ${message}`, line: 1, column: 1, endLine: 1, endColumn: 1, code: INTERNAL_ERROR_CODE };
      const events: CoreEvent[] = [{ type: 'diagnostics', path, textLength: files[path]?.length ?? 0, diagnostics: [diagnostic] }];
      if (path === main) events.push({ type: 'system', path, system: null });
      return events;
    }
  }

  function checkUnguarded(path: string): CoreEvent[] {
    const source = files[path];
    if (source === undefined) return [{ type: 'diagnostics', path, textLength: 0, diagnostics: [] }];
    switch (fileKind(path)) {
      case 'system': {
        const { system, diagnostics } = backends.checkSdf(source, {
          fileName: path,
          kernel: kernel(),
          readFile: (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])),
        });
        const events: CoreEvent[] = [{ type: 'diagnostics', path, textLength: source.length, diagnostics }];
        if (path === main) events.push({ type: 'system', path, system });
        return events;
      }
      case 'program': {
        const error = backends.checkProgram(source);
        const diagnostics: Diagnostic[] = error
          ? [{ severity: 'error', message: error.message, toolMessage: `${path}:${error.line}:${error.column}: ${error.message}`, line: error.line, column: error.column, endLine: error.line, endColumn: error.column + 1, code: PROGRAM_DIAGNOSTIC_CODE }]
          : [];
        return [{ type: 'diagnostics', path, textLength: source.length, diagnostics }];
      }
      case 'asm':
        return [{ type: 'diagnostics', path, textLength: source.length, diagnostics: asmDiagnostics(path, backends.assemble(source, path).errors) }];
      default:
        return [];
    }
  }

  const checkAll = (): CoreEvent[] => Object.keys(files).sort().flatMap(check);
  /** a `.system` file may read others (prefill files), so any change rechecks the main one */
  const checkWithMain = (path: string): CoreEvent[] => (path === main || !files[main] ? check(path) : [...check(path), ...check(main)]);

  function dispatch(req: CoreRequest): Handled {
    switch (req.kind) {
      case 'hello':
        return { result: { protocol: PROTOCOL_VERSION }, events: [] };
      case 'workspace.open':
        files = { ...req.workspace.files };
        board = req.workspace.board;
        main = req.workspace.main;
        kernel();
        return { result: null, events: checkAll() };
      case 'file.update':
        files[req.path] = req.text;
        return { result: null, events: checkWithMain(req.path) };
      case 'file.delete':
        delete files[req.path];
        return { result: null, events: checkWithMain(req.path) };
      case 'file.rename': {
        const t = text(req.from);
        delete files[req.from];
        files[req.to] = t;
        if (main === req.from) main = req.to;
        return { result: null, events: [...check(req.from), ...checkWithMain(req.to)] };
      }
      case 'workspace.setMain':
        text(req.path);
        main = req.path;
        return { result: null, events: check(main) };
      case 'board.set':
        if (!findBoard(req.board)) throw new Error(`unknown board '${req.board}'`);
        board = req.board;
        return { result: null, events: checkAll() };
      case 'sdf.complete':
        return { result: backends.completionsAt(text(req.path), req.line, req.column, kernel()), events: [] };
      case 'sdf.hover':
        return { result: backends.hoverAt(text(req.path), req.line, req.column, kernel()), events: [] };
      case 'debug.crash':
        throw new Error('crash requested');
      case 'build.run':
      case 'build.lab':
      case 'build.canAllocate':
        return builds.handle(req, { files, board, main }) as Handled;
      case 'sim.load':
      case 'sim.run':
      case 'sim.pause':
      case 'sim.step':
      case 'sim.stepBack':
      case 'sim.stepInstruction':
      case 'sim.stepBackInstruction':
      case 'sim.goTo':
      case 'sim.reset':
      case 'sim.setBreakpoints':
      case 'sim.view':
      case 'sim.exits':
      case 'sim.vcpu':
      case 'sim.memory':
      case 'sim.timeline':
        return sims.handle(req, { files, board, main }) as Handled;
    }
  }

  return {
    handle: <K extends RequestKind>(request: RequestOf<K>) => dispatch(request) as Handled<K>,
    workspace: () => ({ files: { ...files }, board, main }),
  };
}

function asmDiagnostics(path: string, errors: AsmError[]): Diagnostic[] {
  return errors.map((e) => ({
    severity: 'error',
    message: e.message,
    toolMessage: `${path}:${e.line}:${e.column}: error: ${e.message}`,
    line: e.line,
    column: e.column,
    endLine: e.line,
    endColumn: Math.max(e.endColumn ?? e.column + 1, e.column + 1),
    code: ASM_DIAGNOSTIC_CODE,
  }));
}

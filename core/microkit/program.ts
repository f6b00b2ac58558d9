/** Loading a PD program: instrument the module text, evaluate it with `new Function` with only `mk` (passed to the
 * entry points) and deterministic globals in reach, and point JavaScript errors back at the user's file. */
import { EXPORTS, instrument, originalPosition, ProgramSyntaxError, TICK, type Instrumented } from './instrument';
import { mulberry32 } from '../random';

export interface EntryPoints {
  init?: (mk: unknown) => unknown;
  notified?: (mk: unknown, ch: number) => unknown;
  protected?: (mk: unknown, ch: number, msginfo: bigint) => unknown;
  fault?: (mk: unknown, child: number, msginfo: bigint) => unknown;
}

export interface LoadedProgram {
  fileName: string;
  entry: EntryPoints;
  /** the module's named exports (e.g. a `setvars` object the runtime patches) */
  exports: Record<string, unknown>;
  instrumented: Instrumented;
}

/** Globals a PD program must not reach: wall-clock time, timers, I/O, other code loaders. Shadowed by parameters. */
const HIDDEN = [
  'globalThis', 'window', 'self', 'global', 'process', 'require', 'module', 'setTimeout', 'setInterval', 'setImmediate',
  'clearTimeout', 'clearInterval', 'queueMicrotask', 'fetch', 'XMLHttpRequest', 'WebSocket', 'Worker', 'importScripts',
  'postMessage', 'performance', 'Date', 'SharedArrayBuffer', 'Atomics', 'crypto',
];

/** `console.log` and friends print to the PD's debug output (one line each), like microkit_dbg_puts. */
function pdConsole(print: (text: string) => void): Record<string, (...args: unknown[]) => void> {
  const line = (...args: unknown[]): void => print(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ') + '\n');
  return { log: line, info: line, warn: line, error: line, debug: line };
}

function hashName(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Evaluate a PD module. Throws ProgramSyntaxError (with line/column) for code that does not parse. */
export function loadProgram(fileName: string, source: string, tick: () => void, print: (text: string) => void = () => {}): LoadedProgram {
  const ins = instrument(source);
  let fn: (...args: unknown[]) => void;
  try {
    fn = new Function(EXPORTS, TICK, 'Math', 'console', ...HIDDEN, `"use strict";${ins.code}`) as typeof fn;
  } catch (e) {
    throw new ProgramSyntaxError((e as Error).message, 1, 1);
  }
  const exports: Record<string, unknown> = {};
  const math = Object.create(Math) as Math;
  Object.defineProperty(math, 'random', { value: mulberry32(hashName(fileName)) });
  fn(exports, tick, math, pdConsole(print), ...HIDDEN.map(() => undefined));
  const entry = (exports.default ?? {}) as EntryPoints;
  return { fileName, entry, exports, instrumented: ins };
}

export interface JsErrorInfo {
  name: string;
  message: string;
  /** position in the user's file, when the stack names it */
  line: number | null;
  column: number | null;
}

/** Describe a thrown value, mapping the first stack frame inside the PD's code back to its file. */
export function describeJsError(e: unknown, prog: LoadedProgram | null): JsErrorInfo {
  const err = e instanceof Error ? e : null;
  const info: JsErrorInfo = { name: err?.name ?? 'Error', message: err ? err.message : String(e), line: null, column: null };
  if (err && prog && typeof err.stack === 'string') {
    const m = /(?:<anonymous>|> Function):(\d+):(\d+)/.exec(err.stack);
    if (m) {
      // `new Function` puts two header lines before the body
      const genLine = Number(m[1]) - 2;
      if (genLine >= 1) {
        const p = originalPosition(prog.instrumented, genLine, Number(m[2]) - (genLine === 1 ? '"use strict";'.length : 0));
        info.line = p.line;
        info.column = p.column;
      }
    }
  }
  return info;
}

export function formatJsError(info: JsErrorInfo, fileName: string): string {
  const where = info.line !== null ? ` (at ${fileName}:${info.line}:${info.column})` : '';
  return `${info.name}: ${info.message}${where}`;
}

export { ProgramSyntaxError };

/** A PD program's syntax problem (null when it parses), for editors: 1-based line and column. */
export function checkProgram(source: string): { line: number; column: number; message: string } | null {
  try {
    instrument(source);
    return null;
  } catch (e) {
    if (e instanceof ProgramSyntaxError) return { line: e.line, column: e.column, message: `SyntaxError: ${e.message}` };
    throw e;
  }
}

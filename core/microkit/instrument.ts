/** Turns a PD's ES module text into a function body that can be evaluated with `new Function` (no module loader,
 * no node:*), and inserts an iteration-budget check (`__mk_tick()`) into every loop body and function entry, so a
 * synchronous `while (true) {}` is stopped by the watchdog. Inserted text never contains newlines, and every
 * insertion is recorded so positions in the generated code map back to the user's file. */
import { parse, type Node } from 'acorn';

export interface Instrumented {
  code: string;
  /** sorted insertions: original offset and inserted length */
  inserts: { at: number; len: number; removed: number }[];
  source: string;
}

export class ProgramSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}

export const TICK = '__mk_tick';
export const EXPORTS = '__mk_exports';

type AnyNode = Node & Record<string, unknown>;

interface Edit {
  start: number;
  end: number;
  text: string;
}

function children(n: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of Object.keys(n)) {
    if (key === 'loc' || key === 'start' || key === 'end' || key === 'type') continue;
    const v = n[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c === 'object' && typeof (c as AnyNode).type === 'string') out.push(c as AnyNode);
    } else if (v && typeof v === 'object' && typeof (v as AnyNode).type === 'string') out.push(v as AnyNode);
  }
  return out;
}

export function instrument(source: string): Instrumented {
  let ast: AnyNode;
  try {
    ast = parse(source, { ecmaVersion: 'latest', sourceType: 'module', locations: true }) as unknown as AnyNode;
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number } };
    const msg = err.message.replace(/\s*\(\d+:\d+\)$/, '');
    throw new ProgramSyntaxError(msg, err.loc?.line ?? 1, (err.loc?.column ?? 0) + 1);
  }
  const edits: Edit[] = [];
  const exported: string[] = [];
  const tick = `${TICK}();`;

  const body = (b: AnyNode): void => {
    if (b.type === 'BlockStatement') edits.push({ start: b.start + 1, end: b.start + 1, text: tick });
    else {
      edits.push({ start: b.start, end: b.start, text: `{${tick}` });
      edits.push({ start: b.end, end: b.end, text: '}' });
    }
  };

  const visit = (n: AnyNode): void => {
    switch (n.type) {
      case 'ForStatement': case 'WhileStatement': case 'DoWhileStatement': case 'ForInStatement': case 'ForOfStatement':
        body(n.body as AnyNode);
        break;
      case 'FunctionDeclaration': case 'FunctionExpression': case 'ArrowFunctionExpression': {
        const b = n.body as AnyNode;
        if (b.type === 'BlockStatement') edits.push({ start: b.start + 1, end: b.start + 1, text: tick });
        break;
      }
      case 'ImportDeclaration': case 'ImportExpression':
        throw new ProgramSyntaxError('imports are not available in PD programs (only `mk` and standard JavaScript)', n.loc!.start.line, n.loc!.start.column + 1);
      case 'ExportDefaultDeclaration': {
        const d = n.declaration as AnyNode;
        edits.push({ start: n.start, end: d.start, text: `${EXPORTS}.default = ` });
        break;
      }
      case 'ExportNamedDeclaration': {
        const d = n.declaration as AnyNode | null;
        if (d) {
          edits.push({ start: n.start, end: d.start, text: '' });
          if (d.type === 'VariableDeclaration') {
            for (const v of d.declarations as AnyNode[]) if ((v.id as AnyNode).type === 'Identifier') exported.push((v.id as AnyNode).name as string);
          } else if (d.id) exported.push((d.id as AnyNode).name as string);
        } else {
          edits.push({ start: n.start, end: n.end, text: '' });
          for (const s of n.specifiers as AnyNode[]) {
            const local = (s.local as AnyNode).name as string;
            const name = ((s.exported as AnyNode).name as string) ?? local;
            exported.push(name === local ? local : `${name}:${local}`);
          }
        }
        break;
      }
      case 'ExportAllDeclaration':
        throw new ProgramSyntaxError('re-exports are not available in PD programs', n.loc!.start.line, n.loc!.start.column + 1);
    }
    for (const c of children(n)) visit(c);
  };
  visit(ast);

  const tail = exported.map((e) => {
    const [name, local] = e.includes(':') ? e.split(':') : [e, e];
    return `${EXPORTS}[${JSON.stringify(name)}] = ${local};`;
  });
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let code = '';
  let pos = 0;
  const inserts: Instrumented['inserts'] = [];
  for (const e of edits) {
    code += source.slice(pos, e.start) + e.text;
    inserts.push({ at: e.start, len: e.text.length, removed: e.end - e.start });
    pos = e.end;
  }
  code += source.slice(pos) + '\n;' + tail.join('');
  return { code, inserts, source };
}

/** Map a 1-based line/column in the generated code back to the user's file. */
export function originalPosition(ins: Instrumented, line: number, column: number): { line: number; column: number } {
  const gen = ins.code;
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = gen.indexOf('\n', off);
    if (nl < 0) break;
    off = nl + 1;
  }
  const genOff = off + column - 1;
  // walk insertions in order, translating generated offset to original offset
  let shift = 0;
  let orig = genOff;
  for (const i of ins.inserts) {
    const genAt = i.at + shift;
    if (genOff < genAt) break;
    if (genOff < genAt + i.len) {
      orig = i.at;
      shift = NaN;
      break;
    }
    shift += i.len - i.removed;
  }
  if (!Number.isNaN(shift)) orig = genOff - shift;
  const src = ins.source;
  let l = 1;
  let c = 1;
  for (let p = 0; p < Math.min(orig, src.length); p++) {
    if (src[p] === '\n') {
      l++;
      c = 1;
    } else c++;
  }
  return { line: l, column: c };
}

/** Source lines → statements. Parsing happens once; evaluation happens in every pass. */
import { MSG, StatementError, type AsmError } from './errors';
import { parseExpr, TokenStream, type Expr } from './expr';
import { isMnemonic, isPrefixWord, type InstructionStatement } from './instruction';
import { tokenize, type Token } from './lexer';
import { parseOperand } from './operands';
import { Defines } from './defines';

export type Bits = 16 | 32 | 64;

export type DataItem = { kind: 'bytes'; bytes: number[] } | { kind: 'expr'; expr: Expr };

export type Body =
  | { kind: 'insn'; ins: InstructionStatement }
  | { kind: 'data'; unit: 1 | 2 | 4 | 8; items: DataItem[] }
  | { kind: 'res'; unit: 1 | 2 | 4 | 8; count: Expr }
  | { kind: 'equ'; expr: Expr }
  | { kind: 'align'; to: Expr; fill: number }
  | { kind: 'bits'; bits: Bits }
  | { kind: 'org'; expr: Expr }
  | { kind: 'default'; rel: boolean }
  | { kind: 'ignored' };

export interface Statement {
  line: number;
  col: number;
  endCol: number;
  label?: { name: string; col: number; endCol: number };
  times?: Expr;
  body?: Body;
}

const DATA_UNITS: Record<string, 1 | 2 | 4 | 8> = { db: 1, dw: 2, dd: 4, dq: 8 };
const RES_UNITS: Record<string, 1 | 2 | 4 | 8> = { resb: 1, resw: 2, resd: 4, resq: 8 };
const IGNORED = new Set(['section', 'segment', 'global', 'cpu']);
/** Directive words, for editor completion and highlighting. */
export const DIRECTIVE_NAMES: readonly string[] = ['equ', 'times', 'align', 'bits', 'use16', 'use32', 'use64', 'org', 'default', 'section', 'segment', 'global', 'cpu', 'db', 'dw', 'dd', 'dq', 'resb', 'resw', 'resd', 'resq'];
const DIRECTIVES = new Set(['equ', 'times', 'align', 'bits', 'use16', 'use32', 'use64', 'org', 'default', 'extern', ...IGNORED, ...Object.keys(DATA_UNITS), ...Object.keys(RES_UNITS)]);

const LABEL_FOLLOWERS = new Set(['equ', 'times', ...Object.keys(DATA_UNITS), ...Object.keys(RES_UNITS)]);

const isKeyword = (w: string) => DIRECTIVES.has(w.toLowerCase()) || isMnemonic(w) || isPrefixWord(w);

export function parseProgram(source: string): { statements: Statement[]; errors: AsmError[] } {
  const statements: Statement[] = [];
  const errors: AsmError[] = [];
  const defined = new Map<string, number>();
  const defines = new Defines();
  let global = '';
  source.split('\n').forEach((text, i) => {
    const line = i + 1;
    try {
      if (/^\s*%/.test(text)) {
        defines.directive(text);
        return;
      }
      const tokens = defines.expand(tokenize(text));
      if (tokens.length === 0) return;
      const qualify = (name: string) => (name.startsWith('.') && !name.startsWith('..') ? global + name : name);
      const ts = new TokenStream(stripBrackets(tokens), qualify, text.length + 1);
      const stmt = parseStatement(ts, line);
      if (stmt.label) {
        const raw = stmt.label.name;
        if (!raw.startsWith('.') && stmt.body?.kind !== 'equ') global = raw;
        stmt.label.name = qualify(raw);
        const first = defined.get(stmt.label.name);
        if (first !== undefined) throw new StatementError(MSG.duplicateLabel(stmt.label.name, first), stmt.label.col, stmt.label.endCol);
        defined.set(stmt.label.name, line);
      }
      statements.push(stmt);
    } catch (e) {
      if (!(e instanceof StatementError)) throw e;
      errors.push({ line, column: e.column, endColumn: e.endColumn, message: e.message });
    }
  });
  return { statements, errors };
}

/** `[bits 32]`, `[org 0x7c00]`: NASM's primitive-directive brackets. */
function stripBrackets(tokens: Token[]): Token[] {
  const last = tokens[tokens.length - 1];
  if (tokens[0].type === 'op' && tokens[0].text === '[' && tokens[1]?.type === 'id' && DIRECTIVES.has(tokens[1].text.toLowerCase()) && last.text === ']') {
    return tokens.slice(1, -1);
  }
  return tokens;
}

function parseStatement(ts: TokenStream, line: number): Statement {
  const first = ts.peek()!;
  const stmt: Statement = { line, col: first.col, endCol: ts.tokens[ts.tokens.length - 1].endCol };
  if (first.type === 'id' && ts.isOp(':', 1)) {
    stmt.label = labelOf(first);
    ts.next();
    ts.next();
  } else if (first.type === 'id' && !isKeyword(first.text)) {
    const second = ts.peek(1);
    // NASM's label without a colon, when a directive or instruction follows; a mistyped
    // mnemonic alone on a line is reported instead of silently becoming a label
    if (second?.type === 'id' && (LABEL_FOLLOWERS.has(second.text.toLowerCase()) || isMnemonic(second.text) || isPrefixWord(second.text))) {
      stmt.label = labelOf(first);
      ts.next();
    } else {
      throw new StatementError(MSG.unknownMnemonic(first.text), first.col, first.endCol);
    }
  }
  if (ts.atEnd()) return stmt;
  if (ts.isWord('times')) {
    ts.next();
    stmt.times = parseExpr(ts);
  }
  stmt.body = parseBody(ts, stmt);
  if (stmt.times && stmt.body.kind !== 'insn' && stmt.body.kind !== 'data' && stmt.body.kind !== 'res') {
    throw new StatementError(MSG.badCombination('times'), stmt.col, stmt.endCol);
  }
  return stmt;
}

function labelOf(t: Token): { name: string; col: number; endCol: number } {
  return { name: t.text.startsWith('$') ? t.text.slice(1) : t.text, col: t.col, endCol: t.endCol };
}

function parseBody(ts: TokenStream, stmt: Statement): Body {
  const prefixes: InstructionStatement['prefixes'] = [];
  while (ts.peek()?.type === 'id' && isPrefixWord(ts.peek()!.text) && ts.pos + 1 < ts.tokens.length) {
    const p = ts.next()!;
    prefixes.push({ word: p.text, col: p.col, endCol: p.endCol });
  }
  const t = ts.next();
  if (!t || t.type !== 'id') {
    const c = t ?? ts.peek();
    throw new StatementError(MSG.unexpected(c ? c.text : ''), c ? c.col : ts.endCol(), c ? c.endCol : ts.endCol() + 1);
  }
  const w = t.text.toLowerCase();
  const body = prefixes.length ? undefined : parseDirective(ts, w, t, stmt);
  if (body) {
    if (!ts.atEnd()) throw unexpected(ts);
    return body;
  }
  if (!isMnemonic(w)) throw new StatementError(MSG.unknownMnemonic(t.text), t.col, t.endCol);
  const operands = [];
  while (!ts.atEnd()) {
    operands.push(parseOperand(ts));
    if (ts.atEnd()) break;
    ts.expectOp(',');
    if (ts.atEnd()) throw new StatementError(MSG.expectedExpression(), ts.endCol(), ts.endCol() + 1);
  }
  return { kind: 'insn', ins: { mnemonic: t.text, col: t.col, endCol: t.endCol, prefixes, operands } };
}

function unexpected(ts: TokenStream): StatementError {
  const t = ts.peek()!;
  return new StatementError(MSG.unexpected(t.text), t.col, t.endCol);
}

function parseDirective(ts: TokenStream, w: string, t: Token, stmt: Statement): Body | undefined {
  if (w in DATA_UNITS) {
    const items: DataItem[] = [];
    do {
      const s = ts.peek();
      if (s?.type === 'str' && (ts.isOp(',', 1) || ts.pos + 1 >= ts.tokens.length)) {
        ts.next();
        items.push({ kind: 'bytes', bytes: s.bytes! });
      } else items.push({ kind: 'expr', expr: parseExpr(ts) });
    } while (ts.isOp(',') && ts.next());
    return { kind: 'data', unit: DATA_UNITS[w], items };
  }
  if (w in RES_UNITS) return { kind: 'res', unit: RES_UNITS[w], count: parseExpr(ts) };
  switch (w) {
    case 'equ':
      if (!stmt.label) throw new StatementError(MSG.labelExpected('equ'), t.col, t.endCol);
      return { kind: 'equ', expr: parseExpr(ts) };
    case 'align': {
      const to = parseExpr(ts);
      let fill = 0x90;
      if (ts.isOp(',')) {
        ts.next();
        if (ts.isWord('nop')) {
          ts.next();
        } else {
          if (ts.isWord('db')) ts.next();
          const e = parseExpr(ts);
          if (e.k !== 'num') throw new StatementError(MSG.notConstant('the fill byte'), e.col, e.endCol);
          fill = Number(BigInt.asUintN(8, e.v));
        }
      }
      return { kind: 'align', to, fill };
    }
    case 'bits':
    case 'use16':
    case 'use32':
    case 'use64': {
      let n = w === 'bits' ? undefined : Number(w.slice(3));
      if (n === undefined) {
        const v = ts.next();
        n = v?.type === 'num' ? Number(v.num) : NaN;
      }
      if (n !== 16 && n !== 32 && n !== 64) throw new StatementError(MSG.badBits(), t.col, stmt.endCol);
      return { kind: 'bits', bits: n };
    }
    case 'org':
      return { kind: 'org', expr: parseExpr(ts) };
    case 'default': {
      const v = ts.next();
      const word = v?.text.toLowerCase();
      if (word !== 'rel' && word !== 'abs') throw new StatementError(MSG.unexpected(v?.text ?? ''), v?.col ?? t.endCol, v?.endCol ?? t.endCol + 1);
      return { kind: 'default', rel: word === 'rel' };
    }
    case 'extern':
      throw new StatementError(MSG.unsupportedDirective(w), t.col, t.endCol);
  }
  if (IGNORED.has(w)) {
    while (!ts.atEnd()) ts.next();
    return { kind: 'ignored' };
  }
  return undefined;
}

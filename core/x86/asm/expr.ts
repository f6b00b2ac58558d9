/** Expressions: parsed once into a tree, evaluated in every pass. Values are 64-bit
 * two's complement (BigInt). `reloc` counts how many label terms survive (NASM treats
 * such a value as relocatable and never shrinks its field); `unknown` marks a value
 * that uses a symbol not yet defined in this pass. */
import { MSG, StatementError } from './errors';
import type { Token } from './lexer';
import { lookupRegister, type Reg } from './registers';

export type Expr =
  | { k: 'num'; v: bigint; col: number; endCol: number }
  | { k: 'sym'; name: string; col: number; endCol: number }
  | { k: 'here'; col: number; endCol: number }
  | { k: 'base'; col: number; endCol: number }
  | { k: 'reg'; reg: Reg; col: number; endCol: number }
  | { k: 'un'; op: string; a: Expr; col: number; endCol: number }
  | { k: 'bin'; op: string; a: Expr; b: Expr; col: number; endCol: number }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr; col: number; endCol: number };

export interface Value {
  value: bigint;
  reloc: number;
  unknown: boolean;
}

export interface SymbolValue {
  value: bigint;
  reloc: number;
}

export interface EvalContext {
  lookup(name: string): SymbolValue | undefined;
  /** address of the current statement ($) and of the section start ($$) */
  here: bigint;
  base: bigint;
  /** in the last pass an unknown symbol is an error */
  final: boolean;
}

// NASM's precedence, lowest first (the conditional `? :` sits below all of these)
const BINARY_LEVELS: string[][] = [
  ['||'],
  ['^^'],
  ['&&'],
  ['=', '==', '!=', '<>', '<', '<=', '>', '>='],
  ['|'],
  ['^'],
  ['&'],
  ['<<', '>>', '<<<', '>>>'],
  ['+', '-'],
  ['*', '/', '//', '%', '%%'],
];

/** A cursor over a statement's tokens, shared by the expression and operand parsers. */
export class TokenStream {
  pos = 0;
  constructor(
    readonly tokens: Token[],
    /** expands `.local` names to `global.local` */
    readonly qualify: (name: string) => string,
    readonly lineEnd: number,
  ) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  next(): Token | undefined {
    return this.tokens[this.pos++];
  }
  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }
  isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.type === 'op' && t.text === text;
  }
  isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.type === 'id' && t.text.toLowerCase() === word;
  }
  expectOp(text: string): Token {
    const t = this.next();
    if (!t || t.type !== 'op' || t.text !== text) {
      const col = t ? t.col : this.lineEnd;
      throw new StatementError(t ? MSG.unexpected(t.text) : MSG.unbalanced(text), col, t ? t.endCol : col + 1);
    }
    return t;
  }
  /** column just past the last token, for errors at end of line */
  endCol(): number {
    const t = this.peek() ?? this.tokens[this.tokens.length - 1];
    return t ? t.col : this.lineEnd;
  }
}

export function parseExpr(ts: TokenStream, allowRegisters = false): Expr {
  const cond = parseLevel(ts, 0, allowRegisters);
  if (!ts.isOp('?')) return cond;
  ts.next();
  const yes = parseExpr(ts, allowRegisters);
  ts.expectOp(':');
  const no = parseExpr(ts, allowRegisters);
  return { k: 'cond', c: cond, a: yes, b: no, col: cond.col, endCol: no.endCol };
}

function parseLevel(ts: TokenStream, level: number, regs: boolean): Expr {
  if (level >= BINARY_LEVELS.length) return parseUnary(ts, regs);
  let left = parseLevel(ts, level + 1, regs);
  for (;;) {
    const t = ts.peek();
    if (!t || t.type !== 'op' || !BINARY_LEVELS[level].includes(t.text)) return left;
    ts.next();
    const right = parseLevel(ts, level + 1, regs);
    left = { k: 'bin', op: t.text, a: left, b: right, col: left.col, endCol: right.endCol };
  }
}

function parseUnary(ts: TokenStream, regs: boolean): Expr {
  const t = ts.peek();
  if (t && t.type === 'op' && ['-', '+', '~', '!'].includes(t.text)) {
    ts.next();
    const a = parseUnary(ts, regs);
    return { k: 'un', op: t.text, a, col: t.col, endCol: a.endCol };
  }
  return parsePrimary(ts, regs);
}

function parsePrimary(ts: TokenStream, regs: boolean): Expr {
  const t = ts.next();
  if (!t) {
    const c = ts.endCol();
    throw new StatementError(MSG.expectedExpression(), c, c + 1);
  }
  const span = { col: t.col, endCol: t.endCol };
  if (t.type === 'num') return { k: 'num', v: t.num!, ...span };
  if (t.type === 'str') return { k: 'num', v: charConstant(t.bytes!), ...span };
  if (t.type === 'op' && t.text === '(') {
    const e = parseExpr(ts, regs);
    const close = ts.expectOp(')');
    return { ...e, col: t.col, endCol: close.endCol };
  }
  if (t.type === 'id') {
    if (t.text === '$') return { k: 'here', ...span };
    if (t.text === '$$') return { k: 'base', ...span };
    if (t.text.startsWith('$')) return { k: 'sym', name: ts.qualify(t.text.slice(1)), ...span };
    const reg = lookupRegister(t.text);
    if (reg) {
      if (!regs) throw new StatementError(MSG.registerInExpression(t.text), t.col, t.endCol);
      return { k: 'reg', reg, ...span };
    }
    return { k: 'sym', name: ts.qualify(t.text), ...span };
  }
  throw new StatementError(MSG.unexpected(t.text), t.col, t.endCol);
}

/** 'ab' is 0x6261: characters are stored little-endian, as NASM does. */
function charConstant(bytes: number[]): bigint {
  let v = 0n;
  for (let i = Math.min(bytes.length, 8) - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return BigInt.asIntN(64, v);
}

const wrap = (v: bigint) => BigInt.asIntN(64, v);
const unsigned = (v: bigint) => BigInt.asUintN(64, v);

export function evaluate(e: Expr, ctx: EvalContext): Value {
  switch (e.k) {
    case 'num':
      return { value: wrap(e.v), reloc: 0, unknown: false };
    case 'here':
      return { value: ctx.here, reloc: 1, unknown: false };
    case 'base':
      return { value: ctx.base, reloc: 1, unknown: false };
    case 'reg':
      throw new StatementError(MSG.registerInExpression(e.reg.name), e.col, e.endCol);
    case 'sym': {
      const s = ctx.lookup(e.name);
      if (s) return { value: s.value, reloc: s.reloc, unknown: false };
      if (ctx.final) throw new StatementError(MSG.undefinedSymbol(e.name), e.col, e.endCol);
      return { value: 0n, reloc: 0, unknown: true };
    }
    case 'un': {
      const a = evaluate(e.a, ctx);
      const v = e.op === '-' ? -a.value : e.op === '~' ? ~a.value : e.op === '!' ? (a.value === 0n ? 1n : 0n) : a.value;
      const reloc = e.op === '-' ? -a.reloc : e.op === '+' ? a.reloc : a.reloc === 0 ? 0 : 1;
      return { value: wrap(v), reloc, unknown: a.unknown };
    }
    case 'cond': {
      const c = evaluate(e.c, ctx);
      const pick = evaluate(c.value !== 0n ? e.a : e.b, ctx);
      return { ...pick, unknown: pick.unknown || c.unknown };
    }
    case 'bin': {
      const a = evaluate(e.a, ctx);
      const b = evaluate(e.b, ctx);
      const unknown = a.unknown || b.unknown;
      return { value: wrap(binary(e, a.value, b.value, unknown)), reloc: binaryReloc(e.op, a, b), unknown };
    }
  }
}

function binary(e: Expr & { k: 'bin' }, a: bigint, b: bigint, unknown: boolean): bigint {
  switch (e.op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '<<':
      return b < 0n || b > 63n ? 0n : a << b;
    case '>>':
    case '>>>':
      return b < 0n || b > 63n ? 0n : e.op === '>>>' ? a >> b : unsigned(a) >> b;
    case '<<<':
      return b < 0n || b > 63n ? 0n : a << b;
    case '=':
    case '==':
      return a === b ? 1n : 0n;
    case '!=':
    case '<>':
      return a !== b ? 1n : 0n;
    case '<':
      return a < b ? 1n : 0n;
    case '<=':
      return a <= b ? 1n : 0n;
    case '>':
      return a > b ? 1n : 0n;
    case '>=':
      return a >= b ? 1n : 0n;
    case '&&':
      return a !== 0n && b !== 0n ? 1n : 0n;
    case '||':
      return a !== 0n || b !== 0n ? 1n : 0n;
    case '^^':
      return (a !== 0n) !== (b !== 0n) ? 1n : 0n;
  }
  // division family: NASM's `/` and `%` are unsigned, `//` and `%%` signed
  if (b === 0n) {
    if (unknown) return 0n;
    throw new StatementError(MSG.divisionByZero(), e.b.col, e.b.endCol);
  }
  if (e.op === '/') return unsigned(a) / unsigned(b);
  if (e.op === '%') return unsigned(a) % unsigned(b);
  if (e.op === '//') return a / b;
  return a % b;
}

const CONSTANT_RESULT = new Set(['=', '==', '!=', '<>', '<', '<=', '>', '>=', '&&', '||', '^^']);

function binaryReloc(op: string, a: Value, b: Value): number {
  // a comparison of addresses is a plain 0 or 1
  if (CONSTANT_RESULT.has(op)) return 0;
  if (op === '+') return a.reloc + b.reloc;
  if (op === '-') return a.reloc - b.reloc;
  // label * constant keeps its sign and count, so `a - b` written as `a + b * -1` cancels
  if (op === '*' && b.reloc === 0) return a.reloc * factor(b.value);
  if (op === '*' && a.reloc === 0) return b.reloc * factor(a.value);
  return a.reloc === 0 && b.reloc === 0 ? 0 : 1;
}

/** A multiplier as a small number (huge ones only need to stay non-zero and signed). */
function factor(k: bigint): number {
  const limit = 1n << 20n;
  return Number(k > limit ? limit : k < -limit ? -limit : k);
}

/** True when the expression mentions no symbol, `$` or `$$` (a plain constant). */
export function isPlainConstant(e: Expr): boolean {
  if (e.k === 'num') return true;
  if (e.k === 'un') return isPlainConstant(e.a);
  if (e.k === 'bin') return isPlainConstant(e.a) && isPlainConstant(e.b);
  if (e.k === 'cond') return isPlainConstant(e.c) && isPlainConstant(e.a) && isPlainConstant(e.b);
  return false;
}

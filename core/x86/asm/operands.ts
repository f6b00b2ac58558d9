/** Parses one instruction operand: a register, an immediate expression, a memory
 * reference `[...]` (with size, segment override, rel/abs) or a far pointer `seg:off`. */
import { MSG, StatementError } from './errors';
import { evaluate, parseExpr, type Expr, type TokenStream } from './expr';
import { lookupRegister, type Reg } from './registers';

export type OpSize = 8 | 16 | 32 | 64;

export const SIZE_KEYWORDS: Record<string, OpSize> = { byte: 8, word: 16, dword: 32, qword: 64 };

interface Span {
  col: number;
  endCol: number;
}

export interface RegOperand extends Span {
  kind: 'reg';
  reg: Reg;
}

export interface ImmOperand extends Span {
  kind: 'imm';
  expr: Expr;
  size?: OpSize;
  strict: boolean;
  jump?: 'short' | 'near';
}

export interface MemOperand extends Span {
  kind: 'mem';
  size?: OpSize;
  far: boolean;
  seg?: Reg;
  base?: Reg;
  index?: Reg;
  scale: number;
  disp?: Expr;
  /** true: `[rel x]`; false: `[abs x]`; undefined: as `default rel|abs` says */
  rel?: boolean;
  /** `[byte x]`, `[dword x]`, `[qword x]`: displacement size asked for (NASM syntax) */
  dispSize?: OpSize;
}

export interface FarOperand extends Span {
  kind: 'far';
  seg: Expr;
  off: Expr;
  size?: OpSize;
}

export type Operand = RegOperand | ImmOperand | MemOperand | FarOperand;

const UNSUPPORTED_SIZES = new Set(['tword', 'oword', 'yword', 'zword']);

export function parseOperand(ts: TokenStream): Operand {
  const first = ts.peek();
  const col = first ? first.col : ts.endCol();
  let size: OpSize | undefined;
  let strict = false;
  let jump: 'short' | 'near' | undefined;
  let far = false;
  for (;;) {
    const t = ts.peek();
    if (!t || t.type !== 'id') break;
    const w = t.text.toLowerCase();
    if (w in SIZE_KEYWORDS) size = SIZE_KEYWORDS[w];
    else if (w === 'strict') strict = true;
    else if (w === 'short' || w === 'near') jump = w;
    else if (w === 'far') far = true;
    else if (UNSUPPORTED_SIZES.has(w)) throw new StatementError(MSG.unsupportedDirective(w), t.col, t.endCol);
    else break;
    ts.next();
  }
  if (ts.isOp('[')) {
    const mem = parseMemory(ts);
    return { ...mem, size, far, col };
  }
  const t = ts.peek();
  if (t && t.type === 'id' && (ts.atEnd() || ts.isOp(',', 1) || ts.pos + 1 >= ts.tokens.length)) {
    const reg = lookupRegister(t.text);
    if (reg) {
      ts.next();
      if (size !== undefined || far || jump) throw new StatementError(MSG.badCombination('register'), col, t.endCol);
      return { kind: 'reg', reg, col: t.col, endCol: t.endCol };
    }
  }
  const expr = parseExpr(ts);
  if (ts.isOp(':')) {
    ts.next();
    const off = parseExpr(ts);
    return { kind: 'far', seg: expr, off, size, col, endCol: off.endCol };
  }
  if (far) throw new StatementError(MSG.badCombination('far'), col, expr.endCol);
  return { kind: 'imm', expr, size, strict, jump, col, endCol: expr.endCol };
}

function parseMemory(ts: TokenStream): Omit<MemOperand, 'size' | 'far'> {
  const open = ts.expectOp('[');
  let rel: boolean | undefined;
  let seg: Reg | undefined;
  let dispSize: OpSize | undefined;
  for (;;) {
    if (ts.isWord('rel') || ts.isWord('abs')) {
      rel = ts.next()!.text.toLowerCase() === 'rel';
      continue;
    }
    const w = ts.peek()?.text.toLowerCase() ?? '';
    if (ts.peek()?.type === 'id' && w in SIZE_KEYWORDS && !ts.isOp(':', 1)) {
      ts.next();
      dispSize = SIZE_KEYWORDS[w];
      continue;
    }
    const t = ts.peek();
    const r = t && t.type === 'id' ? lookupRegister(t.text) : undefined;
    if (r && r.cls === 'seg' && ts.isOp(':', 1)) {
      seg = r;
      ts.next();
      ts.next();
      continue;
    }
    break;
  }
  const e = parseExpr(ts, true);
  const close = ts.expectOp(']');
  const { regs, disp } = linearize(e);
  const addr = chooseBaseIndex(regs, open.col, close.endCol);
  return { kind: 'mem', seg, ...addr, disp, rel, dispSize, col: open.col, endCol: close.endCol };
}

interface Term {
  reg: Reg;
  scale: number;
}

/** Splits `rbx + rcx*4 + label - 8` into registers with scales and the rest. */
function linearize(e: Expr): { regs: Term[]; disp?: Expr } {
  const regs: Term[] = [];
  const parts: Expr[] = [];
  const walk = (x: Expr, mul: bigint): void => {
    if (!hasRegister(x)) {
      parts.push(mul === 1n ? x : { k: 'bin', op: '*', a: x, b: { k: 'num', v: mul, col: x.col, endCol: x.endCol }, col: x.col, endCol: x.endCol });
      return;
    }
    if (x.k === 'reg') {
      regs.push({ reg: x.reg, scale: Number(mul) });
      if (mul < 1n) throw new StatementError(MSG.invalidAddress('a register cannot be subtracted or negative'), x.col, x.endCol);
      return;
    }
    if (x.k === 'un' && (x.op === '+' || x.op === '-')) return walk(x.a, x.op === '-' ? -mul : mul);
    if (x.k === 'bin' && (x.op === '+' || x.op === '-')) {
      walk(x.a, mul);
      walk(x.b, x.op === '-' ? -mul : mul);
      return;
    }
    if (x.k === 'bin' && x.op === '*') {
      const [regSide, k] = hasRegister(x.a) ? [x.a, x.b] : [x.b, x.a];
      if (hasRegister(k)) throw new StatementError(MSG.invalidAddress('registers cannot be multiplied together'), x.col, x.endCol);
      const factor = evaluate(k, { lookup: () => undefined, here: 0n, base: 0n, final: false });
      if (factor.unknown || factor.reloc !== 0) throw new StatementError(MSG.notConstant('a scale factor'), k.col, k.endCol);
      return walk(regSide, mul * factor.value);
    }
    throw new StatementError(MSG.invalidAddress('only + - and * by a constant may be applied to registers'), x.col, x.endCol);
  };
  walk(e, 1n);
  let disp: Expr | undefined;
  for (const p of parts) disp = disp ? { k: 'bin', op: '+', a: disp, b: p, col: disp.col, endCol: p.endCol } : p;
  return { regs, disp };
}

function hasRegister(e: Expr): boolean {
  if (e.k === 'reg') return true;
  if (e.k === 'un') return hasRegister(e.a);
  if (e.k === 'bin') return hasRegister(e.a) || hasRegister(e.b);
  if (e.k === 'cond') return hasRegister(e.c) || hasRegister(e.a) || hasRegister(e.b);
  return false;
}

/** NASM's rule: an unscaled register written first is the base; a scaled one is the index. */
function chooseBaseIndex(terms: Term[], col: number, endCol: number): { base?: Reg; index?: Reg; scale: number } {
  const merged: Term[] = [];
  for (const t of terms) {
    const same = merged.find((m) => m.reg.name === t.reg.name);
    if (same) same.scale += t.scale;
    else merged.push({ ...t });
  }
  const live = merged.filter((t) => t.scale !== 0);
  const bad = (why: string) => new StatementError(MSG.invalidAddress(why), col, endCol);
  for (const t of live) {
    if (t.reg.cls === 'rip') {
      if (live.length > 1 || t.scale !== 1) throw bad('rip cannot be combined with other registers');
      return { base: t.reg, scale: 1 };
    }
    if (t.reg.cls !== 'gpr' || t.reg.size === 8) throw bad(`'${t.reg.name}' cannot be used in an address`);
  }
  if (live.length > 2) throw bad('at most two registers');
  if (live.length === 2 && live[0].reg.size !== live[1].reg.size) throw bad('registers of different sizes');
  if (live.length === 0) return { scale: 1 };
  if (live.length === 1) {
    const t = live[0];
    return t.scale === 1 ? { base: t.reg, scale: 1 } : { index: t.reg, scale: t.scale };
  }
  let [b, i] = live;
  if (b.scale !== 1 && i.scale !== 1) throw bad('only one register may be scaled');
  if (b.scale !== 1) [b, i] = [i, b];
  // esp/rsp cannot be an index: swap when the other register is unscaled
  if (i.scale === 1 && (i.reg.num & 15) === 4 && i.reg.size !== 16) [b, i] = [i, b];
  return { base: b.reg, index: i.reg, scale: i.scale };
}

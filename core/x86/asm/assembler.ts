/** The multi-pass driver. Every pass walks all statements with the symbol values of the
 * previous pass; it stops when no label moved and no statement changed size. A statement
 * whose size still changes after WIDE_AFTER_PASS turns "wide" (it stops picking short
 * forms for symbolic values), so sizes only settle, and a pass limit catches the rest. */
import type { EncodeContext } from './encode';
import { encodeInstruction } from './instruction';
import { MSG, StatementError, type AsmError } from './errors';
import { evaluate, type EvalContext, type Expr, type SymbolValue, type Value } from './expr';
import { parseProgram, type Bits, type Statement } from './statements';
import { fitsEither, littleEndian } from './values';

export interface LineMapEntry {
  line: number;
  address: number;
  length: number;
}

export interface AssembleOptions {
  fileName?: string;
  bits?: Bits;
}

export interface AssembleResult {
  bytes: Uint8Array;
  origin: number;
  bits: Bits;
  lineMap: LineMapEntry[];
  symbols: Map<string, number>;
  errors: AsmError[];
}

const MAX_PASSES = 60;
/** sizes may go up and down freely until this pass; after it, a statement that still
 * changes size stops shrinking, so the passes always settle */
const WIDE_AFTER_PASS = 10;
const MAX_OUTPUT = 64 * 1024 * 1024;
const MAX_TIMES = 1n << 26n;

interface StatementState {
  length: number;
  wide: boolean;
}

/** `count` copies of `unit`: TIMES, RESB and ALIGN stay compact until the final copy. */
interface Chunk {
  unit: number[];
  count: number;
}

interface PassResult {
  chunks: Chunk[];
  lineMap: LineMapEntry[];
  origin: bigint;
  changed: boolean;
  errors: AsmError[];
}

export function assemble(source: string, opts: AssembleOptions = {}): AssembleResult {
  const startBits: Bits = opts.bits ?? 16;
  const parsed = parseProgram(source);
  const symbols = new Map<string, SymbolValue>();
  const state: StatementState[] = [];
  let converged = false;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const r = runPass(parsed.statements, symbols, state, startBits, pass, false);
    if (!r.changed && pass > 0) {
      converged = true;
      break;
    }
  }
  const final = runPass(parsed.statements, symbols, state, startBits, MAX_PASSES, true);
  const errors = [...parsed.errors, ...final.errors];
  if (!converged && errors.length === 0) errors.push({ line: 1, column: 1, message: MSG.notConverged() });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  const total = final.chunks.reduce((n, c) => n + c.unit.length * c.count, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of final.chunks) {
    if (c.unit.length === 1) bytes.fill(c.unit[0], at, at + c.count);
    else for (let i = 0; i < c.count; i++) bytes.set(c.unit, at + i * c.unit.length);
    at += c.unit.length * c.count;
  }
  const out = new Map<string, number>();
  for (const [name, v] of symbols) out.set(name, Number(v.value));
  return { bytes, origin: Number(final.origin), bits: startBits, lineMap: final.lineMap, symbols: out, errors };
}

function runPass(statements: Statement[], symbols: Map<string, SymbolValue>, state: StatementState[], startBits: Bits, pass: number, final: boolean): PassResult {
  let origin = 0n;
  let address = 0n;
  let emitted = 0;
  let changed = false;
  const chunks: Chunk[] = [];
  const lineMap: LineMapEntry[] = [];
  const errors: AsmError[] = [];
  // one evaluation and one encoding context per pass, updated in place (this loop is hot)
  const evalCtx: EvalContext = { lookup: (n) => symbols.get(n), here: 0n, base: 0n, final };
  const ev = (e: Expr, here: bigint): Value => {
    evalCtx.here = here;
    evalCtx.base = origin;
    return evaluate(e, evalCtx);
  };
  // `$` is the start of the line even inside TIMES (NASM evaluates operands once per line);
  // relative targets are still measured from each repetition's own address
  let lineStart = 0n;
  const enc: EncodeContext = { bits: startBits, address: 0n, defaultRel: false, wide: false, evaluate: (e) => ev(e, lineStart) };

  const define = (name: string, value: bigint, reloc: number) => {
    const old = symbols.get(name);
    if (!old) {
      symbols.set(name, { value, reloc });
      changed = true;
    } else if (old.value !== value || old.reloc !== reloc) {
      old.value = value;
      old.reloc = reloc;
      changed = true;
    }
  };

  for (let index = 0; index < statements.length; index++) {
    const stmt = statements[index];
    let start = address;
    lineStart = start;
    const st = (state[index] ??= { length: 0, wide: false });
    let out: Chunk[] = [];
    try {
      out = statementBytes(stmt, start, st);
    } catch (e) {
      if (!(e instanceof StatementError)) throw e;
      if (final) errors.push({ line: stmt.line, column: e.column, endColumn: e.endColumn, message: e.message });
      out = [];
    }
    if (stmt.body?.kind === 'org' && out.length === 0) start = address;
    let length = 0;
    for (const c of out) length += c.unit.length * c.count;
    if (length !== st.length) {
      if (pass >= WIDE_AFTER_PASS) st.wide = true;
      st.length = length;
      changed = true;
    }
    if (stmt.label || (stmt.body && stmt.body.kind !== 'equ' && stmt.body.kind !== 'ignored')) {
      lineMap.push({ line: stmt.line, address: Number(start), length });
    }
    for (const c of out) if (c.count > 0 && c.unit.length > 0) chunks.push(c);
    emitted += length;
    address = start + BigInt(length);
  }
  return { chunks, lineMap, origin, changed, errors };

  function statementBytes(stmt: Statement, start: bigint, st: StatementState): Chunk[] {
    const body = stmt.body;
    if (stmt.label) {
      if (body?.kind === 'equ') {
        const v = ev(body.expr, start);
        define(stmt.label.name, v.value, v.reloc);
      } else define(stmt.label.name, start, 1);
    }
    if (!body) return [];
    switch (body.kind) {
      case 'bits':
        enc.bits = body.bits;
        return [];
      case 'default':
        enc.defaultRel = body.rel;
        return [];
      case 'org': {
        const v = ev(body.expr, start);
        if (v.unknown) throw new StatementError(MSG.notConstant('org'), body.expr.col, body.expr.endCol);
        if (emitted > 0) throw new StatementError(MSG.originRedefined(), stmt.col, stmt.endCol);
        origin = BigInt.asUintN(64, v.value);
        address = origin;
        return [];
      }
      case 'align': {
        const to = ev(body.to, start);
        if (to.value <= 0n || (to.value & (to.value - 1n)) !== 0n) throw new StatementError(MSG.alignPower(), body.to.col, body.to.endCol);
        return [{ unit: [body.fill], count: Number((to.value - ((start - origin) % to.value)) % to.value) }];
      }
      case 'equ':
      case 'ignored':
        return [];
    }
    let count = 1n;
    if (stmt.times) {
      const c = ev(stmt.times, start);
      count = c.unknown ? 0n : c.value;
      if (count < 0n) throw new StatementError(MSG.timesNegative(count), stmt.times.col, stmt.times.endCol);
      if (count > MAX_TIMES) throw new StatementError(MSG.timesTooLarge(count), stmt.times.col, stmt.times.endCol);
    }
    const n = Number(count);
    const checkSize = (bytes: number) => {
      if (emitted + bytes > MAX_OUTPUT) throw new StatementError(MSG.outputTooLarge(), stmt.col, stmt.endCol);
    };
    if (body.kind === 'res') {
      const v = ev(body.count, start);
      const size = (v.unknown ? 0n : v.value) * BigInt(body.unit) * count;
      if (size < 0n || size > BigInt(MAX_OUTPUT)) throw new StatementError(MSG.outputTooLarge(), body.count.col, body.count.endCol);
      checkSize(Number(size));
      return [{ unit: [0], count: Number(size) }];
    }
    if (body.kind === 'data') {
      // operands are evaluated at the start of the line, so every repetition is the same
      const unit: number[] = [];
      emitData(body.unit, body.items, (e) => ev(e, start), unit);
      checkSize(unit.length * n);
      return [{ unit, count: n }];
    }
    enc.wide = st.wide;
    enc.address = start;
    const first = encodeInstruction(body.ins, enc);
    if (n <= 1) return n === 1 ? [{ unit: first, count: 1 }] : [];
    checkSize(first.length * n);
    // only relative targets differ between repetitions; if the second copy equals the first, all do
    enc.address = start + BigInt(first.length);
    const second = encodeInstruction(body.ins, enc);
    if (second.length === first.length && second.every((b, i) => b === first[i])) return [{ unit: first, count: n }];
    const out: Chunk[] = [{ unit: first, count: 1 }, { unit: second, count: 1 }];
    let here = start + BigInt(first.length + second.length);
    for (let i = 2; i < n; i++) {
      enc.address = here;
      const bytes = encodeInstruction(body.ins, enc);
      out.push({ unit: bytes, count: 1 });
      here += BigInt(bytes.length);
      checkSize(Number(here - start));
    }
    return out;
  }
}

function emitData(unit: 1 | 2 | 4 | 8, items: ({ kind: 'bytes'; bytes: number[] } | { kind: 'expr'; expr: Expr })[], ev: (e: Expr) => Value, out: number[]): void {
  for (const item of items) {
    if (item.kind === 'bytes') {
      out.push(...item.bytes);
      for (let pad = (unit - (item.bytes.length % unit)) % unit; pad > 0; pad--) out.push(0);
      continue;
    }
    const v = ev(item.expr);
    const value = v.unknown ? 0n : v.value;
    if (unit < 8 && !fitsEither(value, unit * 8)) throw new StatementError(MSG.dataOutOfRange(value, unit * 8), item.expr.col, item.expr.endCol);
    out.push(...littleEndian(value, unit));
  }
}

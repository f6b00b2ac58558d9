/** Chooses the encoding for one instruction the way NASM's optimiser does: among the
 * table forms that fit the operands, the shortest wins; on a tie, the earlier form. */
import { encodeForm, type EncodeContext } from './encode';
import { MSG, StatementError } from './errors';
import { defaultOperandSize, formValidInMode, operandMatches, patternMemorySize, SIZELESS_MEMORY, type Bits } from './match';
import type { Operand } from './operands';
import { FORMS, PREFIX_BYTES, type Form } from './table';

export interface InstructionStatement {
  mnemonic: string;
  col: number;
  endCol: number;
  prefixes: { word: string; col: number; endCol: number }[];
  operands: Operand[];
  /** fitting forms per mode, filled on first use */
  cache?: Map<string, Form[]>;
}

export function isMnemonic(word: string): boolean {
  return FORMS.has(word.toLowerCase());
}

export function isPrefixWord(word: string): boolean {
  return word.toLowerCase() in PREFIX_BYTES;
}

export function encodeInstruction(ins: InstructionStatement, ctx: EncodeContext): number[] {
  const name = ins.mnemonic.toLowerCase();
  const forms = FORMS.get(name);
  const at = (msg: string) => new StatementError(msg, ins.col, ins.endCol);
  if (!forms) throw at(MSG.unknownMnemonic(ins.mnemonic));
  const candidates = candidatesFor(ins, forms, ctx.bits, ctx.defaultRel);
  const prefixBytes = ins.prefixes.map((p) => {
    if (p.word.toLowerCase() === 'lock' && !candidates.some((f) => f.lockable)) throw new StatementError(MSG.lockNotAllowed(name), p.col, p.endCol);
    return PREFIX_BYTES[p.word.toLowerCase()];
  });
  const isLock = ins.prefixes.some((p) => p.word.toLowerCase() === 'lock');
  let best: number[] | undefined;
  // when nothing fits, the widest (last) form's complaint is the most useful one
  let lastError: StatementError | undefined;
  for (const f of candidates) {
    if (isLock && !(f.lockable && ins.operands[0]?.kind === 'mem')) {
      lastError = new StatementError(MSG.lockNotAllowed(name), ins.prefixes[0].col, ins.prefixes[0].endCol);
      continue;
    }
    try {
      const bytes = encodeForm(f, ins.operands, prefixBytes, ctx);
      if (!best || bytes.length < best.length) best = bytes;
    } catch (e) {
      if (!(e instanceof StatementError)) throw e;
      lastError = e.column === 0 ? at(e.message) : e;
    }
  }
  if (best) return best;
  throw lastError ?? at(MSG.badCombination(name));
}

/** The forms whose shape fits the operands, after the checks that depend only on the
 * mode (64-bit registers, ambiguous sizes). Cached on the statement across passes. */
function candidatesFor(ins: InstructionStatement, forms: readonly Form[], bits: Bits, defaultRel: boolean): Form[] {
  const key = `${bits}${defaultRel ? 'r' : 'a'}`;
  const cache = (ins.cache ??= new Map());
  const hit = cache.get(key);
  if (hit) return hit;
  const name = ins.mnemonic.toLowerCase();
  for (const op of ins.operands) {
    if (op.kind === 'reg' && op.reg.only64 && bits !== 64) throw new StatementError(MSG.registerNeeds64(op.reg.name), op.col, op.endCol);
    if (op.kind === 'mem') {
      for (const r of [op.base, op.index]) if (r && r.only64 && bits !== 64) throw new StatementError(MSG.registerNeeds64(r.name), op.col, op.endCol);
    }
  }
  const sized = ins.operands.some(
    (op) =>
      (op.kind === 'reg' && op.reg.cls === 'gpr') ||
      (op.kind === 'mem' && op.size !== undefined) ||
      (op.kind === 'far' && op.size !== undefined) ||
      (op.kind === 'imm' && op.size !== undefined && (op.size !== 8 || ins.operands.some((o) => o.kind === 'mem'))),
  );
  const inMode = forms.filter((f) => formValidInMode(f, bits));
  if (inMode.length === 0) throw new StatementError(forms.some((f) => f.only64) ? MSG.only64(name) : MSG.notIn64(name), ins.col, ins.endCol);
  // NASM: `add [ebx], byte 5` is a byte operation: a sized immediate sizes an unsized memory operand
  const sizedImm = ins.operands.find((op) => op.kind === 'imm' && op.size !== undefined);
  const immSize = sizedImm?.kind === 'imm' ? sizedImm.size : undefined;
  const memIndex = ins.operands.findIndex((op) => op.kind === 'mem' && op.size === undefined);
  const candidates = inMode.filter(
    (f) =>
      f.ops.length === ins.operands.length &&
      !(immSize !== undefined && memIndex >= 0 && ![0, immSize].includes(patternMemorySize(f.ops[memIndex]))) &&
      f.ops.every((p, i) => operandMatches(ins.operands[i], p, f, bits, defaultRel)) &&
      !(f.defaultSize && !sized && f.osize !== undefined && f.osize !== defaultOperandSize(f, bits)) &&
      !isXchgNop(f, ins.operands, bits),
  );
  if (candidates.length === 0) throw new StatementError(MSG.badCombination(name), ins.col, ins.endCol);
  checkSizeAmbiguity(ins, candidates);
  cache.set(key, candidates);
  return candidates;
}

/** `xchg eax, eax` in 64-bit mode must not become 0x90 (that is `nop`, which keeps rax's top half). */
function isXchgNop(f: Form, ops: Operand[], bits: number): boolean {
  return f.mnemonic === 'xchg' && f.plusR && bits === 64 && f.osize === 32 && ops.every((o) => o.kind === 'reg' && o.reg.num === 0);
}

/** An unsized memory operand is fine only when every fitting form agrees on its size. */
function checkSizeAmbiguity(ins: InstructionStatement, candidates: Form[]): void {
  const immSized = ins.operands.some((op) => op.kind === 'imm' && op.size !== undefined);
  ins.operands.forEach((op, i) => {
    if (op.kind !== 'mem' || op.size !== undefined || immSized) return;
    const sized = candidates.filter((f) => !SIZELESS_MEMORY.has(f.ops[i]));
    const sizes = new Set(sized.map((f) => patternMemorySize(f.ops[i])));
    if (sizes.size > 1 || sized.some((f) => f.sized)) throw new StatementError(MSG.sizeNotSpecified(), op.col, op.endCol);
  });
}

/** Turns one table form plus parsed operands into bytes:
 * [lock/rep] [segment] [66] [67] [REX] opcode [ModRM [SIB] [disp]] [immediates|rel|moffs|far].
 * Throws StatementError when a value does not fit this form; the caller then tries
 * the next form. */
import { MSG, StatementError } from './errors';
import { isPlainConstant, type Expr, type Value } from './expr';
import type { Bits } from './match';
import { encodeMemory, type MemContext, type MemEncoding } from './modrm';
import type { ImmOperand, MemOperand, Operand } from './operands';
import { SEGMENT_PREFIX } from './registers';
import type { Form } from './table';
import { fitsEither, fitsSigned, littleEndian, wrapSigned } from './values';

export interface EncodeContext extends MemContext {
  bits: Bits;
  /** address of the first byte of this instruction */
  address: bigint;
  evaluate(e: Expr): Value;
}

interface Tail {
  /** bytes known now, or a patch computed from the instruction's end address */
  bytes?: number[];
  size: number;
  patch?: (end: bigint) => number[];
}

export function encodeForm(form: Form, ops: Operand[], prefixBytes: number[], ctx: EncodeContext): number[] {
  const bits = ctx.bits;
  const rexW = form.osize === 64 && !form.d64 ? 1 : 0;
  let rexR = 0;
  let rexX = 0;
  let rexB = 0;
  let rexNeeded = false;
  let highByte: string | undefined;
  for (const op of ops) {
    if (op.kind !== 'reg') continue;
    if (op.reg.needsRex) rexNeeded = true;
    if (op.reg.highByte) highByte = op.reg.name;
  }
  const opcode = [...form.opcode];
  let regField = form.digit;
  let rmOp: Operand | undefined;
  let seg: number | undefined;
  let addressSize: number | undefined = form.asize;
  const tails: Tail[] = [];

  ops.forEach((op, i) => {
    const role = form.roles[i];
    const pat = form.ops[i];
    if (pat === 'one') checkOne(op as ImmOperand, ctx);
    if (op.kind === 'mem' && op.seg) seg = SEGMENT_PREFIX[op.seg.num];
    switch (role) {
      case 'r':
      case 'B':
        if (op.kind !== 'reg') throw new Error('table: reg role on non-register');
        regField = op.reg.num & 7;
        rexR = op.reg.num >> 3;
        if (role === 'B') rmOp = op;
        break;
      case 'm':
        rmOp = op;
        break;
      case 'o':
        if (op.kind !== 'reg') throw new Error('table: opcode-register role on non-register');
        opcode[opcode.length - 1] += op.reg.num & 7;
        rexB = op.reg.num >> 3;
        break;
      case 'x': {
        const mem = op as MemOperand;
        const v = mem.disp ? ctx.evaluate(mem.disp) : { value: 0n, unknown: false };
        const size = bits / 8;
        if (!v.unknown && !fitsEither(v.value, bits)) throw new StatementError(MSG.outOfRange(v.value, bits), mem.col, mem.endCol);
        addressSize = bits;
        tails.push({ bytes: littleEndian(v.value, size), size });
        break;
      }
      case 'f': {
        if (op.kind !== 'far') throw new Error('table: far role');
        const offSize = form.osize === 16 ? 2 : 4;
        const off = ctx.evaluate(op.off);
        const sel = ctx.evaluate(op.seg);
        if (!off.unknown && !fitsEither(off.value, offSize * 8)) throw new StatementError(MSG.outOfRange(off.value, offSize * 8), op.off.col, op.off.endCol);
        if (!sel.unknown && !fitsEither(sel.value, 16)) throw new StatementError(MSG.outOfRange(sel.value, 16), op.seg.col, op.seg.endCol);
        tails.push({ bytes: [...littleEndian(off.value, offSize), ...littleEndian(sel.value, 2)], size: offSize + 2 });
        break;
      }
      case 'j':
        tails.push(relTail(form, op as ImmOperand, ctx));
        break;
    }
  });
  // immediates, in operand order
  let k = 0;
  ops.forEach((op, i) => {
    if (form.roles[i] !== 'i') return;
    const bytes = immediateBytes(form.imms[k++], form.ops[i], op as ImmOperand, form, ctx);
    tails.push({ bytes, size: bytes.length });
  });

  let modrm: number[] = [];
  let mem: MemEncoding | undefined;
  if (form.modrm) {
    if (!rmOp) throw new Error('table: ModRM form without rm operand');
    if (rmOp.kind === 'reg') {
      modrm = [0xc0 | (regField << 3) | (rmOp.reg.num & 7)];
      rexB = rmOp.reg.num >> 3;
    } else if (rmOp.kind === 'mem') {
      mem = encodeMemory(rmOp, ctx);
      addressSize = mem.addressSize;
      rexX = mem.rexX;
      rexB = mem.rexB;
      modrm = [(mem.mod << 6) | (regField << 3) | mem.rm];
      if (mem.sib !== undefined) modrm.push(mem.sib);
    }
  }

  const prefixes = [...prefixBytes];
  if (seg !== undefined) prefixes.push(seg);
  if ((form.osize === 16 && bits !== 16) || (form.osize === 32 && bits === 16)) prefixes.push(0x66);
  if (addressSize !== undefined && addressSize !== bits) prefixes.push(0x67);
  if (rexW || rexR || rexX || rexB || rexNeeded) {
    if (bits !== 64) throw new StatementError(MSG.only64(form.mnemonic), 0);
    if (highByte) throw new StatementError(MSG.highByteWithRex(highByte), 0);
    prefixes.push(0x40 | (rexW << 3) | (rexR << 2) | (rexX << 1) | rexB);
  }
  const head = [...prefixes, ...opcode, ...modrm];
  const dispSize = mem ? mem.dispSize : 0;
  const length = head.length + dispSize + tails.reduce((n, t) => n + t.size, 0);
  const end = ctx.address + BigInt(length);
  const out = head;
  if (mem && dispSize) {
    const disp = mem.ripTarget !== undefined ? ripDisp(mem.ripTarget - end, rmOp as MemOperand) : mem.disp;
    out.push(...littleEndian(disp, dispSize));
  }
  for (const t of tails) out.push(...(t.bytes ?? t.patch!(end)));
  return out;
}

function ripDisp(d: bigint, mem: MemOperand): bigint {
  if (!fitsSigned(d, 32)) throw new StatementError(MSG.dispOutOfRange(d), mem.col, mem.endCol);
  return d;
}

/** Wide (sticky) statements never pick a value-dependent short form for symbolic values. */
function mayShrink(e: Expr, ctx: EncodeContext): boolean {
  return !(ctx.wide && !isPlainConstant(e));
}

function checkOne(op: ImmOperand, ctx: EncodeContext): void {
  const v = ctx.evaluate(op.expr);
  if (v.unknown || v.reloc !== 0 || v.value !== 1n || !mayShrink(op.expr, ctx)) throw new StatementError(MSG.outOfRange(v.value, 8), op.col, op.endCol);
}

function immediateBytes(kind: Form['imms'][number], pat: string, op: ImmOperand, form: Form, ctx: EncodeContext): number[] {
  const v = ctx.evaluate(op.expr);
  const value = v.unknown ? 0n : v.value;
  const range = (bits: number) => new StatementError(MSG.outOfRange(value, bits), op.col, op.endCol);
  switch (pat) {
    case 'sbyte': {
      const explicit = op.size === 8;
      if (!explicit && (v.reloc !== 0 || !mayShrink(op.expr, ctx))) throw range(8);
      const osize = form.osize ?? 8;
      if (osize < 64 && !fitsEither(value, osize)) throw range(osize);
      const w = osize === 64 ? value : wrapSigned(value, osize);
      if (!fitsSigned(w, 8)) throw range(8);
      return littleEndian(w, 1);
    }
    case 'uimm32':
      if (v.reloc !== 0 || !mayShrink(op.expr, ctx) || value < 0n || value >= 1n << 32n) throw range(32);
      return littleEndian(value, 4);
    case 'sdword':
      if (v.reloc !== 0 || !mayShrink(op.expr, ctx)) throw range(32);
      if (!fitsSigned(value, 32)) throw range(32);
      return littleEndian(value, 4);
    case 'simm32':
      if (!fitsSigned(value, 32)) throw range(32);
      return littleEndian(value, 4);
  }
  const size = { ib: 1, iw: 2, id: 4, iq: 8, ibs: 1 }[kind];
  if (!fitsEither(value, size * 8)) throw range(size * 8);
  return littleEndian(value, size);
}

function relTail(form: Form, op: ImmOperand, ctx: EncodeContext): Tail {
  const t = ctx.evaluate(op.expr);
  const size = form.rel === 'rb' ? 1 : ctx.bits === 16 ? 2 : 4;
  if (form.rel === 'rb' && op.jump !== 'short' && !mayShrink(op.expr, ctx)) throw new StatementError(MSG.shortJumpOutOfRange(0n), op.col, op.endCol);
  return {
    size,
    patch: (end) => {
      if (t.unknown) return littleEndian(0n, size);
      const d = t.value - end;
      if (size === 1 && !fitsSigned(d, 8)) throw new StatementError(MSG.shortJumpOutOfRange(d), op.col, op.endCol);
      if (size === 4 && ctx.bits === 64 && !fitsSigned(d, 32)) throw new StatementError(MSG.nearJumpOutOfRange(), op.col, op.endCol);
      return littleEndian(d, size);
    },
  };
}

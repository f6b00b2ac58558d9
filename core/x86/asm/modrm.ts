/** ModRM/SIB/displacement for a memory operand in 16-, 32- and 64-bit addressing,
 * with NASM's choices: [bp]/[rbp]/[r13] get a zero disp8, [esp]/[r12] need a SIB,
 * `[reg*2]` is split into `[reg+reg]`, and a bare address in 64-bit mode is an
 * absolute SIB form unless `rel` (or `default rel`) asks for RIP-relative. */
import { MSG, StatementError } from './errors';
import { isPlainConstant, type Value } from './expr';
import type { MemOperand } from './operands';
import { fitsSigned, wrapSigned } from './values';

export interface MemEncoding {
  addressSize: 16 | 32 | 64;
  mod: number;
  rm: number;
  sib?: number;
  dispSize: 0 | 1 | 2 | 4;
  disp: bigint;
  /** RIP-relative to an absolute target: disp = target - end of instruction */
  ripTarget?: bigint;
  rexX: number;
  rexB: number;
}

export interface MemContext {
  bits: 16 | 32 | 64;
  defaultRel: boolean;
  /** sticky "never shrink" mode for statements whose size kept changing */
  wide: boolean;
  evaluate(e: NonNullable<MemOperand['disp']>): Value;
}

// 16-bit ModRM.rm for each base+index register pair (by register number)
const RM16: Record<string, number> = { '3,6': 0, '3,7': 1, '5,6': 2, '5,7': 3, '6': 4, '7': 5, '5': 6, '3': 7 };

export function encodeMemory(mem: MemOperand, ctx: MemContext): MemEncoding {
  const bad = (why: string) => new StatementError(MSG.invalidAddress(why), mem.col, mem.endCol);
  const d: Value = mem.disp ? ctx.evaluate(mem.disp) : { value: 0n, reloc: 0, unknown: false };
  const reg = mem.base ?? mem.index;
  if (mem.dispSize === 64) throw bad('a 64-bit displacement is only available for mov to or from al/ax/eax/rax');
  // [dword x] asks for a full displacement; [byte x] for a one-byte one
  const small = mem.dispSize === undefined || mem.dispSize === 8 ? d.reloc === 0 && !(ctx.wide && mem.disp !== undefined && !isPlainConstant(mem.disp)) : false;

  if (mem.base?.cls === 'rip') {
    if (ctx.bits !== 64) throw bad('rip-relative addressing needs 64-bit mode');
    if (!fitsSigned(d.value, 32)) throw new StatementError(MSG.dispOutOfRange(d.value), mem.col, mem.endCol);
    return { addressSize: mem.base.size === 32 ? 32 : 64, mod: 0, rm: 5, dispSize: 4, disp: d.value, rexX: 0, rexB: 0 };
  }
  const addressSize = (reg ? reg.size : ctx.bits) as 16 | 32 | 64;
  if (addressSize === 16 && ctx.bits === 64) throw bad('16-bit addressing is not available in 64-bit mode');
  if (reg && mem.rel === true) throw bad("'rel' cannot be combined with registers");

  if (addressSize === 16) return encode16(mem, d.value, small, bad);

  let base = mem.base;
  let index = mem.index;
  let scale = mem.scale;
  if (!base && index && [2, 3, 5, 9].includes(scale)) {
    base = index;
    scale -= 1;
  }
  if (![1, 2, 4, 8].includes(scale)) throw bad(`scale must be 1, 2, 4 or 8 (got ${mem.scale})`);
  if (index && index.num === 4) throw bad(`'${index.name}' cannot be an index register`);

  const disp32 = (): bigint => {
    if (addressSize === 64 || (ctx.bits === 64 && !reg)) {
      if (!fitsSigned(d.value, 32)) throw new StatementError(MSG.dispOutOfRange(d.value), mem.col, mem.endCol);
      return d.value;
    }
    return wrapSigned(d.value, 32);
  };

  if (!base && !index) {
    if (ctx.bits === 64) {
      const farSeg = mem.seg !== undefined && mem.seg.num >= 4;
      // like NASM, only a relocatable address (one with a label, $ or $$ in it) becomes
      // RIP-relative; a plain number stays an absolute address even under `rel`
      const rel = (mem.rel ?? (ctx.defaultRel && !farSeg)) && (d.reloc !== 0 || d.unknown);
      if (rel) return { addressSize: 64, mod: 0, rm: 5, dispSize: 4, disp: 0n, ripTarget: d.value, rexX: 0, rexB: 0 };
      return { addressSize: 64, mod: 0, rm: 4, sib: 0x25, dispSize: 4, disp: disp32(), rexX: 0, rexB: 0 };
    }
    return { addressSize, mod: 0, rm: 5, dispSize: 4, disp: wrapSigned(d.value, 32), rexX: 0, rexB: 0 };
  }
  const ss = { 1: 0, 2: 1, 4: 2, 8: 3 }[scale as 1 | 2 | 4 | 8];
  const rexX = index ? index.num >> 3 : 0;
  if (!base) {
    return { addressSize, mod: 0, rm: 4, sib: (ss << 6) | ((index!.num & 7) << 3) | 5, dispSize: 4, disp: disp32(), rexX, rexB: 0 };
  }
  const low = base.num & 7;
  const wrapped = wrapSigned(d.value, addressSize === 64 ? 64 : 32);
  let mod: number;
  let dispSize: 0 | 1 | 4;
  if (small && wrapped === 0n && low !== 5 && mem.dispSize !== 8) [mod, dispSize] = [0, 0];
  else if (mem.dispSize === 8 || (small && fitsSigned(wrapped, 8))) [mod, dispSize] = [1, 1];
  else [mod, dispSize] = [2, 4];
  if (mem.dispSize === 8 && !fitsSigned(wrapped, 8) && !d.unknown) throw new StatementError(MSG.outOfRange(wrapped, 8), mem.col, mem.endCol);
  const disp = dispSize === 4 ? disp32() : wrapped;
  const needSib = index !== undefined || low === 4;
  return {
    addressSize,
    mod,
    rm: needSib ? 4 : low,
    sib: needSib ? (ss << 6) | ((index ? index.num & 7 : 4) << 3) | low : undefined,
    dispSize,
    disp,
    rexX,
    rexB: base.num >> 3,
  };
}

function encode16(mem: MemOperand, value: bigint, small: boolean, bad: (why: string) => StatementError): MemEncoding {
  if (!mem.base && !mem.index) {
    if (!fitsSigned(value, 16) && !(value >= 0n && value < 0x10000n)) throw bad(`address ${value} does not fit in 16 bits`);
    return { addressSize: 16, mod: 0, rm: 6, dispSize: 2, disp: wrapSigned(value, 16), rexX: 0, rexB: 0 };
  }
  if (mem.scale !== 1) throw bad('16-bit addressing cannot scale a register');
  const nums = [mem.base, mem.index].filter((r) => r !== undefined).map((r) => r!.num).sort((a, b) => a - b);
  const rm = RM16[nums.join(',')];
  if (rm === undefined) throw bad('16-bit addressing allows only bx or bp, plus si or di');
  const v = wrapSigned(value, 16);
  let mod: number;
  let dispSize: 0 | 1 | 2;
  if (small && v === 0n && rm !== 6) [mod, dispSize] = [0, 0];
  else if (small && fitsSigned(v, 8)) [mod, dispSize] = [1, 1];
  else [mod, dispSize] = [2, 2];
  return { addressSize: 16, mod, rm, dispSize, disp: v, rexX: 0, rexB: 0 };
}

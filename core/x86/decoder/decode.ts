/** Table-driven x86 decoder for 16-, 32- and 64-bit code. */
import { ONE_BYTE, TWO_BYTE, needsModrm, type OpcodeEntry } from './table';
import {
  OpKind, REG_NONE, REG_RIP, SEG_CS, SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS,
  type DecodeError, type Instruction, type Operand,
} from './types';

const MAX_LEN = 15;
const LOCKABLE = new Set(['add', 'adc', 'and', 'btc', 'btr', 'bts', 'cmpxchg', 'dec', 'inc', 'neg', 'not', 'or', 'sbb', 'sub', 'xor', 'xadd', 'xchg']);
const FIXED_SEGS: Record<string, number> = { ES: SEG_ES, CS: SEG_CS, SS: SEG_SS, DS: SEG_DS, FS: SEG_FS, GS: SEG_GS };

function operand(kind: OpKind, size: number): Operand {
  return { kind, size, reg: 0, high8: false, base: REG_NONE, index: REG_NONE, scale: 1, disp: 0, dispHi: 0, seg: SEG_DS, imm: 0, immHi: 0 };
}

/** Splits a canonical address held as a double into 32-bit halves. */
function splitAddr(v: number): [number, number] {
  const hi = Math.floor(v / 4294967296);
  return [(v - hi * 4294967296) | 0, hi | 0];
}

class Reader {
  pos: number;
  constructor(readonly bytes: Uint8Array, readonly start: number, readonly end: number) {
    this.pos = start;
  }
  u8(): number {
    if (this.pos >= this.end || this.pos - this.start >= MAX_LEN) throw TRUNC;
    return this.bytes[this.pos++];
  }
  i8(): number {
    return (this.u8() << 24) >> 24;
  }
  u16(): number {
    return this.u8() | (this.u8() << 8);
  }
  i32(): number {
    return this.u8() | (this.u8() << 8) | (this.u8() << 16) | (this.u8() << 24);
  }
}
const TRUNC = { trunc: true };
const INVALID = { invalid: true };

/**
 * Decodes one instruction from `bytes[offset..end)` for the given bitness.
 * `ip` is the address of the instruction (a canonical address as a number), used to
 * resolve relative branches. Returns a DecodeError for bytes it does not accept.
 */
export function decode(bytes: Uint8Array, offset: number, bitness: 16 | 32 | 64, ip = 0, end = bytes.length): Instruction | DecodeError {
  const r = new Reader(bytes, offset, Math.min(end, bytes.length));
  try {
    return decodeInner(r, bitness, ip);
  } catch (err) {
    if (err === TRUNC) return { error: 'truncated', length: r.pos - offset };
    if (err === INVALID) return { error: 'invalid', length: Math.max(1, r.pos - offset) };
    throw err;
  }
}

export function isDecodeError(x: Instruction | DecodeError): x is DecodeError {
  return (x as DecodeError).error !== undefined;
}

function decodeInner(r: Reader, bitness: 16 | 32 | 64, ip: number): Instruction {
  const long = bitness === 64;
  let opPrefix = false, adPrefix = false, rep = 0, lock = false, seg = -1, rex = 0;
  let rawSeg = -1;
  let b: number;
  // Legacy prefixes in any order; a REX byte counts only if it immediately precedes the opcode.
  for (;;) {
    b = r.u8();
    if (b === 0x66) opPrefix = true;
    else if (b === 0x67) adPrefix = true;
    else if (b === 0xf3 || b === 0xf2) rep = b;
    else if (b === 0xf0) lock = true;
    else if (b === 0x26 || b === 0x2e || b === 0x36 || b === 0x3e) {
      // in 64-bit mode ES/CS/SS/DS prefixes are ignored (they do not replace an FS/GS prefix)
      rawSeg = b === 0x26 ? SEG_ES : b === 0x2e ? SEG_CS : b === 0x36 ? SEG_SS : SEG_DS;
      if (!long) seg = rawSeg;
    } else if (b === 0x64) seg = rawSeg = SEG_FS;
    else if (b === 0x65) seg = rawSeg = SEG_GS;
    else if (long && b >= 0x40 && b <= 0x4f) {
      rex = b;
      b = r.u8();
      if (b >= 0x40 && b <= 0x4f) { // a REX followed by another REX: the first is ignored
        r.pos--;
        continue;
      }
      if (b === 0x66 || b === 0x67 || b === 0xf2 || b === 0xf3 || b === 0xf0 || b === 0x26 || b === 0x2e || b === 0x36 || b === 0x3e || b === 0x64 || b === 0x65) {
        rex = 0; // a legacy prefix after REX cancels it
        r.pos--;
        continue;
      }
      break;
    } else break;
  }
  // In 64-bit mode only FS and GS overrides have an effect.
  if (long && seg !== SEG_FS && seg !== SEG_GS) seg = -1;
  let opcode = b;
  let entry: OpcodeEntry | null;
  if (b === 0x0f) {
    const b2 = r.u8();
    opcode = 0x100 | b2;
    entry = TWO_BYTE[b2];
  } else entry = ONE_BYTE[b];
  if (!entry) throw INVALID;
  if (entry.i64 && long) throw INVALID;
  if (entry.o64 && !long) throw INVALID;

  const rexW = (rex & 8) !== 0, rexR = (rex & 4) ? 8 : 0, rexX = (rex & 2) ? 8 : 0, rexB = (rex & 1) ? 8 : 0;
  const addrSize = long ? (adPrefix ? 4 : 8) : bitness === 32 ? (adPrefix ? 2 : 4) : adPrefix ? 4 : 2;

  let modrm = -1, mod = 0, regF = 0, rm = 0;
  if (needsModrm(entry)) {
    modrm = r.u8();
    mod = modrm >> 6;
    regF = (modrm >> 3) & 7;
    rm = modrm & 7;
    if (entry.group) {
      if (mod === 3 && entry.regForms) {
        const alt = entry.regForms[regF * 8 + rm];
        if (alt && alt.np && (opPrefix || rep)) throw INVALID; // forms that allow no 66/F2/F3 prefix
        if (alt) entry = alt;
        else if (entry.group[regF] && /M/.test(entry.group[regF]!.ops)) throw INVALID;
        else entry = entry.group[regF];
      } else entry = entry.group[regF];
      if (!entry) throw INVALID;
      if (entry.i64 && long) throw INVALID;
      if (entry.o64 && !long) throw INVALID;
    }
  }
  if (rep === 0xf3 && entry.f3) entry = entry.f3;
  else if (opcode === 0x90 && (rex & 9 || opPrefix)) entry = ONE_BYTE[0x91]!; // with REX.B/W or 66, 90 is XCHG rAX form

  // Operand size.
  let opSize: number;
  if (long && entry.f64) opSize = 8;
  else if (long && entry.d64) opSize = rexW ? 8 : opPrefix ? 2 : 8;
  else if (rexW) opSize = 8;
  else if (bitness === 16) opSize = opPrefix ? 4 : 2;
  else opSize = opPrefix ? 2 : 4;

  const names = entry.mn.split('|');
  // JCXZ/JECXZ/JRCXZ is named for the address size, every other multi-name entry for the operand size.
  const nameSize = opcode === 0xe3 ? addrSize : opSize;
  const mnemonic = names.length === 1 ? names[0] : names[nameSize === 2 ? 0 : nameSize === 4 ? 1 : 2];
  if (!mnemonic) throw INVALID;

  const ins: Instruction = {
    mnemonic, operands: [], length: 0, bitness, opSize, addrSize, rep, lock, segOverride: seg,
    cc: -1, rex, opcode, segPrefix: rawSeg, modrmReg: modrm >= 0 ? regF : -1,
  };
  if ((opcode >= 0x70 && opcode <= 0x7f) || (opcode >= 0x140 && opcode <= 0x14f) || (opcode >= 0x180 && opcode <= 0x19f)) {
    ins.cc = opcode & 0xf;
  }

  // ModRM memory operand (parsed once, used by whichever operand code needs it).
  let mem: Operand | null = null;
  const parseMem = (size: number): Operand => {
    if (mem) { mem.size = size; return mem; }
    const m = operand(OpKind.Mem, size);
    if (addrSize === 2) {
      const bases = [3, 3, 5, 5, 6, 7, 5, 3];
      const idx = [6, 7, 6, 7, REG_NONE, REG_NONE, REG_NONE, REG_NONE];
      if (mod === 0 && rm === 6) {
        m.disp = r.u16();
      } else {
        m.base = bases[rm];
        m.index = idx[rm];
        if (mod === 1) m.disp = r.i8();
        else if (mod === 2) m.disp = (r.u16() << 16) >> 16;
      }
      m.seg = rm === 2 || rm === 3 || (rm === 6 && mod !== 0) ? SEG_SS : SEG_DS;
    } else {
      if (rm === 4) {
        const sib = r.u8();
        const ss = sib >> 6, ix = ((sib >> 3) & 7) | rexX, bs = sib & 7;
        m.index = ix === 4 ? REG_NONE : ix;
        m.scale = 1 << ss;
        if (bs === 5 && mod === 0) {
          m.base = REG_NONE;
          m.disp = r.i32();
        } else m.base = bs | rexB;
      } else if (rm === 5 && mod === 0) {
        m.base = long ? REG_RIP : REG_NONE;
        m.disp = r.i32();
      } else m.base = rm | rexB;
      if (mod === 1) m.disp = r.i8();
      else if (mod === 2) m.disp = r.i32();
      m.seg = m.base === 4 || m.base === 5 ? SEG_SS : SEG_DS;
      if (m.index === REG_NONE) m.scale = 1;
    }
    if (seg >= 0) m.seg = seg;
    mem = m;
    return m;
  };

  const gpr = (reg: number, size: number): Operand => {
    const o = operand(OpKind.Reg, size);
    if (size === 1 && rex === 0 && reg >= 4 && reg < 8) {
      o.reg = reg - 4;
      o.high8 = true;
    } else o.reg = reg;
    return o;
  };
  const immOp = (lo: number, hi: number, size: number): Operand => {
    const o = operand(OpKind.Imm, size);
    o.imm = lo;
    o.immHi = hi;
    return o;
  };

  const specs = entry.ops ? entry.ops.split(',') : [];
  const pendingImm: { op: Operand; code: string }[] = [];
  for (const code of specs) {
    const letter = code[0];
    const sz = code.slice(1);
    const size = sizeOf(sz, opSize, long);
    let op: Operand;
    const fixedSeg = FIXED_SEGS[code];
    if (fixedSeg !== undefined) {
      op = operand(OpKind.Seg, 2);
      op.reg = fixedSeg;
      ins.operands.push(op);
      continue;
    }
    switch (letter) {
      case 'E':
        if (mod === 3) op = gpr(rm | rexB, code === 'Esv' || code === 'Esw' ? (code === 'Esw' ? opSize : opSize) : size);
        else op = parseMem(code === 'Esv' || code === 'Esw' ? 2 : size);
        break;
      case 'M':
        if (mod === 3) throw INVALID;
        op = parseMem(sz === 't' ? (long ? 10 : 6) : sz === 'x' ? 0 : size);
        break;
      case 'R':
        if (mod !== 3) {
          // MOV to/from CR/DR ignore mod and always use a register.
        }
        op = gpr(rm | rexB, long ? 8 : 4);
        break;
      case 'G':
        op = gpr(regF | rexR, size);
        break;
      case 'Z':
        op = gpr((opcode & 7) | rexB, size);
        break;
      case 'S':
        if (code === 'Sw') {
          if (regF > 5) throw INVALID;
          op = operand(OpKind.Seg, 2);
          op.reg = regF;
          if (opcode === 0x8e && regF === SEG_CS) throw INVALID;
        } else throw new Error(`decoder table: unknown operand code ${code}`);
        break;
      case 'C':
        if (code === 'CL') {
          op = gpr(1, 1);
        } else {
          const cr = regF | rexR;
          if (lock || ![0, 2, 3, 4, 8].includes(cr)) throw INVALID;
          op = operand(OpKind.Cr, long ? 8 : 4);
          op.reg = cr;
        }
        break;
      case 'D':
        if (code === 'DX') op = gpr(2, 2);
        else {
          const dr = regF | rexR;
          if (dr > 7) throw INVALID;
          op = operand(OpKind.Dr, long ? 8 : 4);
          op.reg = dr;
        }
        break;
      case 'a': op = gpr(0, 1); break; // aL
      case 'r': op = gpr(0, code === 'rz' ? (opSize === 2 ? 2 : 4) : opSize); break; // rA / rz
      case 'o': op = immOp(1, 0, 1); break; // one
      case 'X': case 'Y': {
        op = operand(OpKind.Mem, size);
        op.base = letter === 'X' ? 6 : 7;
        op.seg = letter === 'X' ? (seg >= 0 ? seg : SEG_DS) : SEG_ES;
        break;
      }
      case 'O': {
        op = operand(OpKind.Mem, size);
        if (addrSize === 8) { op.disp = r.i32(); op.dispHi = r.i32(); }
        else if (addrSize === 4) op.disp = r.i32();
        else op.disp = r.u16();
        op.seg = seg >= 0 ? seg : SEG_DS;
        break;
      }
      case 'I': case 'J': case 'A':
        op = operand(letter === 'J' ? OpKind.Rel : letter === 'A' ? OpKind.Far : OpKind.Imm, size);
        pendingImm.push({ op, code });
        break;
      default:
        throw new Error(`decoder table: unknown operand code ${code}`);
    }
    ins.operands.push(op);
  }
  if (!mem && modrm >= 0 && mod !== 3 && specs.some((c) => c[0] === 'E' || c[0] === 'M')) parseMem(0);
  // Immediates follow the ModRM/SIB/displacement bytes, in operand order.
  for (const { op, code } of pendingImm) {
    switch (code) {
      case 'Ib': op.imm = r.u8(); op.size = 1; break;
      case 'Iw': op.imm = r.u16(); op.size = 2; break;
      case 'Is': {
        const v = r.i8();
        setSized(op, v, v < 0 ? -1 : 0, opSize);
        break;
      }
      case 'Iz': {
        if (opSize === 2) setSized(op, r.u16(), 0, 2);
        else {
          const v = r.i32();
          setSized(op, v, v < 0 ? -1 : 0, opSize);
        }
        break;
      }
      case 'Iv': {
        if (opSize === 2) setSized(op, r.u16(), 0, 2);
        else if (opSize === 4) setSized(op, r.i32(), 0, 4);
        else { const lo = r.i32(); setSized(op, lo, r.i32(), 8); }
        break;
      }
      case 'Jb': case 'Jz': {
        const rel = code === 'Jb' ? r.i8() : opSize === 2 && !long ? (r.u16() << 16) >> 16 : r.i32();
        op.imm = rel; // resolved below once the length is known
        break;
      }
      case 'Ap': {
        const off = opSize === 2 ? r.u16() : r.i32();
        op.imm = off;
        op.immHi = r.u16();
        op.size = opSize + 2;
        break;
      }
      default:
        throw new Error(`decoder table: unknown immediate ${code}`);
    }
  }
  // LOCK is only valid on the read-modify-write instructions with a memory destination.
  if (lock && !(LOCKABLE.has(mnemonic) && ins.operands.length > 0 && ins.operands[0].kind === OpKind.Mem)) throw INVALID;
  ins.length = r.pos - r.start;
  for (const { op, code } of pendingImm) {
    if (code[0] !== 'J') continue;
    op.disp = op.imm; // keep the raw displacement: cached code may run at another address
    let target = ip + ins.length + op.imm;
    if (!long) {
      const mask = opSize === 2 ? 0xffff : 0xffffffff;
      target = (target >>> 0) & mask;
      target = target >>> 0;
    }
    const [lo, hi] = splitAddr(target);
    op.imm = lo;
    op.immHi = long ? hi : 0;
    op.size = long ? 8 : opSize;
  }
  return ins;
}

function setSized(op: Operand, lo: number, hi: number, size: number): void {
  op.size = size;
  if (size === 2) { op.imm = lo & 0xffff; op.immHi = 0; }
  else if (size === 4) { op.imm = lo | 0; op.immHi = 0; }
  else { op.imm = lo | 0; op.immHi = hi | 0; }
}

function sizeOf(sz: string, opSize: number, long: boolean): number {
  switch (sz) {
    case 'b': return 1;
    case 'w': return 2;
    case 'd': return 4;
    case 'q': return 8;
    case 'v': return opSize;
    case 'z': return opSize === 2 ? 2 : 4;
    case 'sv': return opSize;
    case 'sw': return opSize;
    case 'p': return opSize + 2;
    case 't': return long ? 10 : 6;
    default: return opSize;
  }
}

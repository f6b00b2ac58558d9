/** EPT-violation emulation (libvmm's decode_instruction + EPT dispatch, vmm-x86.md §1.7-1.8, extended): fetch the
 * instruction at guest RIP through the guest's page tables, decode it with core/x86's decoder, and perform the
 * access it makes on the device: every MOV form (register, immediate, moffs, MOVZX/MOVSX/MOVSXD), read-modify-write
 * ALU ops (ADD, SUB, AND, OR, XOR, CMP, TEST) with flags, XCHG, and STOS/LODS/MOVS (with REP). */
import { decode, isDecodeError, OpKind, type Instruction, type Operand } from '../x86';
import { gvaToGpa, type PagingMode } from './pagewalk';
import type { ExitState } from './state';
import type { GuestMemory } from '../guest';
import { hexAddress, mod } from './address';

const TWO32 = 0x1_0000_0000;
const FLAG_CF = 0x1, FLAG_PF = 0x4, FLAG_AF = 0x10, FLAG_ZF = 0x40, FLAG_SF = 0x80, FLAG_DF = 0x400, FLAG_OF = 0x800;
const ARITH = FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF;

/** A device behind an EPT violation: 1, 2 or 4-byte accesses at an offset (8-byte ones arrive as two 4-byte ones);
 * null / false fail the exit. */
export interface MmioDevice {
  name: string;
  gpa: number;
  size: number;
  read(offset: number, size: number): number | null;
  write(offset: number, size: number, value: number): boolean;
  /** the device's last error text */
  readonly error?: string;
}

export interface MmioContext {
  state: ExitState;
  /** the VMM's view of guest RAM (for page walks and string operands) */
  ram: GuestMemory;
  paging(): PagingMode;
  /** code size of the guest now: 16, 32 or 64 */
  bitness(): 16 | 32 | 64;
  findDevice(gpa: number): MmioDevice | null;
  fail(msg: string): number;
}

const fetchBuf = new Uint8Array(15);

function fetch(ctx: MmioContext, rip: number): number {
  const m = ctx.paging();
  let n = 0;
  let page = -1;
  let pageGpa = -1;
  for (; n < 15; n++) {
    const lin = rip + n;
    const p = Math.floor(lin / 4096);
    if (p !== page) {
      page = p;
      pageGpa = gvaToGpa(ctx.ram, m, p * 4096);
    }
    if (pageGpa < 0 || !ctx.ram.find(pageGpa + mod(lin, 4096))) break;
    fetchBuf[n] = ctx.ram.readU8(pageGpa + mod(lin, 4096));
  }
  return n;
}

/** The instruction at a guest RIP (through the guest's page tables): its decoding, or null if the CPU model has no
 * such instruction, and its bytes (as far as the decoder read them); no bytes when RIP is not mapped. */
export function instructionAt(ctx: MmioContext, rip: number): { bytes: Uint8Array; ins: Instruction | null } {
  const n = fetch(ctx, rip);
  if (n === 0) return { bytes: new Uint8Array(0), ins: null };
  const ins = decode(fetchBuf, 0, ctx.bitness(), rip, n);
  const len = isDecodeError(ins) ? Math.max(1, Math.min(n, ins.length)) : ins.length;
  return { bytes: fetchBuf.slice(0, len), ins: isDecodeError(ins) ? null : ins };
}

function mask(size: number): number {
  return size >= 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
}

function parity(v: number): number {
  let x = v & 0xff;
  x ^= x >> 4;
  x ^= x >> 2;
  x ^= x >> 1;
  return x & 1 ? 0 : FLAG_PF;
}

/** Register value of `size` bytes as [lo, hi]. */
function regValue(st: ExitState, op: Operand): [number, number] {
  if (op.size === 8) return [st.get32(op.reg), op.reg === 4 ? Math.floor(st.get64(4) / TWO32) >>> 0 : st.hi[op.reg]];
  const v = st.get32(op.reg);
  if (op.high8) return [(v >>> 8) & 0xff, 0];
  return [(v & mask(op.size)) >>> 0, 0];
}

function immValue(op: Operand, size: number): [number, number] {
  const lo = (op.imm & mask(size)) >>> 0;
  if (size !== 8) return [lo, 0];
  return [lo, op.immHi !== 0 ? op.immHi >>> 0 : op.imm < 0 ? 0xffffffff : 0];
}

export function emulateMmio(ctx: MmioContext, gpa: number): number {
  const st = ctx.state;
  const n = fetch(ctx, st.rip);
  if (n === 0) return ctx.fail(`cannot fetch the instruction at RIP 0x${hexAddress(st.rip)} (not mapped in the guest's page tables)`);
  const ins = decode(fetchBuf, 0, ctx.bitness(), st.rip, n);
  if (isDecodeError(ins)) return ctx.fail(`cannot decode the instruction at RIP 0x${hexAddress(st.rip)}`);
  const dev = ctx.findDevice(gpa);
  if (!dev) return ctx.fail(`failed to find EPT handler for guest-physical address 0x${gpa.toString(16)} (RIP 0x${hexAddress(st.rip)}, ${ins.mnemonic})`);
  const r = emulate(ctx, ins, dev, gpa - dev.gpa);
  return r < 0 ? r : ins.length;
}

/** 8-byte accesses reach a device as two 4-byte accesses, low half first (device values are JS numbers). */
function devRead(ctx: MmioContext, dev: MmioDevice, off: number, size: number, out: [number, number]): boolean {
  void ctx;
  if (size === 8) {
    const lo = dev.read(off, 4);
    const hi = lo === null ? null : dev.read(off + 4, 4);
    if (lo === null || hi === null) return false;
    out[0] = lo >>> 0;
    out[1] = hi >>> 0;
    return true;
  }
  const v = dev.read(off, size);
  if (v === null) return false;
  out[0] = v >>> 0;
  out[1] = 0;
  return true;
}

function devWrite(dev: MmioDevice, off: number, size: number, lo: number, hi: number): boolean {
  if (size === 8) return dev.write(off, 4, lo >>> 0) && dev.write(off + 4, 4, hi >>> 0);
  return dev.write(off, size, lo >>> 0);
}

const tmp: [number, number] = [0, 0];

function emulate(ctx: MmioContext, ins: Instruction, dev: MmioDevice, off: number): number {
  const st = ctx.state;
  const ops = ins.operands;
  const mi = ops.findIndex((o) => o.kind === OpKind.Mem);
  const devFail = (what: string): number => {
    const text = dev.error || `${what} at offset 0x${off.toString(16)} failed`;
    return ctx.fail(text.startsWith(`${dev.name}:`) ? text : `${dev.name}: ${text}`); // the device may name itself
  };
  const m = ops[mi];
  switch (ins.mnemonic) {
    case 'mov': {
      if (mi === 0) {
        const src = ops[1];
        const [lo, hi] = src.kind === OpKind.Imm ? immValue(src, m.size) : regValue(st, src);
        return devWrite(dev, off, m.size, lo, hi) ? 0 : devFail('write');
      }
      if (!devRead(ctx, dev, off, m.size, tmp)) return devFail('read');
      const dst = ops[0];
      st.setSized(dst.reg, dst.size, tmp[0], tmp[1], dst.high8);
      return 0;
    }
    case 'movzx':
    case 'movsx':
    case 'movsxd': {
      if (!devRead(ctx, dev, off, m.size, tmp)) return devFail('read');
      const dst = ops[0];
      let lo = tmp[0];
      let hi = 0;
      const signBit = m.size === 1 ? 0x80 : m.size === 2 ? 0x8000 : 0x80000000;
      if (ins.mnemonic !== 'movzx' && lo & signBit) {
        lo = (lo | ~mask(m.size)) >>> 0;
        hi = 0xffffffff;
      }
      st.setSized(dst.reg, dst.size, lo & mask(dst.size), dst.size === 8 ? hi : 0, dst.high8);
      return 0;
    }
    case 'xchg': {
      const reg = ops[mi === 0 ? 1 : 0];
      if (!devRead(ctx, dev, off, m.size, tmp)) return devFail('read');
      const [old0, old1] = tmp;
      const [lo, hi] = regValue(st, reg);
      if (!devWrite(dev, off, m.size, lo, hi)) return devFail('write');
      st.setSized(reg.reg, reg.size, old0, old1, reg.high8);
      return 0;
    }
    case 'add': case 'sub': case 'and': case 'or': case 'xor': case 'cmp': case 'test':
      return alu(ctx, ins, dev, off, mi) ? 0 : devFail('read-modify-write');
    case 'stosb': case 'stosw': case 'stosd': case 'stosq':
    case 'lodsb': case 'lodsw': case 'lodsd': case 'lodsq':
    case 'movsb': case 'movsw': case 'movsd': case 'movsq':
      return strings(ctx, ins, dev, off);
  }
  return ctx.fail(`unsupported instruction '${ins.mnemonic}' on MMIO at RIP 0x${hexAddress(st.rip)} (${dev.name})`);
}

function alu(ctx: MmioContext, ins: Instruction, dev: MmioDevice, off: number, mi: number): boolean {
  const st = ctx.state;
  const ops = ins.operands;
  const m = ops[mi];
  const size = m.size > 4 ? 4 : m.size; // flags are computed on the low 32 bits of 64-bit operands
  if (!devRead(ctx, dev, off, m.size, tmp)) return false;
  const memLo = tmp[0], memHi = tmp[1];
  const other = ops[mi === 0 ? 1 : 0];
  const [oLo, oHi] = other.kind === OpKind.Imm ? immValue(other, m.size) : regValue(st, other);
  const a = mi === 0 ? memLo : oLo, b = mi === 0 ? oLo : memLo;
  const aHi = mi === 0 ? memHi : oHi, bHi = mi === 0 ? oHi : memHi;
  const mk = mask(size);
  let res: number, resHi = 0, flags = 0;
  const op = ins.mnemonic;
  if (op === 'add' || op === 'sub' || op === 'cmp') {
    const sub = op !== 'add';
    const full = sub ? a - b : a + b;
    res = ((full % (mk + 1)) + (mk + 1)) % (mk + 1);
    const sign = (mk + 1) / 2;
    if (sub ? a < b : full > mk) flags |= FLAG_CF;
    const sa = a & sign ? 1 : 0, sb = b & sign ? 1 : 0, sr = res & sign ? 1 : 0;
    if (sub ? sa !== sb && sr !== sa : sa === sb && sr !== sa) flags |= FLAG_OF;
    if ((a ^ b ^ res) & 0x10) flags |= FLAG_AF;
    resHi = sub ? (aHi - bHi - (a < b ? 1 : 0)) >>> 0 : (aHi + bHi + (full > 0xffffffff ? 1 : 0)) >>> 0;
  } else {
    res = (op === 'and' || op === 'test' ? a & b : op === 'or' ? a | b : a ^ b) >>> 0;
    resHi = (op === 'and' || op === 'test' ? aHi & bHi : op === 'or' ? aHi | bHi : aHi ^ bHi) >>> 0;
  }
  res = (res & mk) >>> 0;
  if (res === 0 && (m.size < 8 || resHi === 0)) flags |= FLAG_ZF;
  if (m.size === 8 ? resHi & 0x80000000 : res & ((mk + 1) / 2)) flags |= FLAG_SF;
  flags |= parity(res);
  st.rflags = ((st.rflags & ~ARITH) | flags) >>> 0;
  st.rflagsDirty = true;
  if (op === 'cmp' || op === 'test') return true;
  if (mi === 0) return devWrite(dev, off, m.size, res, m.size === 8 ? resHi : 0);
  st.setSized(other.reg, other.size, res, resHi, other.high8);
  return true;
}

function strings(ctx: MmioContext, ins: Instruction, dev: MmioDevice, off: number): number {
  const st = ctx.state;
  const size = ins.mnemonic.endsWith('b') ? 1 : ins.mnemonic.endsWith('w') ? 2 : ins.mnemonic.endsWith('q') ? 8 : 4;
  const kind = ins.mnemonic.slice(0, 4);
  const dir = st.rflags & FLAG_DF ? -1 : 1;
  const count = ins.rep ? st.get32(1) : 1; // RCX (low 32 bits)
  const paging = ctx.paging();
  let rdi = st.get64(7), rsi = st.get64(6);
  for (let i = 0; i < count; i++) {
    const at = off + i * size * dir;
    if (at < 0 || at + size > dev.size) return ctx.fail(`${dev.name}: string operation runs off the device`);
    if (kind === 'stos') {
      const [lo, hi] = regValue(st, { kind: OpKind.Reg, size, reg: 0, high8: false } as Operand);
      if (!devWrite(dev, at, size, lo, hi)) return ctx.fail(`${dev.name}: write failed`);
      rdi += size * dir;
    } else if (kind === 'lods') {
      if (!devRead(ctx, dev, at, size, tmp)) return ctx.fail(`${dev.name}: read failed`);
      st.setSized(0, size, tmp[0], tmp[1]);
      rsi += size * dir;
    } else {
      // MOVS: the faulting side is the device; the other side is RAM through the guest's page tables
      const srcGpa = gvaToGpa(ctx.ram, paging, rsi);
      const dstIsDevice = srcGpa < 0 || ctx.findDevice(srcGpa) !== dev;
      const ramAt = dstIsDevice ? srcGpa : gvaToGpa(ctx.ram, paging, rdi);
      if (ramAt < 0 || !ctx.ram.checkRange(ramAt, size)) return ctx.fail(`MOVS on MMIO: the memory operand is not mapped`);
      if (dstIsDevice) {
        const lo = ctx.ram.readUint(ramAt, size >= 4 ? 4 : (size as 1 | 2));
        const hi = size === 8 ? ctx.ram.readU32(ramAt + 4) : 0;
        if (!devWrite(dev, at, size, lo, hi)) return ctx.fail(`${dev.name}: write failed`);
      } else {
        if (!devRead(ctx, dev, at, size, tmp)) return ctx.fail(`${dev.name}: read failed`);
        ctx.ram.writeUint(ramAt, size >= 4 ? 4 : (size as 1 | 2), tmp[0]);
        if (size === 8) ctx.ram.writeU32(ramAt + 4, tmp[1]);
      }
      rdi += size * dir;
      rsi += size * dir;
    }
  }
  const split = (v: number): [number, number] => [(v % TWO32 + TWO32) % TWO32, Math.floor(v / TWO32) >>> 0];
  if (kind !== 'lods') st.set64(7, ...split(rdi));
  if (kind !== 'stos') st.set64(6, ...split(rsi));
  if (ins.rep) st.set64(1, 0, 0);
  return 0;
}

/** Intel-syntax formatter for the disassembly view. Its output follows the conventions of
 * common disassemblers (lower case, `0x` hex, `dword ptr`, `fs:` only when it is not the default)
 * so that it can be checked against iced-x86 in the differential tests. */
import { OpKind, REG_NONE, REG_RIP, SEG_DS, SEG_ES, SEG_SS, type Instruction, type Operand } from './types';

const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
const R8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];
const R8H = ['ah', 'ch', 'dh', 'bh'];
export const SEG_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
const SIZE_NAMES: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 6: 'fword', 8: 'qword', 10: 'fword' };
const STRING_OPS = /^(movs|cmps|stos|lods|scas|ins|outs)[bwdq]$/;

export function regName(reg: number, size: number, high8 = false): string {
  if (high8) return R8H[reg];
  if (size === 8) return R64[reg];
  if (size === 4) return R32[reg];
  if (size === 2) return R16[reg];
  return R8[reg];
}

function hex(v: bigint): string {
  return '0x' + v.toString(16);
}

function u64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function immValue(op: Operand): bigint {
  if (op.size === 1) return BigInt(op.imm & 0xff);
  if (op.size === 2) return BigInt(op.imm & 0xffff);
  if (op.size === 4) return BigInt(op.imm >>> 0);
  return u64(op.imm, op.immHi);
}

function memString(ins: Instruction, op: Operand): string {
  const size = SIZE_NAMES[op.size];
  const prefix = size ? `${size} ptr ` : '';
  const defaultSeg = op.base === 4 || op.base === 5 ? SEG_SS : SEG_DS;
  let seg = '';
  const isString = STRING_OPS.test(ins.mnemonic);
  if (isString) {
    // The destination (rDI) always uses ES; disassemblers spell it out once any segment prefix is present.
    const ovr = ins.segOverride >= 0 && ins.segOverride !== SEG_DS;
    if (op.base === 7 && op.seg === SEG_ES) seg = ovr ? 'es:' : '';
    else if (ovr) seg = SEG_NAMES[ins.segOverride] + ':';
  } else if (ins.segOverride >= 0 && ins.segOverride !== defaultSeg && ins.mnemonic !== 'lea') {
    seg = SEG_NAMES[ins.segOverride] + ':';
  }
  const aSize = ins.addrSize;
  const parts: string[] = [];
  if (op.base === REG_RIP) parts.push(aSize === 8 ? 'rip' : 'eip');
  else if (op.base !== REG_NONE) parts.push(regName(op.base, aSize));
  if (op.index !== REG_NONE) parts.push(regName(op.index, aSize) + (op.scale > 1 || op.base === REG_NONE ? `*${op.scale}` : ''));
  let body = parts.join('+');
  if (isString) return `${prefix}${seg}[${body}]`;
  if (parts.length === 0) {
    const mask = aSize === 8 ? 0xffffffffffffffffn : aSize === 4 ? 0xffffffffn : 0xffffn;
    const abs = op.dispHi !== 0 ? u64(op.disp, op.dispHi) : BigInt(op.disp) & mask;
    body = hex(abs);
  } else if (op.disp !== 0) {
    let d = op.disp;
    if (aSize === 2) d = (d << 16) >> 16;
    body += d < 0 ? '-' + hex(BigInt(-d)) : '+' + hex(BigInt(d));
  }
  return `${prefix}${seg}[${body}]`;
}


export function formatOperand(ins: Instruction, op: Operand): string {
  switch (op.kind) {
    case OpKind.Reg: return regName(op.reg, op.size, op.high8);
    case OpKind.Mem: return memString(ins, op);
    case OpKind.Imm: return hex(immValue(op));
    case OpKind.Rel: return hex(ins.bitness === 64 ? u64(op.imm, op.immHi) : BigInt(op.imm >>> 0));
    case OpKind.Seg: return SEG_NAMES[op.reg];
    case OpKind.Cr: return `cr${op.reg}`;
    case OpKind.Dr: return `dr${op.reg}`;
    case OpKind.Far: return `${hex(BigInt(op.size === 4 ? op.imm & 0xffff : op.imm >>> 0))}, ${hex(BigInt(op.immHi))}`;
  }
  return '?';
}

/** Formats a decoded instruction as Intel syntax, e.g. `mov eax, dword ptr [rbx+0x10]`. */
export function formatInstruction(ins: Instruction): string {
  let mn = ins.mnemonic;
  if (mn === 'retf') mn = 'ret far';
  if (ins.operands.length > 0 && ins.operands[0].kind === OpKind.Far) mn += ' far';
  let pre = '';
  if (ins.lock) pre += 'lock ';
  if (ins.rep === 0xf3 && ins.mnemonic === 'ret') pre += 'rep '; // the AMD "rep ret" idiom
  else if (ins.rep && STRING_OPS.test(ins.mnemonic)) {
    const cond = /^(cmps|scas)/.test(ins.mnemonic);
    pre += ins.rep === 0xf2 ? 'repne ' : cond ? 'repe ' : 'rep ';
  }
  if (ins.operands.length === 0) return pre + mn;
  let ops = ins.operands;
  // `imul r, r, imm` with the same register twice is conventionally shown as `imul r, imm`.
  if (mn === 'imul' && ops.length === 3 && ops[1].kind === OpKind.Reg && ops[1].reg === ops[0].reg && ops[1].high8 === ops[0].high8) {
    ops = [ops[0], ops[2]];
  }
  return `${pre}${mn} ${ops.map((o) => formatOperand(ins, o)).join(', ')}`;
}

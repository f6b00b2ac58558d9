/** Does an operand fit an operand pattern of the encoding table? Only the shape is
 * checked here (register class and size, memory size, keywords); value-dependent fits
 * (sign-extended bytes, jump distances) are decided while encoding. */
import type { Form } from './table';
import type { Operand } from './operands';

const GPR = /^r(8|16|32|64)$/;
const RM = /^rm(8|16|32|64)$/;
const MEM = /^m(8|16|32|64)$/;
const MOFFS = /^moffs(8|16|32|64)$/;
const IMM = /^imm(8|16|32|64)$/;
const FIXED_REGS = new Set(['al', 'ax', 'eax', 'rax', 'cl', 'dx', 'cx', 'ecx', 'rcx', 'es', 'cs', 'ss', 'ds', 'fs', 'gs']);

export type Bits = 16 | 32 | 64;

export function operandMatches(op: Operand, pat: string, form: Form, bits: Bits, defaultRel: boolean): boolean {
  let m: RegExpExecArray | null;
  if ((m = GPR.exec(pat))) return op.kind === 'reg' && op.reg.cls === 'gpr' && op.reg.size === Number(m[1]);
  if ((m = RM.exec(pat))) {
    const n = Number(m[1]);
    if (op.kind === 'reg') return op.reg.cls === 'gpr' && op.reg.size === n;
    return op.kind === 'mem' && !op.far && (op.size === undefined || op.size === n);
  }
  if ((m = MEM.exec(pat))) return op.kind === 'mem' && !op.far && (op.size === undefined || op.size === Number(m[1]));
  if (pat === 'm') return op.kind === 'mem' && !op.far;
  // descriptor-table and TLB instructions take an address, never a sized operand (NASM)
  if (pat === 'm0') return op.kind === 'mem' && !op.far && op.size === undefined;
  if (pat === 'mfar') return op.kind === 'mem' && op.far && (op.size === undefined || op.size === form.osize);
  if ((m = MOFFS.exec(pat))) {
    if (op.kind !== 'mem' || op.far || op.base || op.index) return false;
    if (op.size !== undefined && op.size !== Number(m[1])) return false;
    // the moffs is as wide as the address size: [qword x] in long mode, [dword x] / [word x] outside it
    if (op.dispSize !== undefined && op.dispSize !== bits) return false;
    const farSeg = op.seg !== undefined && op.seg.num >= 4;
    return !(bits === 64 && op.dispSize !== 64 && (op.rel ?? (defaultRel && !farSeg)));
  }
  if (FIXED_REGS.has(pat)) return op.kind === 'reg' && op.reg.name === pat;
  if (pat === 'sreg') return op.kind === 'reg' && op.reg.cls === 'seg';
  if (pat === 'sregw') return op.kind === 'reg' && op.reg.cls === 'seg' && op.reg.name !== 'cs';
  if (pat === 'cr' || pat === 'dr') return op.kind === 'reg' && op.reg.cls === pat;
  if (pat === 'relb') return op.kind === 'imm' && op.jump !== 'near' && op.size === undefined;
  if (pat === 'rel') return op.kind === 'imm' && op.jump !== 'short' && op.size === undefined;
  if (pat === 'far16' || pat === 'far32') return op.kind === 'far' && (op.size === undefined || op.size === (pat === 'far16' ? 16 : 32));
  if (op.kind !== 'imm' || op.jump) return false;
  const kw = op.size;
  if ((m = IMM.exec(pat))) return kw === undefined || kw === Number(m[1]);
  switch (pat) {
    case 'sbyte':
      return kw === undefined || kw === 8 || (kw === form.osize && !op.strict);
    case 'simm32':
    case 'sdword':
      return kw === undefined || kw === 64 || kw === 32;
    case 'uimm32':
      return (kw === undefined || kw === 64) && !op.strict;
    case 'one':
      return kw === undefined || kw === 8;
  }
  throw new Error(`encoding table: unknown operand pattern '${pat}'`);
}

/** Patterns of memory operands whose size the table does not care about. */
export const SIZELESS_MEMORY = new Set(['m', 'm0', 'mfar']);

/** The memory size a form expects at an operand position (0 = any). */
export function patternMemorySize(pat: string): number {
  const m = /(\d+)$/.exec(pat);
  return SIZELESS_MEMORY.has(pat) || !m ? 0 : Number(m[1]);
}

/** Is the form usable at all in this mode? */
export function formValidInMode(form: Form, bits: Bits): boolean {
  if (form.no64 && bits === 64) return false;
  if (form.only64 && bits !== 64) return false;
  if (form.osize === 64 && bits !== 64) return false;
  if (form.d64 && bits === 64 && form.osize === 32) return false;
  if (form.f64 && bits === 64 && form.osize === 16) return false;
  if (form.asize === 16 && bits === 64) return false;
  if (form.asize === 64 && bits !== 64) return false;
  if (bits !== 64 && form.ops.some((p) => p === 'r64' || p === 'rm64' || p === 'rax')) return false;
  return true;
}

/** The operand size an unsized instruction gets in this mode. */
export function defaultOperandSize(form: Form, bits: Bits): number {
  // NASM: `jmp far [m]` / `call far [m]` in long mode default to m16:64 (REX.W)
  if (bits === 64) return form.d64 || form.ops[0] === 'mfar' ? 64 : 32;
  return bits;
}

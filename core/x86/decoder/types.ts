/** The structured instruction the decoder produces. It is shared by the interpreter,
 * the disassembly view and the VMM's MMIO emulation, so it names everything it found. */

export const enum OpKind {
  /** general-purpose register; `reg` 0..15, `size` 1/2/4/8, `high8` for AH/CH/DH/BH */
  Reg = 1,
  /** memory; see the address fields */
  Mem = 2,
  /** immediate; value in `imm` (low 32 bits, signed) and `immHi` */
  Imm = 3,
  /** relative branch target, already resolved to an absolute address in `imm`/`immHi` */
  Rel = 4,
  /** segment register; `reg` 0..5 = ES CS SS DS FS GS */
  Seg = 5,
  /** control register; `reg` = CR number */
  Cr = 6,
  /** debug register; `reg` = DR number */
  Dr = 7,
  /** far pointer: selector in `immHi`, offset in `imm` */
  Far = 8,
}

/** Base/index register numbers beyond the 16 GPRs. */
export const REG_NONE = -1;
export const REG_RIP = 16;

export const SEG_ES = 0, SEG_CS = 1, SEG_SS = 2, SEG_DS = 3, SEG_FS = 4, SEG_GS = 5;

export interface Operand {
  kind: OpKind;
  /** access size in bytes (for memory: the data size; 6/10 for descriptor-table pointers) */
  size: number;
  reg: number;
  high8: boolean;
  /** memory: base and index registers (REG_NONE when absent, REG_RIP for RIP-relative) */
  base: number;
  index: number;
  scale: number;
  /** memory: displacement, low 32 bits signed; `dispHi` is non-zero only for 64-bit moffs.
   * Rel operands keep their raw relative displacement here. */
  disp: number;
  dispHi: number;
  /** memory: segment register used (explicit override or default) */
  seg: number;
  /** immediate / resolved branch target: low 32 bits (signed) and high 32 bits */
  imm: number;
  immHi: number;
}

export interface Instruction {
  /** lower-case Intel mnemonic, e.g. "add", "movzx", "rep movsb" is mnemonic "movsb" with rep */
  mnemonic: string;
  operands: Operand[];
  /** total length in bytes (1..15) */
  length: number;
  /** code size the instruction was decoded for: 16, 32 or 64 */
  bitness: number;
  /** effective operand size (2/4/8) and address size (2/4/8) */
  opSize: number;
  addrSize: number;
  /** 0 none, 0xF3 rep/repe, 0xF2 repne */
  rep: number;
  lock: boolean;
  /** explicit segment override (SEG_*), or -1 */
  segOverride: number;
  /** the last segment prefix byte as written (SEG_*), even where 64-bit mode ignores it; -1 if none */
  segPrefix: number;
  /** condition code 0..15 for jcc/setcc/cmovcc, else -1 */
  cc: number;
  /** the REX byte (0 if none) */
  rex: number;
  /** the primary opcode (0x0F-prefixed opcodes are 0x100 | second byte) */
  opcode: number;
  /** ModRM.reg field for group opcodes (-1 if no ModRM) */
  modrmReg: number;
  /** interpreter-owned fields (the decoder never sets them): the cached handler and two links
   * to the instructions that followed it last time, valid while the CPU's epoch is unchanged */
  exec?: unknown;
  l1Rip?: number;
  l1Epoch?: number;
  l1Ins?: Instruction;
  l2Rip?: number;
  l2Epoch?: number;
  l2Ins?: Instruction;
  /** executions as a branch target, and the compiled block starting here (null: not compilable) */
  hits?: number;
  block?: { fn(cpu: unknown, left: number): number; length: number; rip: number } | null;
}

/** Result of a failed decode: the bytes do not form an instruction this decoder knows. */
export interface DecodeError {
  error: 'invalid' | 'truncated';
  length: number;
}

/** Source of instruction bytes (a buffer, or guest memory through paging). Returns -1 past the end. */
export type ByteSource = (offset: number) => number;

/** Every register the assembler knows, by name. The `num` is the 4-bit encoding
 * (REX bit + 3-bit field) as the ModRM/SIB/opcode fields want it. */
export type RegClass = 'gpr' | 'seg' | 'cr' | 'dr' | 'rip';

export interface Reg {
  name: string;
  cls: RegClass;
  /** width in bits (segment registers are 16) */
  size: 8 | 16 | 32 | 64;
  num: number;
  /** spl/bpl/sil/dil, r8b..r15b, r8..r15 etc.: need 64-bit mode */
  only64: boolean;
  /** spl/bpl/sil/dil: need a REX prefix to be addressed at all */
  needsRex: boolean;
  /** ah/ch/dh/bh: cannot be used together with a REX prefix */
  highByte: boolean;
}

const REGS = new Map<string, Reg>();

function add(name: string, cls: RegClass, size: Reg['size'], num: number, extra: Partial<Reg> = {}): void {
  REGS.set(name, { name, cls, size, num, only64: num >= 8, needsRex: false, highByte: false, ...extra });
}

const LOW = ['a', 'c', 'd', 'b'];
LOW.forEach((c, i) => {
  add(`${c}l`, 'gpr', 8, i);
  add(`${c}h`, 'gpr', 8, i + 4, { highByte: true });
  add(`${c}x`, 'gpr', 16, i);
  add(`e${c}x`, 'gpr', 32, i);
  add(`r${c}x`, 'gpr', 64, i, { only64: true });
});
['sp', 'bp', 'si', 'di'].forEach((n, j) => {
  const i = j + 4;
  add(`${n}l`, 'gpr', 8, i, { only64: true, needsRex: true });
  add(n, 'gpr', 16, i);
  add(`e${n}`, 'gpr', 32, i);
  add(`r${n}`, 'gpr', 64, i, { only64: true });
});
for (let i = 8; i < 16; i++) {
  add(`r${i}b`, 'gpr', 8, i);
  add(`r${i}l`, 'gpr', 8, i);
  add(`r${i}w`, 'gpr', 16, i);
  add(`r${i}d`, 'gpr', 32, i);
  add(`r${i}`, 'gpr', 64, i);
}
['es', 'cs', 'ss', 'ds', 'fs', 'gs'].forEach((n, i) => add(n, 'seg', 16, i, { only64: false }));
for (const i of [0, 2, 3, 4, 8]) add(`cr${i}`, 'cr', 64, i);
for (let i = 0; i < 8; i++) add(`dr${i}`, 'dr', 64, i);
add('rip', 'rip', 64, 0, { only64: true });
add('eip', 'rip', 32, 0, { only64: true });

export function lookupRegister(name: string): Reg | undefined {
  return REGS.get(name.toLowerCase());
}

/** Segment-override prefix byte for each segment register number (es cs ss ds fs gs). */
export const SEGMENT_PREFIX = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65];

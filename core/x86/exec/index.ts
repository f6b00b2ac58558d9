/** Instruction semantics: fills the CPU's handler table, keyed by mnemonic. */
import { EXEC_OPTIONS, HANDLERS } from '../cpu/cpu';
import { specialize } from './fast';
import { compileBlock } from './jit';
import '../cpu/interrupts';
import { ALU_HANDLERS } from './alu';
import { BIT_HANDLERS } from './bits';
import { CONTROL_HANDLERS } from './control';
import { DATA_HANDLERS } from './data';
import { IO_HANDLERS } from './io';
import { MULDIV_HANDLERS } from './muldiv';
import { SHIFT_HANDLERS } from './shifts';
import { STRING_HANDLERS } from './string';
import { SYSTEM_HANDLERS } from './system';

Object.assign(HANDLERS, ALU_HANDLERS, BIT_HANDLERS, CONTROL_HANDLERS, DATA_HANDLERS, IO_HANDLERS, MULDIV_HANDLERS,
  SHIFT_HANDLERS, STRING_HANDLERS, SYSTEM_HANDLERS);
EXEC_OPTIONS.specializer = specialize;
EXEC_OPTIONS.compiler = compileBlock;

/** Mnemonics with semantics (the decoder may know more; those raise #UD and are counted). */
export function implementedMnemonics(): string[] {
  return Object.keys(HANDLERS).sort();
}
export { cpuidLeaf } from './cpuid';
export { readMsr, writeMsr, writeCr0, writeCr4 } from './system';

/** x86 assembler (Intel syntax, close to NASM) for 16-, 32- and 64-bit code.
 * Pure TypeScript: runs in Node and in the browser.
 *
 *   assemble(source, { bits }) → { bytes, origin, bits, lineMap, symbols, errors }
 *
 * Errors never throw: each comes back with a 1-based line and column. The line map gives,
 * per source line with code, data or a label, its address and byte length (for the
 * editor and the disassembly view). Differences from NASM: SIMPLIFICATIONS.md. */
export { assemble } from './assembler';
export type { AssembleOptions, AssembleResult, LineMapEntry } from './assembler';
export type { AsmError } from './errors';
export { addressOfLine, lineOfAddress } from './lineMap';
export { DIRECTIVE_NAMES } from './statements';
export { CONDITIONS, FORMS, MNEMONICS, formsByOpcode, type Form } from './table';

/** x86 assembler (Intel syntax, close to NASM) for 16-, 32- and 64-bit code.
 * Pure TypeScript: runs in Node and in the browser. */
export { assemble } from './assembler';
export type { AssembleOptions, AssembleResult, LineMapEntry } from './assembler';
export type { AsmError } from './errors';
export { FORMS, CONDITIONS, type Form } from './table';

/** Public face of the x86 decoder: decode bytes into structured instructions and format them. */
export { decode, isDecodeError } from './decode';
export { formatInstruction, formatOperand, regName, SEG_NAMES } from './format';
export { allMnemonics, CC_NAMES, ONE_BYTE, TWO_BYTE, type OpcodeEntry } from './table';
export {
  OpKind, REG_NONE, REG_RIP, SEG_CS, SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS,
  type ByteSource, type DecodeError, type Instruction, type Operand,
} from './types';

/** Public face of the x86_64 CPU: decoder and formatter, the CPU (interpreter, paging,
 * exceptions), VMX non-root operation, the flat machine, and the assembler (core/x86/asm). */
export * from './decoder';
export { Cpu, CpuFault, CpuStop, HANDLERS, type NonRootHooks } from './cpu/cpu';
export { Access, type EptResult, type EptTranslator, type IoBus, type MmioBus, type PhysicalMemory, type StopReason } from './cpu/types';
export { ARITH_FLAGS, BIT_NAMES, CR0, CR4, EFER, EXC, EXC_NAMES, FLAG, MSR, PFEC } from './cpu/constants';
export { registerDump, GPR_NAMES } from './cpu/dump';
export { snapshotCpu, restoreCpu, type CpuSnapshot } from './cpu/snapshot';
export { guestPageWalk, type WalkResult } from './cpu/pagewalk';
export { decodeBits, disassembleAt, type DisasmLine } from './cpu/views';
export { implementedMnemonics, cpuidLeaf, readMsr, writeMsr } from './exec';
export { FlatMachine, DEBUG_CONSOLE_PORT, EXIT_PORT, type FlatMachineOptions } from './machine/flat';
export { runFlat, type FlatRunOptions, type FlatRunResult } from './machine/run';
export { sourceBits } from './machine/source';
export * from './vmx';
export { addressOfLine, assemble, lineOfAddress, type AssembleOptions, type AssembleResult, type AsmError, type LineMapEntry } from './asm';

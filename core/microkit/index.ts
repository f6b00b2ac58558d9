/** The Microkit runtime: libmicrokit for JavaScript PD programs (`mk`), its event loop and the monitor, all running
 * on the kernel model (core/kernel) from a system's initial kernel state. */
export * from './constants';
export { buildSystemState, fromBuild, BuildError, irqLineKey, type SystemState, type PdState, type MonitorState, type IrqBinding, type IrqLine } from './systemState';
export { MicrokitRuntime, FAULT_SLICE, GUEST_SLICE, type ProgramSource, type RuntimeOptions, type SliceResult } from './runtime';
export type { RuntimeEvent } from './pdEnv';
export { PhysicalMemory, translate, type MmioDevice } from './memory';
export { ProgramSyntaxError } from './instrument';
export { checkProgram } from './program';
export { hex32, hex64 } from './report';
export { guestImages, type GuestImage } from './vcpu';
export { vmReports, vmSummaryLines, vmTraceLines, installGuestSupport, type PdVm, type VmConfig } from './vcpu';

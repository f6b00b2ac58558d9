/** The VMM library (modelled on libvmm's x86 side): exit dispatch with counters, CPUID/MSR/CR handling, port I/O
 * devices, MMIO emulation for the LAPIC, IOAPIC and HPET, interrupt injection, guest start-up, and a direct runner. */
export { Vmm, type VmmOptions } from './vmm';
export type { VcpuBackend } from './backend';
export { ExitState, SEL4_CONTEXT_ORDER } from './state';
export { VmmFailure, FAIL } from './outcome';
export { exitName, decodeQualification, LAST_EXITS, type VmExitRecord } from './record';
export { startLongMode, startProtectedMode, startRealMode, buildIdentityPageTables, buildGdt, type LongModeStart } from './guestInit';
export { DirectVm, DirectBackend, type DirectVmOptions, type RunStop } from './direct';
export { emulateCpuid, type CpuidResult } from './cpuid';
export { MsrState, MSR_NUM } from './msr';
export { gvaToGpa, type PagingMode } from './pagewalk';
export { hexAddress, signed64 } from './address';
export type { PioDevice } from './pio';
export { Serial16550 } from './serial';
export type { MmioDevice } from './mmio';
export { LAPIC_REG } from './lapic';
export { IOAPIC_PINS } from './ioapic';
export * from './constants';
export { X86GuestRunner, type FrameStore, type RunnerExitView } from './kernelRunner';
export { vmReport, type VmReport } from './report';
export { WAIT } from './outcome';

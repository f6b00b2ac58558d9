/** libvmm x86 values (vmm-x86.md §1) in one place: guest-physical device addresses, port ranges, control words,
 * the simulated TSC frequency. Exit reasons and VMCS encodings come from core/x86 (one table each). */
export { EXIT, EXIT_REASONS, VMCS, PRIMARY, PIN, SECONDARY, ENTRY_CTL, EXIT_CTL, INTR_INFO, INTERRUPTIBILITY, CR_ACCESS_TYPE, EPT_QUAL, PREEMPTION_TIMER_RATE } from '../x86';

/** Guest TSC = guest instructions executed (core/x86 counts RDTSC in instructions); we call that 100 MHz. */
export const TSC_HZ = 100_000_000;

export const IOAPIC_GPA = 0xfec00000;
export const HPET_GPA = 0xfed00000;
export const LAPIC_GPA = 0xfee00000;
export const MMIO_PAGE = 0x1000;

export const COM1_PORT = 0x3f8;
export const CMOS_PORT = 0x70;
export const PCI_CONFIG_ADDRESS = 0xcf8;
export const PCI_CONFIG_DATA = 0xcfc;

/** libvmm's handler tables hold 16 entries but its "full" check compares against 15. */
export const MAX_PIO_HANDLERS = 15;
export const MAX_EPT_HANDLERS = 15;

/** primary controls: libvmm's 0x80180000 (secondary controls, CR8 load/store exiting) plus HLT exiting (bit 7), so a
 * halted guest with nothing to wake it hands the core back to the VMM (libvmm leaves HLT exiting off) */
export const PPC_DEFAULT = 0x80180080;
/** ... and with interrupt-window exiting (bit 2) */
export const PPC_WAIT_IRQ_WINDOW = 0x80180084;
export const EXIT_CTL_DEFAULT = 0x140000;
export const EXIT_CTL_WITH_TIMER = 0x540000;
export const PIN_PREEMPTION_TIMER = 1 << 6;

/** #GP(0) as libvmm injects it: vector 13, hardware exception, deliver error code, valid */
export const INJECT_GP0 = 0x80000b0d;

/** seL4's CONFIG_XSAVE_FEATURE_SET (x87 | SSE) as XSETBV accepts it */
export const XCR0_FEATURE_SET = 0x3;

/** VM-entry interruption info valid bit as an unsigned number */
export const IRQ_VALID = 0x80000000;

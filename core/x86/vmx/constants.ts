/** Intel VMX facts as tables with names, so views can decode them: basic exit reasons, VMCS
 * field encodings grouped as the SDM groups them, control bits, and qualification layouts.
 * Source: vmm-x86.md section 5 and sel4-x86_64.md section 6. */

export const EXIT_REASONS: Record<number, string> = {
  0: 'Exception or NMI', 1: 'External interrupt', 2: 'Triple fault', 3: 'INIT signal', 4: 'Start-up IPI (SIPI)',
  5: 'I/O SMI', 6: 'Other SMI', 7: 'Interrupt window', 8: 'NMI window', 9: 'Task switch', 10: 'CPUID', 11: 'GETSEC',
  12: 'HLT', 13: 'INVD', 14: 'INVLPG', 15: 'RDPMC', 16: 'RDTSC', 17: 'RSM', 18: 'VMCALL', 19: 'VMCLEAR', 20: 'VMLAUNCH',
  21: 'VMPTRLD', 22: 'VMPTRST', 23: 'VMREAD', 24: 'VMRESUME', 25: 'VMWRITE', 26: 'VMXOFF', 27: 'VMXON',
  28: 'Control-register access', 29: 'MOV DR', 30: 'I/O instruction', 31: 'RDMSR', 32: 'WRMSR',
  33: 'VM-entry failure: invalid guest state', 34: 'VM-entry failure: MSR loading', 36: 'MWAIT', 37: 'Monitor trap flag',
  39: 'MONITOR', 40: 'PAUSE', 41: 'VM-entry failure: machine-check event', 43: 'TPR below threshold', 44: 'APIC access',
  45: 'Virtualized EOI', 46: 'Access to GDTR or IDTR', 47: 'Access to LDTR or TR', 48: 'EPT violation',
  49: 'EPT misconfiguration', 50: 'INVEPT', 51: 'RDTSCP', 52: 'VMX-preemption timer expired', 53: 'INVVPID',
  54: 'WBINVD / WBNOINVD', 55: 'XSETBV', 56: 'APIC write', 57: 'RDRAND', 58: 'INVPCID', 59: 'VMFUNC', 60: 'ENCLS',
  61: 'RDSEED', 62: 'Page-modification log full', 63: 'XSAVES', 64: 'XRSTORS', 65: 'PCONFIG', 66: 'SPP-related event',
  67: 'UMWAIT', 68: 'TPAUSE', 69: 'LOADIWKEY', 70: 'ENCLV', 71: 'SGX conflict', 72: 'ENQCMD PASID translation failure',
  73: 'ENQCMDS PASID translation failure', 74: 'Bus lock', 75: 'Instruction timeout', 76: 'SEAMCALL', 77: 'TDCALL',
};

export const EXIT = {
  EXCEPTION_NMI: 0, EXTERNAL_INTERRUPT: 1, TRIPLE_FAULT: 2, INTERRUPT_WINDOW: 7, CPUID: 10, HLT: 12, INVD: 13, INVLPG: 14,
  RDTSC: 16, VMCALL: 18, CR_ACCESS: 28, IO: 30, RDMSR: 31, WRMSR: 32, INVALID_GUEST_STATE: 33, PAUSE: 40,
  GDTR_IDTR: 46, LDTR_TR: 47, EPT_VIOLATION: 48, EPT_MISCONFIG: 49, RDTSCP: 51, PREEMPTION_TIMER: 52, WBINVD: 54, XSETBV: 55, RDRAND: 57,
} as const;
/** Bit 31 of the exit-reason field: VM-entry failure. */
export const EXIT_REASON_ENTRY_FAILURE = 0x80000000;

export type VmcsGroup = 'control' | 'guest-state' | 'host-state' | 'exit-information';
export interface VmcsField { encoding: number; name: string; group: VmcsGroup; width: 16 | 32 | 64 | 'natural' }

const F = (encoding: number, name: string, group: VmcsGroup, width: VmcsField['width']): VmcsField => ({ encoding, name, group, width });
const SEG8 = ['ES', 'CS', 'SS', 'DS', 'FS', 'GS', 'LDTR', 'TR'];

/** VMCS fields the kernel and libvmm use, by encoding. */
export const VMCS_FIELDS: VmcsField[] = [
  F(0x0000, 'VPID', 'control', 16),
  ...SEG8.map((s, i) => F(0x0800 + i * 2, `GUEST_${s}_SELECTOR`, 'guest-state', 16)),
  F(0x0810, 'GUEST_INTERRUPT_STATUS', 'guest-state', 16),
  ...['ES', 'CS', 'SS', 'DS', 'FS', 'GS', 'TR'].map((s, i) => F(0x0c00 + i * 2, `HOST_${s}_SELECTOR`, 'host-state', 16)),
  F(0x2000, 'IO_BITMAP_A', 'control', 64), F(0x2002, 'IO_BITMAP_B', 'control', 64), F(0x2004, 'MSR_BITMAP', 'control', 64),
  F(0x2010, 'TSC_OFFSET', 'control', 64), F(0x201a, 'EPT_POINTER', 'control', 64),
  F(0x201c, 'EOI_EXIT_BITMAP_0', 'control', 64), F(0x201e, 'EOI_EXIT_BITMAP_1', 'control', 64),
  F(0x2020, 'EOI_EXIT_BITMAP_2', 'control', 64), F(0x2022, 'EOI_EXIT_BITMAP_3', 'control', 64),
  F(0x2400, 'GUEST_PHYSICAL_ADDRESS', 'exit-information', 64),
  F(0x2800, 'VMCS_LINK_POINTER', 'guest-state', 64), F(0x2802, 'GUEST_DEBUGCTL', 'guest-state', 64),
  F(0x2804, 'GUEST_PAT', 'guest-state', 64), F(0x2806, 'GUEST_EFER', 'guest-state', 64),
  F(0x2808, 'GUEST_PERF_GLOBAL_CTRL', 'guest-state', 64),
  F(0x280a, 'GUEST_PDPTE0', 'guest-state', 64), F(0x280c, 'GUEST_PDPTE1', 'guest-state', 64),
  F(0x280e, 'GUEST_PDPTE2', 'guest-state', 64), F(0x2810, 'GUEST_PDPTE3', 'guest-state', 64),
  F(0x4000, 'PIN_BASED_CONTROLS', 'control', 32), F(0x4002, 'PRIMARY_PROCESSOR_CONTROLS', 'control', 32),
  F(0x4004, 'EXCEPTION_BITMAP', 'control', 32), F(0x4006, 'PAGE_FAULT_ERROR_CODE_MASK', 'control', 32),
  F(0x4008, 'PAGE_FAULT_ERROR_CODE_MATCH', 'control', 32), F(0x400a, 'CR3_TARGET_COUNT', 'control', 32),
  F(0x400c, 'EXIT_CONTROLS', 'control', 32), F(0x400e, 'EXIT_MSR_STORE_COUNT', 'control', 32),
  F(0x4010, 'EXIT_MSR_LOAD_COUNT', 'control', 32), F(0x4012, 'ENTRY_CONTROLS', 'control', 32),
  F(0x4014, 'ENTRY_MSR_LOAD_COUNT', 'control', 32), F(0x4016, 'ENTRY_INTERRUPTION_INFO', 'control', 32),
  F(0x4018, 'ENTRY_EXCEPTION_ERROR_CODE', 'control', 32), F(0x401a, 'ENTRY_INSTRUCTION_LENGTH', 'control', 32),
  F(0x401c, 'TPR_THRESHOLD', 'control', 32), F(0x401e, 'SECONDARY_PROCESSOR_CONTROLS', 'control', 32),
  F(0x4400, 'VM_INSTRUCTION_ERROR', 'exit-information', 32), F(0x4402, 'EXIT_REASON', 'exit-information', 32),
  F(0x4404, 'EXIT_INTERRUPTION_INFO', 'exit-information', 32), F(0x4406, 'EXIT_INTERRUPTION_ERROR_CODE', 'exit-information', 32),
  F(0x4408, 'IDT_VECTORING_INFO', 'exit-information', 32), F(0x440a, 'IDT_VECTORING_ERROR_CODE', 'exit-information', 32),
  F(0x440c, 'EXIT_INSTRUCTION_LENGTH', 'exit-information', 32), F(0x440e, 'EXIT_INSTRUCTION_INFO', 'exit-information', 32),
  ...SEG8.map((s, i) => F(0x4800 + i * 2, `GUEST_${s}_LIMIT`, 'guest-state', 32)),
  F(0x4810, 'GUEST_GDTR_LIMIT', 'guest-state', 32), F(0x4812, 'GUEST_IDTR_LIMIT', 'guest-state', 32),
  ...SEG8.map((s, i) => F(0x4814 + i * 2, `GUEST_${s}_ACCESS_RIGHTS`, 'guest-state', 32)),
  F(0x4824, 'GUEST_INTERRUPTIBILITY', 'guest-state', 32), F(0x4826, 'GUEST_ACTIVITY_STATE', 'guest-state', 32),
  F(0x4828, 'GUEST_SMBASE', 'guest-state', 32), F(0x482a, 'GUEST_SYSENTER_CS', 'guest-state', 32),
  F(0x482e, 'PREEMPTION_TIMER_VALUE', 'guest-state', 32), F(0x4c00, 'HOST_SYSENTER_CS', 'host-state', 32),
  F(0x6000, 'CR0_GUEST_HOST_MASK', 'control', 'natural'), F(0x6002, 'CR4_GUEST_HOST_MASK', 'control', 'natural'),
  F(0x6004, 'CR0_READ_SHADOW', 'control', 'natural'), F(0x6006, 'CR4_READ_SHADOW', 'control', 'natural'),
  F(0x6400, 'EXIT_QUALIFICATION', 'exit-information', 'natural'), F(0x6402, 'IO_RCX', 'exit-information', 'natural'),
  F(0x6404, 'IO_RSI', 'exit-information', 'natural'), F(0x6406, 'IO_RDI', 'exit-information', 'natural'),
  F(0x6408, 'IO_RIP', 'exit-information', 'natural'), F(0x640a, 'GUEST_LINEAR_ADDRESS', 'exit-information', 'natural'),
  F(0x6800, 'GUEST_CR0', 'guest-state', 'natural'), F(0x6802, 'GUEST_CR3', 'guest-state', 'natural'),
  F(0x6804, 'GUEST_CR4', 'guest-state', 'natural'),
  ...SEG8.map((s, i) => F(0x6806 + i * 2, `GUEST_${s}_BASE`, 'guest-state', 'natural')),
  F(0x6816, 'GUEST_GDTR_BASE', 'guest-state', 'natural'), F(0x6818, 'GUEST_IDTR_BASE', 'guest-state', 'natural'),
  F(0x681a, 'GUEST_DR7', 'guest-state', 'natural'), F(0x681c, 'GUEST_RSP', 'guest-state', 'natural'),
  F(0x681e, 'GUEST_RIP', 'guest-state', 'natural'), F(0x6820, 'GUEST_RFLAGS', 'guest-state', 'natural'),
  F(0x6822, 'GUEST_PENDING_DEBUG_EXCEPTIONS', 'guest-state', 'natural'),
  F(0x6824, 'GUEST_SYSENTER_ESP', 'guest-state', 'natural'), F(0x6826, 'GUEST_SYSENTER_EIP', 'guest-state', 'natural'),
  F(0x6c00, 'HOST_CR0', 'host-state', 'natural'), F(0x6c02, 'HOST_CR3', 'host-state', 'natural'), F(0x6c04, 'HOST_CR4', 'host-state', 'natural'),
  F(0x6c14, 'HOST_RSP', 'host-state', 'natural'), F(0x6c16, 'HOST_RIP', 'host-state', 'natural'),
];

export const VMCS_BY_NAME: Record<string, number> = Object.fromEntries(VMCS_FIELDS.map((f) => [f.name, f.encoding]));
export const VMCS_BY_ENCODING = new Map<number, VmcsField>(VMCS_FIELDS.map((f) => [f.encoding, f]));
/** Field encodings by name, for code (e.g. VMCS.GUEST_RIP). */
export const VMCS: Readonly<Record<string, number>> = VMCS_BY_NAME;

/** Control bits, by control field. */
export const PIN = { EXTERNAL_INTERRUPT_EXITING: 1 << 0, NMI_EXITING: 1 << 3, VIRTUAL_NMIS: 1 << 5, PREEMPTION_TIMER: 1 << 6, POSTED_INTERRUPTS: 1 << 7 } as const;
export const PRIMARY = {
  INTERRUPT_WINDOW_EXITING: 1 << 2, TSC_OFFSETTING: 1 << 3, HLT_EXITING: 1 << 7, INVLPG_EXITING: 1 << 9, MWAIT_EXITING: 1 << 10,
  RDPMC_EXITING: 1 << 11, RDTSC_EXITING: 1 << 12, CR3_LOAD_EXITING: 1 << 15, CR3_STORE_EXITING: 1 << 16,
  CR8_LOAD_EXITING: 1 << 19, CR8_STORE_EXITING: 1 << 20, TPR_SHADOW: 1 << 21, NMI_WINDOW_EXITING: 1 << 22,
  MOV_DR_EXITING: 1 << 23, UNCONDITIONAL_IO_EXITING: 1 << 24, USE_IO_BITMAPS: 1 << 25, MONITOR_TRAP_FLAG: 1 << 27,
  USE_MSR_BITMAPS: 1 << 28, MONITOR_EXITING: 1 << 29, PAUSE_EXITING: 1 << 30, ACTIVATE_SECONDARY_CONTROLS: 1 << 31,
} as const;
export const SECONDARY = {
  VIRTUALIZE_APIC_ACCESSES: 1 << 0, ENABLE_EPT: 1 << 1, DESCRIPTOR_TABLE_EXITING: 1 << 2, ENABLE_RDTSCP: 1 << 3,
  ENABLE_VPID: 1 << 5, WBINVD_EXITING: 1 << 6, UNRESTRICTED_GUEST: 1 << 7, APIC_REGISTER_VIRTUALIZATION: 1 << 8,
  VIRTUAL_INTERRUPT_DELIVERY: 1 << 9, PAUSE_LOOP_EXITING: 1 << 10, RDRAND_EXITING: 1 << 11,
} as const;
export const EXIT_CTL = { HOST_ADDRESS_SPACE_SIZE: 1 << 9, ACK_INTERRUPT_ON_EXIT: 1 << 15, SAVE_PAT: 1 << 18, LOAD_PAT: 1 << 19, SAVE_EFER: 1 << 20, LOAD_EFER: 1 << 21, SAVE_PREEMPTION_TIMER: 1 << 22 } as const;
export const ENTRY_CTL = { IA32E_MODE_GUEST: 1 << 9, LOAD_PAT: 1 << 14, LOAD_EFER: 1 << 15 } as const;

/** Interruption-information format (entry 0x4016, exit 0x4404, IDT-vectoring 0x4408). */
export const INTR_INFO = { VECTOR_MASK: 0xff, TYPE_SHIFT: 8, TYPE_MASK: 0x700, DELIVER_ERROR_CODE: 1 << 11, NMI_UNBLOCKING: 1 << 12, VALID: 1 << 31 } as const;
export const INTR_TYPE = { EXTERNAL: 0, NMI: 2, HARDWARE_EXCEPTION: 3, SOFTWARE_INTERRUPT: 4, PRIVILEGED_SOFTWARE_EXCEPTION: 5, SOFTWARE_EXCEPTION: 6, OTHER: 7 } as const;
export const INTERRUPTIBILITY = { STI: 1 << 0, MOV_SS: 1 << 1, SMI: 1 << 2, NMI: 1 << 3 } as const;
export const ACTIVITY = { ACTIVE: 0, HLT: 1, SHUTDOWN: 2, WAIT_FOR_SIPI: 3 } as const;

/** Exit-qualification layouts: [name, low bit, width] per field. */
export const QUALIFICATION_LAYOUTS: Record<number, [string, number, number][]> = {
  30: [['size-1', 0, 3], ['direction in', 3, 1], ['string', 4, 1], ['rep', 5, 1], ['immediate operand', 6, 1], ['port', 16, 16]],
  28: [['control register', 0, 4], ['access type', 4, 2], ['LMSW memory operand', 6, 1], ['register', 8, 4], ['LMSW source data', 16, 16]],
  29: [['debug register', 0, 3], ['direction from DR', 4, 1], ['register', 8, 4]],
  48: [['read', 0, 1], ['write', 1, 1], ['fetch', 2, 1], ['readable', 3, 1], ['writable', 4, 1], ['executable', 5, 1],
    ['user-mode executable', 6, 1], ['linear address valid', 7, 1], ['final translation', 8, 1], ['NMI unblocking', 12, 1]],
};
export const CR_ACCESS_TYPE = { MOV_TO_CR: 0, MOV_FROM_CR: 1, CLTS: 2, LMSW: 3 } as const;
export const EPT_QUAL = { READ: 1, WRITE: 2, FETCH: 4, READABLE: 8, WRITABLE: 16, EXECUTABLE: 32, LINEAR_VALID: 128, FINAL: 256 } as const;

/** Exit reasons for which seL4 reads and reports the qualification (otherwise it passes 0). */
export const SEL4_QUALIFIED_EXITS = new Set<number>([0, 4, 9, 14, 19, 21, 22, 23, 25, 27, 28, 29, 30, 36, 43, 44, 46, 47, 48, 50, 53]);

/** IA32_VMX_MISC bits 4:0: the preemption timer counts down once every 2^X TSC ticks. */
export const PREEMPTION_TIMER_RATE = 5;

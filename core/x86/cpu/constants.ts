/** Architectural constants of the CPU model: one table each for exception vectors,
 * RFLAGS/CR0/CR4/EFER bits and model-specific registers. Views decode registers with these. */

export const EXC = {
  DE: 0, DB: 1, NMI: 2, BP: 3, OF: 4, BR: 5, UD: 6, NM: 7, DF: 8, TS: 10, NP: 11, SS: 12, GP: 13, PF: 14, MF: 16, AC: 17, MC: 18, XM: 19,
} as const;

/** Exceptions that push an error code in protected and long mode. */
export const EXC_HAS_ERROR_CODE = new Set<number>([8, 10, 11, 12, 13, 14, 17, 21]);
/** Contributory exceptions, for the double-fault rules (SDM vol. 3 table 6-5). */
export const EXC_CONTRIBUTORY = new Set<number>([0, 10, 11, 12, 13]);

export const EXC_NAMES: Record<number, string> = {
  0: '#DE divide error', 1: '#DB debug', 2: 'NMI', 3: '#BP breakpoint', 4: '#OF overflow', 5: '#BR bound range',
  6: '#UD invalid opcode', 7: '#NM device not available', 8: '#DF double fault', 10: '#TS invalid TSS',
  11: '#NP segment not present', 12: '#SS stack fault', 13: '#GP general protection', 14: '#PF page fault',
  16: '#MF x87 error', 17: '#AC alignment check', 18: '#MC machine check', 19: '#XM SIMD exception',
};

export const FLAG = {
  CF: 1 << 0, PF: 1 << 2, AF: 1 << 4, ZF: 1 << 6, SF: 1 << 7, TF: 1 << 8, IF: 1 << 9, DF: 1 << 10, OF: 1 << 11,
  IOPL: 3 << 12, NT: 1 << 14, RF: 1 << 16, VM: 1 << 17, AC: 1 << 18, VIF: 1 << 19, VIP: 1 << 20, ID: 1 << 21,
} as const;
/** Bits the arithmetic instructions compute (held lazily). */
export const ARITH_FLAGS = FLAG.CF | FLAG.PF | FLAG.AF | FLAG.ZF | FLAG.SF | FLAG.OF;
/** Bit 1 of RFLAGS always reads as 1. */
export const FLAGS_FIXED1 = 1 << 1;

export const CR0 = { PE: 1 << 0, MP: 1 << 1, EM: 1 << 2, TS: 1 << 3, ET: 1 << 4, NE: 1 << 5, WP: 1 << 16, AM: 1 << 18, NW: 1 << 29, CD: 1 << 30, PG: 1 << 31 } as const;
export const CR4 = {
  VME: 1 << 0, PVI: 1 << 1, TSD: 1 << 2, DE: 1 << 3, PSE: 1 << 4, PAE: 1 << 5, MCE: 1 << 6, PGE: 1 << 7, PCE: 1 << 8,
  OSFXSR: 1 << 9, OSXMMEXCPT: 1 << 10, UMIP: 1 << 11, LA57: 1 << 12, VMXE: 1 << 13, SMXE: 1 << 14, FSGSBASE: 1 << 16,
  PCIDE: 1 << 17, OSXSAVE: 1 << 18, SMEP: 1 << 20, SMAP: 1 << 21,
} as const;
export const EFER = { SCE: 1 << 0, LME: 1 << 8, LMA: 1 << 10, NXE: 1 << 11 } as const;

/** Bit names for views (RFLAGS, CR0, CR4, EFER), lowest bit first. */
export const BIT_NAMES = {
  rflags: FLAG,
  cr0: CR0,
  cr4: CR4,
  efer: EFER,
} as const;

export const MSR = {
  TSC: 0x10, APIC_BASE: 0x1b, MTRRCAP: 0xfe, SYSENTER_CS: 0x174, SYSENTER_ESP: 0x175, SYSENTER_EIP: 0x176,
  MISC_ENABLE: 0x1a0, PAT: 0x277, MTRR_DEF_TYPE: 0x2ff, VMX_MISC: 0x485,
  EFER: 0xc0000080, STAR: 0xc0000081, LSTAR: 0xc0000082, CSTAR: 0xc0000083, FMASK: 0xc0000084,
  FS_BASE: 0xc0000100, GS_BASE: 0xc0000101, KERNEL_GS_BASE: 0xc0000102, TSC_AUX: 0xc0000103,
} as const;

/** MSRs the model stores (reads of any other MSR raise #GP(0), as on hardware for unimplemented ones). */
export const KNOWN_MSRS = new Set<number>(Object.values(MSR));

/** Page-fault error-code bits. */
export const PFEC = { P: 1, W: 2, U: 4, RSVD: 8, I: 16 } as const;

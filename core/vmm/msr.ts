/** RDMSR / WRMSR as libvmm emulates them (vmm-x86.md §1.4): MTRRs and machine-check banks in software state, EFER
 * and PAT in the VMCS, the STAR family through the seL4 VCPU MSR calls; anything else fails (→ #GP(0)). */
import { VMCS } from './constants';
import type { VcpuBackend } from './backend';

const TWO32 = 0x1_0000_0000;

export const MSR_NUM = {
  TSC: 0x10, PLATFORM_ID: 0x17, APIC_BASE: 0x1b, TSC_ADJUST: 0x3b, SPEC_CTRL: 0x48, PRED_CMD: 0x49, MTRRCAP: 0xfe,
  MCG_CAP: 0x179, MCG_STATUS: 0x17a, MCG_CTL: 0x17b, PAT: 0x277, MTRR_DEF_TYPE: 0x2ff, XSS: 0xda0,
  EFER: 0xc0000080, STAR: 0xc0000081, LSTAR: 0xc0000082, CSTAR: 0xc0000083, FMASK: 0xc0000084,
} as const;

const APIC_BASE_VALUE = 0xfee00000 + 0x800 + 0x100; // base, global enable (bit 11), BSP (bit 8)
const MTRRCAP_VALUE = 8 | (1 << 8) | (1 << 10);
const MCG_CAP_VALUE = 4 | (1 << 8); // 4 banks, MCG_CTL_P

function isSoftState(msr: number): boolean {
  return msr === MSR_NUM.MTRR_DEF_TYPE || (msr >= 0x200 && msr <= 0x20f) || msr === 0x250 || msr === 0x258 || msr === 0x259
    || (msr >= 0x268 && msr <= 0x26f) || (msr >= 0x400 && msr <= 0x40f);
}

export class MsrState {
  /** MTRR and MCA bank values (software state) */
  private readonly soft = new Map<number, number>([[MSR_NUM.MTRR_DEF_TYPE, 1 << 11]]);

  constructor(private readonly backend: VcpuBackend) {}

  /** The value, or null when libvmm would fail (the caller injects #GP(0)). */
  read(msr: number): number | null {
    const b = this.backend;
    switch (msr) {
      case MSR_NUM.MTRRCAP: return MTRRCAP_VALUE;
      case MSR_NUM.MCG_CAP: return MCG_CAP_VALUE;
      case MSR_NUM.MCG_STATUS: return 0;
      case MSR_NUM.MCG_CTL: return -1; // all ones (see readParts)
      case MSR_NUM.EFER: return b.readVmcs(VMCS.GUEST_EFER);
      case MSR_NUM.PAT: return b.readVmcs(VMCS.GUEST_PAT);
      case MSR_NUM.TSC: return b.tsc();
      case MSR_NUM.STAR: case MSR_NUM.LSTAR: case MSR_NUM.CSTAR: case MSR_NUM.FMASK: return b.readMsr(msr);
      case MSR_NUM.APIC_BASE: return APIC_BASE_VALUE;
      case MSR_NUM.SPEC_CTRL: case MSR_NUM.PLATFORM_ID: case MSR_NUM.TSC_ADJUST: return 0;
    }
    if (isSoftState(msr)) return this.soft.get(msr) ?? 0;
    return null;
  }

  /** EDX:EAX halves of a read value (-1 stands for all 64 bits set). */
  static parts(v: number): [number, number] {
    if (v === -1) return [0xffffffff, 0xffffffff];
    const hi = Math.floor(v / TWO32);
    return [(v - hi * TWO32) >>> 0, hi >>> 0];
  }

  /** Write; false when libvmm would fail (→ #GP(0)). */
  write(msr: number, lo: number, hi: number): boolean {
    const v = (hi >>> 0) * TWO32 + (lo >>> 0);
    const b = this.backend;
    switch (msr) {
      case MSR_NUM.APIC_BASE:
        // x2APIC enable (bit 10), relocation, or global disable are refused
        return (lo & 0x400) === 0 && (lo & 0xfffff000) >>> 0 === 0xfee00000 && hi === 0 && (lo & 0x800) !== 0;
      case MSR_NUM.EFER: b.writeVmcs(VMCS.GUEST_EFER, v); return true;
      case MSR_NUM.PAT: b.writeVmcs(VMCS.GUEST_PAT, v); return true;
      case MSR_NUM.STAR: case MSR_NUM.LSTAR: case MSR_NUM.CSTAR: case MSR_NUM.FMASK: b.writeMsr(msr, v); return true;
      case MSR_NUM.PRED_CMD: case MSR_NUM.SPEC_CTRL: case MSR_NUM.XSS: return true;
    }
    if (isSoftState(msr)) {
      this.soft.set(msr, v);
      return true;
    }
    return false;
  }
}

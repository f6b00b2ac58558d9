/** What the VMM library needs from "its VCPU": VMCS reads and writes (libmicrokit's vcpu_x86_read/write_vmcs,
 * which become seL4_X86_VCPU_ReadVMCS/WriteVMCS), the VCPU MSR calls, and the guest TSC. Two implementations:
 * the direct one over core/x86's Vcpu (tests, bench) and the PD one over the kernel's VCPU object. */
export interface VcpuBackend {
  readVmcs(field: number): number;
  /** returns the value actually written (the kernel applies fixed bits to controls and CR0/CR4) */
  writeVmcs(field: number, value: number): number;
  /** seL4_X86_VCPU_ReadMSR / WriteMSR (STAR, LSTAR, CSTAR, FMASK) */
  readMsr(msr: number): number;
  writeMsr(msr: number, value: number): void;
  /** guest time-stamp counter now */
  tsc(): number;
}

/** A board as the simulator sees it: the architecture, the kernel configuration
 * the SDK builds for it, and the physical memory map the kernel boots with.
 * One file per board; this type is the single description every part reads
 * (SDF validation, the build, the kernel's boot, the memory views). */

export type Arch = 'aarch64' | 'riscv64' | 'x86_64';

export interface PhysRange {
  /** inclusive start */
  start: bigint;
  /** exclusive end */
  end: bigint;
  name: string;
}

export interface KernelConfig {
  arch: Arch;
  /** number of cores of the SMP kernel (1 for non-SMP builds) */
  cores: number;
  /** hypervisor build: virtual_machine allowed (VT-x on x86_64, EL2 on aarch64) */
  hypervisor: boolean;
  /** IOMMU present (io_address_space allowed on x86_64) */
  iommu: boolean;
  /** ARM SMC calls allowed (smc="true") */
  armSmc: boolean;
  /** false when the kernel configuration does not define the SMC option at all (the tool
   * then says SMC "is not available for this architecture"); non-ARM kernels never define it */
  armSmcConfigured?: boolean;
  /** KernelNumDomains; SMP builds use 1 */
  numDomains: number;
  /** KernelNumDomainSchedules */
  numDomainSchedules: number;
  /** highest user virtual address + 1 (seL4_UserTop) */
  userTop: bigint;
  /** page sizes a memory_region may use, in bytes */
  pageSizes: bigint[];
  /** bits of physical address the kernel supports */
  physAddrBits: number;
  /** MCS kernel (always true for Microkit) */
  mcs: boolean;
}

export interface Board {
  /** the name `microkit --board` takes */
  name: string;
  description: string;
  kernel: KernelConfig;
  /** usable RAM as the boot loader reports it */
  ram: PhysRange[];
  /** device (MMIO) ranges worth naming in the physical memory map */
  devices: PhysRange[];
  /** physical address where the kernel image is loaded, and its size */
  kernelImage: PhysRange;
  /** cores of the board's `smp-` kernel configurations (absent when the SDK has none) */
  smpCores?: number;
}

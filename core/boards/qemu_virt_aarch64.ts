import type { Board } from './types';

const MiB = 1024n * 1024n;
const GiB = 1024n * MiB;

/** QEMU's `virt` machine with a Cortex-A53 and 2 GiB of RAM, as Microkit's
 * `qemu_virt_aarch64` board (hypervisor kernel, one core in the non-SMP config). */
export const qemu_virt_aarch64: Board = {
  name: 'qemu_virt_aarch64',
  description: 'QEMU virt, AArch64 (Cortex-A53), 2 GiB of RAM, hypervisor kernel',
  kernel: {
    arch: 'aarch64',
    cores: 1,
    hypervisor: true,
    iommu: false,
    armSmc: true,
    numDomains: 16,
    numDomainSchedules: 100,
    userTop: 0x100_0000_0000n,
    pageSizes: [4096n, 2n * MiB],
    physAddrBits: 40,
    mcs: true,
  },
  ram: [{ start: 0x4000_0000n, end: 0x4000_0000n + 2n * GiB, name: 'RAM' }],
  devices: [
    { start: 0x0800_0000n, end: 0x0802_0000n, name: 'GIC' },
    { start: 0x0803_0000n, end: 0x0805_0000n, name: 'GIC virtualisation (GICH, GICV)' },
    { start: 0x0900_0000n, end: 0x0900_1000n, name: 'PL011 UART' },
    { start: 0x0901_0000n, end: 0x0901_1000n, name: 'PL031 RTC' },
    { start: 0x0a00_0000n, end: 0x0a00_4000n, name: 'virtio-mmio' },
    { start: 0x1000_0000n, end: 0x3eff_0000n, name: 'PCIe MMIO' },
  ],
  kernelImage: { start: 0x6000_0000n, end: 0x6000_0000n + 0x20_0000n, name: 'seL4 kernel image' },
  smpCores: 4,
};

import type { Board } from './types';

const MiB = 1024n * 1024n;
const GiB = 1024n * MiB;

/** QEMU's `virt` machine for RISC-V 64 (Sv39), 2 GiB of RAM, as Microkit's
 * `qemu_virt_riscv64` board. No hypervisor, no IOMMU. */
export const qemu_virt_riscv64: Board = {
  name: 'qemu_virt_riscv64',
  description: 'QEMU virt, RISC-V 64 (Sv39), 2 GiB of RAM',
  kernel: {
    arch: 'riscv64',
    cores: 1,
    hypervisor: false,
    iommu: false,
    armSmc: false,
    numDomains: 16,
    numDomainSchedules: 100,
    userTop: 0x3f_ffff_f000n,
    pageSizes: [4096n, 2n * MiB],
    physAddrBits: 39,
    mcs: true,
  },
  ram: [{ start: 0x8000_0000n, end: 0x8000_0000n + 2n * GiB, name: 'RAM' }],
  devices: [
    { start: 0x0c00_0000n, end: 0x1000_0000n, name: 'PLIC' },
    { start: 0x1000_0000n, end: 0x1000_1000n, name: 'NS16550 UART' },
    { start: 0x1000_1000n, end: 0x1000_9000n, name: 'virtio-mmio' },
  ],
  kernelImage: { start: 0x8020_0000n, end: 0x8040_0000n, name: 'seL4 kernel image' },
};

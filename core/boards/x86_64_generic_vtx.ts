import type { Board } from './types';

const KiB = 1024n;
const MiB = 1024n * KiB;
const GiB = 1024n * MiB;

/** A PC with VT-x, modelled on QEMU's q35 machine with 4 GiB of RAM (the
 * multiboot memory map such a machine reports), as Microkit's `x86_64_generic_vtx`
 * board is used. On x86 the memory map is only known at boot. */
export const x86_64_generic_vtx: Board = {
  name: 'x86_64_generic_vtx',
  description: 'Generic x86_64 PC with VT-x and an IOMMU (simulated as a q35 machine with 4 GiB of RAM)',
  kernel: {
    arch: 'x86_64',
    cores: 1,
    hypervisor: true,
    iommu: true,
    armSmc: false,
    numDomains: 16,
    numDomainSchedules: 100,
    userTop: 0x7fff_ffff_f000n,
    pageSizes: [4n * KiB, 2n * MiB],
    physAddrBits: 47,
    mcs: true,
  },
  ram: [
    { start: 0x0n, end: 0x9fc00n, name: 'low memory' },
    { start: 1n * MiB, end: 2n * GiB, name: 'RAM below the PCI hole' },
    { start: 4n * GiB, end: 6n * GiB, name: 'RAM above 4 GiB' },
  ],
  devices: [
    { start: 0xa0000n, end: 0x100000n, name: 'VGA and BIOS area' },
    { start: 0xb000_0000n, end: 0xc000_0000n, name: 'PCI ECAM' },
    { start: 0xc000_0000n, end: 0xfec0_0000n, name: 'PCI MMIO hole' },
    { start: 0xfec0_0000n, end: 0xfec0_1000n, name: 'IOAPIC' },
    { start: 0xfed0_0000n, end: 0xfed0_1000n, name: 'HPET' },
    { start: 0xfed9_0000n, end: 0xfed9_1000n, name: 'VT-d DRHU' },
    { start: 0xfee0_0000n, end: 0xfee0_1000n, name: 'local APIC' },
  ],
  kernelImage: { start: 1n * MiB, end: 1n * MiB + 0x40_0000n, name: 'seL4 kernel image' },
};

/** Where the simulated devices sit on each architecture: MMIO base and interrupt line. */
import type { Arch } from '../../boards';
import type { IrqLine } from '../../microkit';

export interface DevicePlacement {
  base: bigint;
  line: IrqLine;
}

export const SIM_TIMER: Record<Arch, DevicePlacement> = {
  aarch64: { base: 0x0a10_0000n, line: { kind: 'line', irq: 80 } },
  riscv64: { base: 0x1010_0000n, line: { kind: 'line', irq: 12 } },
  x86_64: { base: 0xfed1_0000n, line: { kind: 'ioapic', pin: 8 } },
};

/** Where the simulated devices sit on each architecture: MMIO base and interrupt line. */
import type { Arch } from '../../boards';
import type { IrqLine } from '../../microkit';
import { COM1_PORT } from '../../vmm';

export interface DevicePlacement {
  base: bigint;
  line: IrqLine;
}

export const SIM_TIMER: Record<Arch, DevicePlacement> = {
  aarch64: { base: 0x0a10_0000n, line: { kind: 'line', irq: 80 } },
  riscv64: { base: 0x1010_0000n, line: { kind: 'line', irq: 12 } },
  x86_64: { base: 0xfed1_0000n, line: { kind: 'ioapic', pin: 8 } },
};

/** The board's serial ports on the port-I/O bus (x86 only: the other boards have no port I/O). */
export interface SerialPlacement {
  name: string;
  port: number;
}

export const SIM_SERIAL: Record<Arch, SerialPlacement[]> = {
  aarch64: [],
  riscv64: [],
  x86_64: [{ name: 'COM1', port: COM1_PORT }],
};

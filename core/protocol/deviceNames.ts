/** Names over numbers for VM exits: I/O ports, guest-physical device windows and MSRs the VMM library knows. The
 * addresses themselves come from core/vmm's constants (one place). */
import { hexAddress, CMOS_PORT, COM1_PORT, HPET_GPA, IOAPIC_GPA, LAPIC_GPA, MMIO_PAGE, MSR_NUM, PCI_CONFIG_ADDRESS, PCI_CONFIG_DATA } from '../vmm';

const PORTS: [base: number, count: number, name: string][] = [
  [COM1_PORT, 8, 'COM1'],
  [CMOS_PORT, 2, 'CMOS'],
  [PCI_CONFIG_ADDRESS, 4, 'PCI config address'],
  [PCI_CONFIG_DATA, 4, 'PCI config data'],
];

const WINDOWS: [base: number, size: number, name: string][] = [
  [IOAPIC_GPA, MMIO_PAGE, 'IOAPIC'],
  [HPET_GPA, MMIO_PAGE, 'HPET'],
  [LAPIC_GPA, MMIO_PAGE, 'LAPIC'],
];

export function portName(port: number): string | null {
  for (const [b, n, name] of PORTS) if (port >= b && port < b + n) return port === b ? name : `${name}+${port - b}`;
  return null;
}

export function gpaName(gpa: number): string | null {
  for (const [b, n, name] of WINDOWS) if (gpa >= b && gpa < b + n) return gpa === b ? name : `${name}+0x${(gpa - b).toString(16)}`;
  return null;
}

/** the MSRs the VMM library emulates, by their Intel names (all IA32_ architectural MSRs) */
const MSRS = new Map<number, string>(Object.entries(MSR_NUM).map(([name, n]) => [n, `IA32_${name}`]));

export function msrName(msr: number): string | null {
  return MSRS.get(msr) ?? null;
}

/** hex as the guest writes it: kernel-half addresses (held as negative numbers, exact) in two's complement */
export const hexNum = (n: number): string => `0x${hexAddress(n)}`;
export { hexAddress };

/** Port I/O devices (libvmm's PIO handler table, vmm-x86.md §1.6): each claims [base, base + size). A port nobody
 * claims is the no-op device: IN reads all ones for the access width, OUT is dropped. */
import { MAX_PIO_HANDLERS } from './constants';

export interface PioDevice {
  name: string;
  base: number;
  size: number;
  /** value read (only the low `size` bytes count); return null to fail the exit */
  read(port: number, size: number): number | null;
  /** false fails the exit */
  write(port: number, size: number, value: number): boolean;
}

export class PioBus {
  readonly devices: PioDevice[] = [];

  register(d: PioDevice): void {
    if (this.devices.length >= MAX_PIO_HANDLERS) throw new Error(`cannot register I/O port handler '${d.name}': the table is full (${MAX_PIO_HANDLERS} handlers)`);
    for (const o of this.devices) {
      if (d.base < o.base + o.size && o.base < d.base + d.size) throw new Error(`I/O port handler '${d.name}' overlaps '${o.name}'`);
    }
    this.devices.push(d);
  }

  find(port: number): PioDevice | null {
    const ds = this.devices;
    for (let i = 0; i < ds.length; i++) if (port >= ds[i].base && port < ds[i].base + ds[i].size) return ds[i];
    return null;
  }
}

export function allOnes(size: number): number {
  return size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
}

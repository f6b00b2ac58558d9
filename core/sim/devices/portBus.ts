/** The x86 board's port-I/O bus as a PD's IOPort invocations reach it (installed as the kernel's `ioBus`). Devices
 * claim [base, base + size); a port nobody claims reads all ones for the access width and drops writes, as on a PC. */
import type { IoPortBus } from '../../kernel';
import type { PioDevice } from '../../vmm';

const allOnes = (size: number): bigint => (1n << BigInt(size * 8)) - 1n;

export class PortBus implements IoPortBus {
  readonly devices: PioDevice[] = [];

  attach(d: PioDevice): void {
    for (const o of this.devices) {
      if (d.base < o.base + o.size && o.base < d.base + d.size) throw new Error(`I/O port device '${d.name}' overlaps '${o.name}'`);
    }
    this.devices.push(d);
  }

  private find(port: number): PioDevice | null {
    for (const d of this.devices) if (port >= d.base && port < d.base + d.size) return d;
    return null;
  }

  in(port: number, size: number): bigint {
    const v = this.find(port)?.read(port, size) ?? null;
    return v === null ? allOnes(size) : BigInt(v >>> 0) & allOnes(size);
  }

  out(port: number, size: number, value: bigint): void {
    this.find(port)?.write(port, size, Number(value));
  }
}

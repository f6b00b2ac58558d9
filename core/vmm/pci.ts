/** PCI configuration mechanism #1 (0xCF8 address latch, 0xCFC..0xCFF data) on a single bus with libvmm's i440FX
 * chipset: 00:00.0 host bridge 8086:1237, 00:01.0 PIIX3 ISA bridge 8086:7000, 00:01.3 PIIX4 PM 8086:7113.
 * Disabled addresses, other buses and absent functions read all ones. */
import { PCI_CONFIG_ADDRESS } from './constants';
import { allOnes, type PioDevice } from './pio';

export class PciConfig implements PioDevice {
  readonly name = 'PCI configuration';
  readonly base = PCI_CONFIG_ADDRESS;
  readonly size = 8;
  private address = 0;
  /** (device << 3 | function) → 256-byte config space */
  readonly functions = new Map<number, Uint8Array>();

  constructor() {
    this.add(0, 0, 0x8086, 0x1237, 0x06, 0x00, 0x00);
    this.add(1, 0, 0x8086, 0x7000, 0x06, 0x01, 0x80); // multi-function
    this.add(1, 3, 0x8086, 0x7113, 0x06, 0x80, 0x00);
  }

  add(dev: number, fn: number, vendor: number, device: number, cls: number, subclass: number, headerType: number): void {
    const c = new Uint8Array(256);
    const dv = new DataView(c.buffer);
    dv.setUint16(0, vendor, true);
    dv.setUint16(2, device, true);
    c[0x0b] = cls;
    c[0x0a] = subclass;
    c[0x0e] = headerType;
    this.functions.set((dev << 3) | fn, c);
  }

  private space(): { c: Uint8Array; reg: number } | null {
    const a = this.address;
    if (!(a & 0x80000000)) return null;
    const bus = (a >>> 16) & 0x7f;
    const c = this.functions.get((a >>> 8) & 0xff);
    if (bus !== 0 || !c) return null;
    return { c, reg: a & 0xfc };
  }

  read(port: number, size: number): number {
    if (port < PCI_CONFIG_ADDRESS + 4) return port === PCI_CONFIG_ADDRESS && size === 4 ? this.address >>> 0 : allOnes(size);
    const s = this.space();
    if (!s) return allOnes(size);
    const at = s.reg + (port & 3);
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + (at + i < 256 ? s.c[at + i] : 0xff);
    return v;
  }

  write(port: number, size: number, value: number): boolean {
    if (port < PCI_CONFIG_ADDRESS + 4) {
      if (port === PCI_CONFIG_ADDRESS && size === 4) this.address = value >>> 0;
      return true;
    }
    const s = this.space();
    if (!s) return true;
    const at = s.reg + (port & 3);
    for (let i = 0; i < size; i++) {
      const r = at + i;
      if (r < 0x04 || r === 0x0e || (r >= 0x08 && r < 0x0c)) continue; // IDs, class, header type are read-only
      if (r < 256) s.c[r] = (value >>> (8 * i)) & 0xff;
    }
    return true;
  }
}

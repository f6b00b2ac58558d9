/** The CMOS/RTC (MC146818) at ports 0x70/0x71 as libvmm models it: index/data, time from the guest TSC latched when
 * seconds is read, the fixed date 29/7/26, BCD unless status B.DM; enabling the update-ended IRQ fails the exit. */
import { CMOS_PORT, TSC_HZ } from './constants';
import type { PioDevice } from './pio';

const STATUS_A = 0x26, STATUS_B_24H = 0x02, STATUS_B_DM = 0x04, STATUS_B_UIE = 0x10, STATUS_D_VRT = 0x80;

export class Cmos implements PioDevice {
  readonly name = 'CMOS';
  readonly base = CMOS_PORT;
  readonly size = 2;
  private index = 0;
  private statusB = STATUS_B_24H;
  private latched = 0;
  private readonly ram = new Uint8Array(128);

  constructor(private readonly tsc: () => number) {}

  private enc(v: number): number {
    return this.statusB & STATUS_B_DM ? v : ((v / 10) | 0) * 16 + (v % 10);
  }

  read(port: number): number {
    if (port === CMOS_PORT) return this.index;
    const i = this.index;
    if (i === 0) this.latched = Math.floor(this.tsc() / TSC_HZ);
    const t = this.latched;
    switch (i) {
      case 0: return this.enc(t % 60);
      case 2: return this.enc(Math.floor(t / 60) % 60);
      case 4: return this.enc(Math.floor(t / 3600) % 24);
      case 6: return this.enc(4); // day of week
      case 7: return this.enc(29);
      case 8: return this.enc(7);
      case 9: return this.enc(26);
      case 0x0a: return STATUS_A;
      case 0x0b: return this.statusB;
      case 0x0c: return 0;
      case 0x0d: return STATUS_D_VRT;
      default: return this.ram[i];
    }
  }

  write(port: number, _size: number, value: number): boolean {
    if (port === CMOS_PORT) {
      this.index = value & 0x7f; // bit 7 (NMI enable) is ignored
      return true;
    }
    if (this.index === 0x0b) {
      if (value & STATUS_B_UIE) return false; // update-ended IRQ is not implemented
      this.statusB = value & 0xff;
      return true;
    }
    this.ram[this.index] = value & 0xff;
    return true;
  }
}

/** A 16550 UART on COM1 (0x3F8..0x3FF) whose transmitter feeds the VM's console. Receive is empty, the transmitter
 * is always ready (LSR THRE|TEMT), no interrupts are raised. */
import { COM1_PORT } from './constants';
import type { PioDevice } from './pio';

const LSR_THRE = 0x20, LSR_TEMT = 0x40, LCR_DLAB = 0x80;

export class Serial16550 implements PioDevice {
  readonly name = 'serial (16550)';
  readonly size = 8;
  private ier = 0;
  private lcr = 0x03;
  private mcr = 0;
  private scr = 0;
  private dll = 1;
  private dlm = 0;

  constructor(private readonly put: (byte: number) => void, readonly base = COM1_PORT) {}

  read(port: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (port - this.base) {
      case 0: return dlab ? this.dll : 0; // RBR: nothing received
      case 1: return dlab ? this.dlm : this.ier;
      case 2: return 0x01; // IIR: no interrupt pending, FIFOs off
      case 3: return this.lcr;
      case 4: return this.mcr;
      case 5: return LSR_THRE | LSR_TEMT;
      case 6: return 0xb0; // MSR: DCD, DSR, CTS
      default: return this.scr;
    }
  }

  write(port: number, _size: number, value: number): boolean {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    const v = value & 0xff;
    switch (port - this.base) {
      case 0: if (dlab) this.dll = v; else this.put(v); break;
      case 1: if (dlab) this.dlm = v; else this.ier = v & 0x0f; break;
      case 2: break; // FCR
      case 3: this.lcr = v; break;
      case 4: this.mcr = v & 0x1f; break;
      case 7: this.scr = v; break;
    }
    return true;
  }
}

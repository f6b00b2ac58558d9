/** The I/O APIC libvmm emulates at 0xFEC00000 (82093AA, 24 pins; vmm-x86.md §1.7, §1.9): IOREGSEL/IOWIN, redirection
 * entries (initially masked), fixed and lowest-priority delivery to the one LAPIC, Remote-IRR for level pins,
 * re-injection on EOI and on unmask. */
import type { Lapic } from './lapic';

export const IOAPIC_PINS = 24;
const MASKED = 1 << 16, LEVEL = 1 << 15, REMOTE_IRR = 1 << 14;

export class Ioapic {
  private regsel = 0;
  id = 0;
  readonly lo = new Uint32Array(IOAPIC_PINS).fill(MASKED);
  readonly hi = new Uint32Array(IOAPIC_PINS);
  /** current line level per pin */
  readonly level = new Uint8Array(IOAPIC_PINS);
  /** called when the guest acknowledges a pin (EOI, or unmasking): passthrough IRQs ack the host IRQ here */
  readonly ackCallbacks = new Map<number, () => void>();
  error = '';

  constructor(private readonly lapic: Lapic) {
    lapic.onEoi = (v) => this.eoi(v);
  }

  /** Raise a pin (level stays high until lowered). False when the entry's delivery mode is unsupported. */
  assert(pin: number): boolean {
    this.level[pin] = 1;
    return this.deliver(pin);
  }

  deassert(pin: number): void {
    this.level[pin] = 0;
  }

  /** virq_inject: an edge (assert then deassert). */
  pulse(pin: number): boolean {
    const ok = this.assert(pin);
    this.deassert(pin);
    return ok;
  }

  private deliver(pin: number): boolean {
    const e = this.lo[pin];
    if (e & MASKED) return true;
    const mode = (e >> 8) & 7;
    if (mode > 1) {
      this.error = `IOAPIC: pin ${pin} uses delivery mode ${mode}; only fixed and lowest-priority are supported`;
      return false;
    }
    if (e & LEVEL) {
      if (e & REMOTE_IRR) return true;
      this.lo[pin] = e | REMOTE_IRR;
    }
    this.lapic.injectIrq(e & 0xff);
    return true;
  }

  private eoi(vector: number): void {
    for (let pin = 0; pin < IOAPIC_PINS; pin++) {
      const e = this.lo[pin];
      if ((e & 0xff) !== vector || e & MASKED) continue;
      if (e & LEVEL) {
        this.lo[pin] = e & ~REMOTE_IRR;
        if (this.level[pin]) this.deliver(pin);
      }
      this.ackCallbacks.get(pin)?.();
    }
  }

  read(offset: number, size: number): number | null {
    if (size !== 4) return this.fail(`IOAPIC: only 32-bit accesses are supported (${size} bytes at offset 0x${offset.toString(16)})`);
    if (offset === 0) return this.regsel;
    if (offset !== 0x10) return this.fail(`IOAPIC: unknown register offset 0x${offset.toString(16)}`);
    const r = this.regsel;
    if (r === 0) return this.id << 24;
    if (r === 1) return 0x11 | ((IOAPIC_PINS - 1) << 16);
    if (r === 2) return this.id << 24;
    if (r >= 0x10 && r < 0x10 + 2 * IOAPIC_PINS) {
      const pin = (r - 0x10) >> 1;
      return r & 1 ? this.hi[pin] : this.lo[pin];
    }
    return 0;
  }

  write(offset: number, size: number, value: number): boolean {
    if (size !== 4) return this.fail(`IOAPIC: only 32-bit accesses are supported (${size} bytes at offset 0x${offset.toString(16)})`) !== null;
    if (offset === 0) {
      this.regsel = value & 0xff;
      return true;
    }
    if (offset !== 0x10) return this.fail(`IOAPIC: unknown register offset 0x${offset.toString(16)}`) !== null;
    const r = this.regsel;
    if (r < 0x10 || r >= 0x10 + 2 * IOAPIC_PINS) return true; // ID writes are ignored, version/arbitration read-only
    const pin = (r - 0x10) >> 1;
    if (r & 1) {
      this.hi[pin] = value >>> 0;
      return true;
    }
    const old = this.lo[pin];
    // delivery status (12) and Remote-IRR (14) are read-only
    this.lo[pin] = ((value & ~((1 << 12) | REMOTE_IRR)) | (old & REMOTE_IRR)) >>> 0;
    if (old & MASKED && !(value & MASKED)) {
      this.ackCallbacks.get(pin)?.();
      if (this.level[pin]) return this.deliver(pin);
    }
    return true;
  }

  private fail(msg: string): null {
    this.error = msg;
    return null;
  }
}

/** A simulated one-shot timer device driven by simulated time, for timer-driver PDs.
 * Registers (32-bit, at the board's TIMER_BASE; map it with a memory_region at that phys_addr):
 *   0x00 NOW_LO   (read)  simulated time in µs, low 32 bits
 *   0x04 NOW_HI   (read)  high 32 bits
 *   0x08 TIMEOUT  (write) raise the IRQ after this many µs (0 cancels); (read) µs left
 *   0x0C STATUS   (read) 1 while an expiry is pending acknowledgement; (write) any value clears it */
import type { MmioDevice } from '../../microkit';

export const TIMER_REG = { NOW_LO: 0x0, NOW_HI: 0x4, TIMEOUT: 0x8, STATUS: 0xc } as const;

export interface TimerHost {
  /** simulated time now, ns */
  now(): number;
  /** the timer fired: raise its interrupt line */
  raise(): void;
}

export class TimerDevice implements MmioDevice {
  readonly size = 0x1000n;
  /** ns at which the timer fires, or null */
  deadline: number | null = null;
  status = 0;

  constructor(readonly base: bigint, private readonly host: TimerHost) {}

  read(offset: number): bigint {
    const us = BigInt(Math.floor(this.host.now() / 1000));
    switch (offset) {
      case TIMER_REG.NOW_LO: return us & 0xffff_ffffn;
      case TIMER_REG.NOW_HI: return us >> 32n;
      case TIMER_REG.TIMEOUT: return this.deadline === null ? 0n : BigInt(Math.max(0, Math.ceil((this.deadline - this.host.now()) / 1000)));
      case TIMER_REG.STATUS: return BigInt(this.status);
      default: return 0n;
    }
  }

  write(offset: number, _size: number, value: bigint): void {
    if (offset === TIMER_REG.TIMEOUT) this.deadline = value === 0n ? null : this.host.now() + Number(value) * 1000;
    else if (offset === TIMER_REG.STATUS) this.status = 0;
  }

  /** Called by the engine when simulated time reaches the deadline. */
  fire(): void {
    this.deadline = null;
    this.status = 1;
    this.host.raise();
  }
}

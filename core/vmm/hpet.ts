/** The HPET libvmm emulates at 0xFED00000 (vmm-x86.md §1.7): a 10 MHz, 32-bit main counter derived from the TSC,
 * 3 comparators (only timer 0 periodic), legacy replacement (timer 0 → IOAPIC pin 2, timer 1 → pin 8), otherwise the
 * route field. 32- and 64-bit accesses. Comparator deadlines use virtual timeouts. */
import { TSC_HZ } from './constants';
import type { Ioapic } from './ioapic';
import type { GuestTimers } from './timers';

const HPET_HZ = 10_000_000;
const TICK = TSC_HZ / HPET_HZ; // TSC ticks per HPET tick
const TIMERS = 3;
const CAP_LO = (1 | ((TIMERS - 1) << 8) | (1 << 15) | (0x8086 << 16)) >>> 0; // rev 1, 3 timers, legacy capable, vendor
const PERIOD_FS = 1e15 / HPET_HZ;
const CFG_ENABLE = 1, CFG_LEGACY = 2;
const T_LEVEL = 1 << 1, T_ENABLE = 1 << 2, T_PERIODIC = 1 << 3, T_PERIODIC_CAP = 1 << 4, T_VAL_SET = 1 << 6;
const ROUTE_CAP = (1 << 13) | (1 << 14) | (1 << 15);
const TWO32 = 0x1_0000_0000;

export class Hpet {
  config = 0;
  isr = 0;
  private counterBase = 0;
  private enabledAt = 0;
  readonly tconf = new Uint32Array(TIMERS);
  readonly comparator = new Float64Array(TIMERS);
  private readonly period = new Float64Array(TIMERS);
  private readonly ids: number[] = [];
  error = '';

  constructor(private readonly ioapic: Ioapic, private readonly timers: GuestTimers, private readonly tsc: () => number) {
    for (let n = 0; n < TIMERS; n++) {
      this.tconf[n] = n === 0 ? T_PERIODIC_CAP : 0;
      this.comparator[n] = 0xffffffff;
      this.ids.push(timers.add((now) => this.fire(n, now)));
    }
  }

  counter(now = this.tsc()): number {
    if (!(this.config & CFG_ENABLE)) return this.counterBase;
    return (this.counterBase + Math.floor((now - this.enabledAt) / TICK)) % TWO32;
  }

  private pin(n: number): number {
    if (this.config & CFG_LEGACY && n < 2) return n === 0 ? 2 : 8;
    return (this.tconf[n] >> 9) & 0x1f;
  }

  private arm(n: number): void {
    if (!(this.config & CFG_ENABLE) || !(this.tconf[n] & T_ENABLE)) {
      this.timers.cancel(this.ids[n]);
      return;
    }
    const now = this.tsc();
    const ticks = (this.comparator[n] - this.counter(now) + TWO32) % TWO32;
    this.timers.set(this.ids[n], now + ticks * TICK);
  }

  private fire(n: number, now: number): void {
    const c = this.tconf[n];
    if (c & T_PERIODIC && this.period[n] > 0) {
      this.comparator[n] = (this.comparator[n] + this.period[n]) % TWO32;
      this.arm(n);
    }
    void now;
    const pin = this.pin(n);
    if (c & T_LEVEL) {
      this.isr |= 1 << n;
      this.ioapic.assert(pin);
    } else this.ioapic.pulse(pin);
  }

  read(offset: number, size: number): number | null {
    if (size === 8) {
      const lo = this.read(offset, 4), hi = this.read(offset + 4, 4);
      return lo === null || hi === null ? null : hi * TWO32 + lo;
    }
    if (size !== 4) return this.fail(`HPET: ${size}-byte accesses are not supported`);
    switch (offset) {
      case 0x0: return CAP_LO;
      case 0x4: return PERIOD_FS;
      case 0x10: return this.config;
      case 0x14: return 0;
      case 0x20: return this.isr;
      case 0x24: return 0;
      case 0xf0: return this.counter();
      case 0xf4: return 0;
    }
    if (offset >= 0x100 && offset < 0x100 + 0x20 * TIMERS) {
      const n = (offset - 0x100) >> 5;
      switch (offset & 0x1f) {
        case 0x0: return this.tconf[n];
        case 0x4: return ROUTE_CAP;
        case 0x8: return this.comparator[n];
        case 0xc: return 0;
      }
    }
    return this.fail(`HPET: unknown register offset 0x${offset.toString(16)}`);
  }

  write(offset: number, size: number, value: number): boolean {
    if (size === 8) return this.write(offset, 4, value % TWO32) && this.write(offset + 4, 4, Math.floor(value / TWO32));
    if (size !== 4) return this.fail(`HPET: ${size}-byte accesses are not supported`) !== null;
    const v = value >>> 0;
    switch (offset) {
      case 0x0: case 0x4: case 0x14: case 0x24: case 0xf4: return true;
      case 0x10: {
        const now = this.tsc();
        const was = this.config & CFG_ENABLE;
        if (was && !(v & CFG_ENABLE)) this.counterBase = this.counter(now);
        if (!was && v & CFG_ENABLE) this.enabledAt = now;
        this.config = v & 3;
        for (let n = 0; n < TIMERS; n++) this.arm(n);
        return true;
      }
      case 0x20:
        for (let n = 0; n < TIMERS; n++) if (v & this.isr & (1 << n)) this.ioapic.deassert(this.pin(n));
        this.isr &= ~v;
        return true;
      case 0xf0:
        if (this.config & CFG_ENABLE) return true; // writes while running are ignored
        this.counterBase = v;
        return true;
    }
    if (offset >= 0x100 && offset < 0x100 + 0x20 * TIMERS) {
      const n = (offset - 0x100) >> 5;
      switch (offset & 0x1f) {
        case 0x0:
          if (v & T_PERIODIC && n !== 0) return this.fail(`HPET: timer ${n} cannot be periodic`) !== null;
          this.tconf[n] = (v & (T_LEVEL | T_ENABLE | T_PERIODIC | T_VAL_SET | (0x1f << 9))) | (n === 0 ? T_PERIODIC_CAP : 0);
          this.arm(n);
          return true;
        case 0x8:
          // periodic: with VAL_SET the write sets the comparator (and clears VAL_SET), otherwise the period
          if (this.tconf[n] & T_PERIODIC && !(this.tconf[n] & T_VAL_SET)) this.period[n] = v;
          else {
            this.comparator[n] = v;
            this.tconf[n] &= ~T_VAL_SET;
            if (this.tconf[n] & T_PERIODIC && this.period[n] === 0) this.period[n] = v;
          }
          this.arm(n);
          return true;
        case 0x4: case 0xc: return true;
      }
    }
    return this.fail(`HPET: unknown register offset 0x${offset.toString(16)}`) !== null;
  }

  private fail(msg: string): null {
    this.error = msg;
    return null;
  }
}

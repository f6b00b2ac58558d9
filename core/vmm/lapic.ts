/** The software xAPIC libvmm emulates at 0xFEE00000 (vmm-x86.md §1.7, §1.9): register file, IRR/ISR with PPR,
 * EOI, self-IPIs, and the one-shot/periodic timer on a virtual timeout. Only aligned 32-bit accesses are accepted.
 * The timer counts at the TSC rate divided by the divide configuration. */
import type { GuestTimers } from './timers';

export const LAPIC_REG = {
  ID: 0x20, VERSION: 0x30, TPR: 0x80, APR: 0x90, PPR: 0xa0, EOI: 0xb0, LDR: 0xd0, DFR: 0xe0, SVR: 0xf0,
  ISR: 0x100, TMR: 0x180, IRR: 0x200, ESR: 0x280, LVT_CMCI: 0x2f0, ICR_LO: 0x300, ICR_HI: 0x310, LVT_TIMER: 0x320,
  LVT_THERMAL: 0x330, LVT_PERF: 0x340, LVT_LINT0: 0x350, LVT_LINT1: 0x360, LVT_ERROR: 0x370, TIMER_INIT: 0x380,
  TIMER_CURRENT: 0x390, TIMER_DIVIDE: 0x3e0,
} as const;

const LVT_MASKED = 0x10000;
const SVR_ENABLE = 0x100;
const DIVIDES = [2, 4, 8, 16, 1, 1, 1, 1]; // index: bits 3,1,0 of the divide register; 0b1011 → 1
const TIMER_MODE_PERIODIC = 1, TIMER_MODE_TSC_DEADLINE = 2;

/** How the LAPIC reaches the VCPU (interrupt-window exiting and the entry interruption info). */
export interface InjectionPort {
  /** the guest can take an external interrupt now (RFLAGS.IF and no STI/MOV SS blocking) */
  interruptible(): boolean;
  /** an injection is already pending (entry interruption info valid) */
  injectionPending(): boolean;
  /** arm the injection of external interrupt `vector` and restore the default controls */
  inject(vector: number): void;
  /** turn interrupt-window exiting on or off */
  setWindow(on: boolean): void;
}

export class Lapic {
  readonly irr = new Uint32Array(8);
  readonly isr = new Uint32Array(8);
  readonly tmr = new Uint32Array(8);
  tpr = 0;
  ldr = 0;
  dfr = 0xffffffff;
  svr = 0xff;
  esr = 0;
  icrHi = 0;
  icrLo = 0;
  readonly lvt = new Map<number, number>([
    [LAPIC_REG.LVT_CMCI, LVT_MASKED], [LAPIC_REG.LVT_TIMER, LVT_MASKED], [LAPIC_REG.LVT_THERMAL, LVT_MASKED],
    [LAPIC_REG.LVT_PERF, LVT_MASKED], [LAPIC_REG.LVT_LINT0, LVT_MASKED], [LAPIC_REG.LVT_LINT1, LVT_MASKED], [LAPIC_REG.LVT_ERROR, LVT_MASKED],
  ]);
  initCount = 0;
  divideConf = 0;
  private timerStart = 0;
  private readonly timerId: number;
  /** EOI hook: the IOAPIC clears Remote-IRR and re-injects level pins */
  onEoi: (vector: number) => void = () => {};
  /** the last failure reason, for the VMM's error message */
  error = '';
  /** interrupts injected into the guest, by vector */
  readonly delivered = new Uint32Array(256);

  constructor(private readonly port: InjectionPort, private readonly timers: GuestTimers, private readonly tsc: () => number) {
    this.timerId = timers.add((now) => this.timerFired(now));
  }

  private divide(): number {
    const d = this.divideConf;
    return DIVIDES[((d >> 1) & 4) | (d & 3)] ?? 1;
  }

  private static has(v: Uint32Array, vec: number): boolean {
    return (v[vec >> 5] & (1 << (vec & 31))) !== 0;
  }

  private static highest(v: Uint32Array): number {
    for (let i = 7; i >= 0; i--) if (v[i]) return i * 32 + 31 - Math.clz32(v[i]);
    return -1;
  }

  ppr(): number {
    const isrv = Math.max(0, Lapic.highest(this.isr));
    return (this.tpr & 0xf0) >= (isrv & 0xf0) ? this.tpr & 0xff : isrv & 0xf0;
  }

  /** inject_lapic_irq: false when the vector is refused (< 16, or the APIC is software-disabled). */
  injectIrq(vector: number): boolean {
    if (vector < 16 || !(this.svr & SVR_ENABLE)) return false;
    this.irr[vector >> 5] |= 1 << (vector & 31);
    if (this.port.interruptible()) this.maintenance();
    else this.port.setWindow(true);
    return true;
  }

  /** lapic_maintenance: move the best eligible IRR vector to ISR and arm its injection. */
  maintenance(): void {
    const v = Lapic.highest(this.irr);
    if (v < 0 || (v & 0xf0) <= (this.ppr() & 0xf0) || Lapic.has(this.isr, v)) {
      this.port.setWindow(false);
      return;
    }
    if (this.port.injectionPending()) return;
    if (!this.port.interruptible()) {
      this.port.setWindow(true);
      return;
    }
    this.irr[v >> 5] &= ~(1 << (v & 31));
    this.isr[v >> 5] |= 1 << (v & 31);
    this.delivered[v]++;
    this.port.inject(v);
  }

  private eoi(): void {
    const v = Lapic.highest(this.isr);
    if (v < 0) return;
    this.isr[v >> 5] &= ~(1 << (v & 31));
    this.onEoi(v);
    this.maintenance();
  }

  // ---- timer ----
  private timerMode(): number {
    return (this.lvt.get(LAPIC_REG.LVT_TIMER)! >> 17) & 3;
  }

  private armTimer(now: number): void {
    if (this.initCount === 0) {
      this.timers.cancel(this.timerId);
      return;
    }
    this.timerStart = now;
    this.timers.set(this.timerId, now + this.initCount * this.divide());
  }

  private timerFired(now: number): void {
    const lvt = this.lvt.get(LAPIC_REG.LVT_TIMER)!;
    if (this.timerMode() === TIMER_MODE_PERIODIC && this.initCount > 0) {
      const period = this.initCount * this.divide();
      this.timerStart += period;
      const next = this.timerStart + period;
      this.timers.set(this.timerId, next > now ? next : now + period);
    } else this.timerStart = -1;
    if (!(lvt & LVT_MASKED)) this.injectIrq(lvt & 0xff);
  }

  private currentCount(now: number): number {
    if (this.initCount === 0 || this.timerStart < 0) return 0;
    const elapsed = Math.floor((now - this.timerStart) / this.divide());
    if (this.timerMode() === TIMER_MODE_PERIODIC) return this.initCount - (elapsed % this.initCount);
    return Math.max(0, this.initCount - elapsed);
  }

  // ---- MMIO ----
  /** Read a register; null fails the exit (unknown offset or a bad access). */
  read(offset: number, size: number): number | null {
    if (size !== 4 || offset & 3) return this.fail(`LAPIC: only aligned 32-bit accesses are supported (offset 0x${offset.toString(16)}, ${size} bytes)`);
    const R = LAPIC_REG;
    if (offset >= R.ISR && offset < R.ISR + 0x80) return this.isr[(offset - R.ISR) >> 4];
    if (offset >= R.TMR && offset < R.TMR + 0x80) return this.tmr[(offset - R.TMR) >> 4];
    if (offset >= R.IRR && offset < R.IRR + 0x80) return this.irr[(offset - R.IRR) >> 4];
    if (this.lvt.has(offset)) return this.lvt.get(offset)!;
    switch (offset) {
      case R.ID: return 0;
      case R.VERSION: return 0x00060010;
      case R.TPR: return this.tpr;
      case R.APR: return 0;
      case R.PPR: return this.ppr();
      case R.EOI: return 0;
      case R.LDR: return this.ldr;
      case R.DFR: return this.dfr;
      case R.SVR: return this.svr;
      case R.ESR: return this.esr;
      case R.ICR_LO: return this.icrLo;
      case R.ICR_HI: return this.icrHi;
      case R.TIMER_INIT: return this.initCount;
      case R.TIMER_CURRENT: return this.currentCount(this.tsc());
      case R.TIMER_DIVIDE: return this.divideConf;
    }
    return this.fail(`LAPIC: unknown register offset 0x${offset.toString(16)}`);
  }

  write(offset: number, size: number, value: number): boolean {
    if (size !== 4 || offset & 3) return this.fail(`LAPIC: only aligned 32-bit accesses are supported (offset 0x${offset.toString(16)}, ${size} bytes)`) !== null;
    const R = LAPIC_REG;
    const v = value >>> 0;
    if (this.lvt.has(offset)) {
      if (offset === R.LVT_TIMER && ((v >> 17) & 3) === TIMER_MODE_TSC_DEADLINE) return this.fail('LAPIC: TSC-deadline timer mode is not supported') !== null;
      this.lvt.set(offset, this.svr & SVR_ENABLE ? v : v | LVT_MASKED);
      return true;
    }
    switch (offset) {
      case R.ID: case R.VERSION: case R.PPR: case R.APR: return true;
      case R.TPR: this.setTpr(v & 0xff); return true;
      case R.EOI: this.eoi(); return true;
      case R.LDR: this.ldr = v & 0xff000000; return true;
      case R.DFR: this.dfr = v | 0x0fffffff; return true;
      case R.SVR:
        this.svr = v & 0x1ff;
        if (!(v & SVR_ENABLE)) for (const k of this.lvt.keys()) this.lvt.set(k, this.lvt.get(k)! | LVT_MASKED);
        return true;
      case R.ESR: this.esr = 0; return true;
      case R.ICR_HI: this.icrHi = v; return true;
      case R.ICR_LO: return this.icr(v);
      case R.TIMER_INIT: this.initCount = v; this.armTimer(this.tsc()); return true;
      case R.TIMER_CURRENT: return true;
      case R.TIMER_DIVIDE: this.divideConf = v & 0xb; return true;
    }
    if ((offset >= R.ISR && offset < R.IRR + 0x80)) return true; // read-only
    return this.fail(`LAPIC: unknown register offset 0x${offset.toString(16)}`) !== null;
  }

  setTpr(v: number): void {
    this.tpr = v & 0xff;
    this.maintenance();
  }

  /** ICR low write: only self-targeted fixed IPIs are delivered (libvmm's subset). */
  private icr(v: number): boolean {
    this.icrLo = v & ~0x1000; // delivery status: idle
    const mode = (v >> 8) & 7;
    const shorthand = (v >> 18) & 3;
    const logical = (v & 0x800) !== 0;
    const dest = this.icrHi >>> 24;
    const self = shorthand === 1 || shorthand === 2 || (shorthand === 0 && (logical ? (dest & 1) !== 0 : dest === 0));
    if (!self) return true; // other CPUs do not exist: dropped
    if (mode === 0) this.injectIrq(v & 0xff);
    else if (mode === 6) return this.fail('LAPIC: unknown IPI delivery mode 6 (SIPI)') !== null;
    return true; // NMI, INIT: not implemented, dropped
  }

  private fail(msg: string): null {
    this.error = msg;
    return null;
  }
}

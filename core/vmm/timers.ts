/** Virtual timeouts sharing the VMX-preemption timer (libvmm's guest_time, vmm-x86.md §1.10): at most 4 (the LAPIC
 * timer and 3 HPET comparators). The soonest deadline is programmed as (TSC delta >> rate), capped at 2^32 - 1;
 * callbacks run only at VM exits (exit 52). Deadlines are in guest TSC ticks. */
export const MAX_TIMEOUTS = 4;

export class GuestTimers {
  readonly deadline = new Float64Array(MAX_TIMEOUTS).fill(-1);
  private readonly callbacks: ((now: number) => void)[] = [];
  /** a deadline changed since the preemption timer was last programmed */
  dirty = false;

  /** Register a timeout slot; returns its id. */
  add(callback: (now: number) => void): number {
    if (this.callbacks.length >= MAX_TIMEOUTS) throw new Error(`no free virtual timeout (at most ${MAX_TIMEOUTS})`);
    this.callbacks.push(callback);
    return this.callbacks.length - 1;
  }

  set(id: number, at: number): void {
    this.deadline[id] = at;
    this.dirty = true;
  }

  cancel(id: number): void {
    if (this.deadline[id] >= 0) this.dirty = true;
    this.deadline[id] = -1;
  }

  soonest(): number {
    let best = -1;
    for (let i = 0; i < this.callbacks.length; i++) {
      const d = this.deadline[i];
      if (d >= 0 && (best < 0 || d < best)) best = d;
    }
    return best;
  }

  /** Run every expired timeout (a callback may re-arm its own slot). */
  expire(now: number): void {
    for (let i = 0; i < this.callbacks.length; i++) {
      const d = this.deadline[i];
      if (d >= 0 && d <= now) {
        this.deadline[i] = -1;
        this.dirty = true;
        this.callbacks[i](now);
      }
    }
  }
}

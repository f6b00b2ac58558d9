/** Every VM exit of a run in compact columns (typed arrays that double when full): a million exits cost tens of
 * megabytes, not a million objects. Rows are built only for the page the UI asks for. */

const INITIAL = 1024;
/** resolution of the rate histogram kept while exits come in */
const HIST = 512;

function grow<T extends Float64Array | Int32Array | Uint32Array | Uint16Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let n = a.length;
  while (n < need) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

export class ExitLog {
  length = 0;
  seq = new Float64Array(INITIAL);
  time = new Float64Array(INITIAL);
  step = new Int32Array(INITIAL);
  core = new Uint16Array(INITIAL);
  vm = new Uint16Array(INITIAL);
  reason = new Uint16Array(INITIAL);
  qualification = new Float64Array(INITIAL);
  gpa = new Float64Array(INITIAL);
  rip = new Float64Array(INITIAL);
  ilen = new Uint16Array(INITIAL);
  /** the guest's EAX, ECX and EDX at the exit (CPUID leaf and subleaf; the MSR number and a WRMSR's value) */
  eax = new Uint32Array(INITIAL);
  ecx = new Uint32Array(INITIAL);
  edx = new Uint32Array(INITIAL);
  /** simulated ns until the VCPU was entered again, -1 while the VMM handles it */
  handledNs = new Float64Array(INITIAL);
  /** RIP the VCPU resumed at, -1 while handling */
  resumedAt = new Float64Array(INITIAL);
  /** exit indices by basic reason, for the filter */
  private byReason = new Map<number, { n: number; idx: Int32Array }>();
  private readonly counts = new Map<number, number>();
  /** exits per time bucket, kept as they come: buckets double in width (pairs merge) when time outgrows them */
  private hist = new Float64Array(HIST);
  private histNs = 1000;

  clear(): void {
    this.length = 0;
    this.byReason.clear();
    this.counts.clear();
    this.hist.fill(0);
    this.histNs = 1000;
  }

  push(e: { seq: number; time: number; step: number; core: number; vm: number; reason: number; qualification: number; gpa: number; rip: number; ilen: number; eax?: number; ecx?: number; edx?: number }): number {
    const i = this.length;
    const need = i + 1;
    if (need > this.seq.length) {
      this.seq = grow(this.seq, need);
      this.time = grow(this.time, need);
      this.step = grow(this.step, need);
      this.core = grow(this.core, need);
      this.vm = grow(this.vm, need);
      this.reason = grow(this.reason, need);
      this.qualification = grow(this.qualification, need);
      this.gpa = grow(this.gpa, need);
      this.rip = grow(this.rip, need);
      this.ilen = grow(this.ilen, need);
      this.eax = grow(this.eax, need);
      this.ecx = grow(this.ecx, need);
      this.edx = grow(this.edx, need);
      this.handledNs = grow(this.handledNs, need);
      this.resumedAt = grow(this.resumedAt, need);
    }
    this.seq[i] = e.seq;
    this.time[i] = e.time;
    this.step[i] = e.step;
    this.core[i] = e.core;
    this.vm[i] = e.vm;
    this.reason[i] = e.reason;
    this.qualification[i] = e.qualification;
    this.gpa[i] = e.gpa;
    this.rip[i] = e.rip;
    this.ilen[i] = e.ilen;
    this.eax[i] = e.eax ?? 0;
    this.ecx[i] = e.ecx ?? 0;
    this.edx[i] = e.edx ?? 0;
    this.handledNs[i] = -1;
    this.resumedAt[i] = -1;
    let r = this.byReason.get(e.reason);
    if (!r) this.byReason.set(e.reason, (r = { n: 0, idx: new Int32Array(64) }));
    r.idx = grow(r.idx, r.n + 1);
    r.idx[r.n++] = i;
    this.counts.set(e.reason, (this.counts.get(e.reason) ?? 0) + 1);
    this.countTime(e.time);
    this.length = need;
    return i;
  }

  /** The VCPU was entered again: close its latest open exit. */
  resumed(exit: number, time: number, rip: number): void {
    if (exit < 0 || exit >= this.length || this.handledNs[exit] >= 0) return;
    this.handledNs[exit] = time - this.time[exit];
    this.resumedAt[exit] = rip;
  }

  countsByReason(): Map<number, number> {
    return new Map(this.counts);
  }

  /** How many exits match the filter, and the exit index of the n-th match. */
  filtered(reason?: number): { total: number; at: (n: number) => number } {
    if (reason === undefined) return { total: this.length, at: (n) => n };
    const r = this.byReason.get(reason);
    return { total: r?.n ?? 0, at: (n) => r!.idx[n] };
  }

  private countTime(t: number): void {
    let b = Math.floor(t / this.histNs);
    while (b >= HIST) {
      const h = this.hist;
      for (let i = 0; i < HIST / 2; i++) h[i] = h[2 * i] + h[2 * i + 1];
      h.fill(0, HIST / 2);
      this.histNs *= 2;
      b = Math.floor(t / this.histNs);
    }
    this.hist[b]++;
  }

  /** Exits per time bucket over [0, end], at most `buckets` buckets (whole multiples of the kept resolution). */
  rate(end: number, buckets: number): { bucketNs: number; counts: number[] } {
    const used = Math.max(1, Math.ceil(Math.max(end, 1) / this.histNs));
    const per = Math.max(1, Math.ceil(used / buckets));
    const counts = new Array<number>(Math.ceil(used / per)).fill(0);
    for (let i = 0; i < Math.min(used, HIST); i++) counts[Math.floor(i / per)] += this.hist[i];
    return { bucketNs: this.histNs * per, counts };
  }

  /** The last exit at or before a step count (the exit the views show at that position), -1 if none. */
  lastAtOrBefore(step: number): number {
    let lo = 0, hi = this.length - 1, ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.step[mid] <= step) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }
}

/** Finds, for each new half-open range, the earliest-added earlier range it overlaps —
 * the answer the tool's linear scan gives — in O(log n) per query for disjoint sets. */
export class RangeSet<T> {
  /** disjoint ranges sorted by start */
  private items: { start: bigint; end: bigint; order: number; value: T }[] = [];
  private count = 0;

  /** earliest-added range overlapping [start, end), if any */
  firstOverlap(start: bigint, end: bigint): { start: bigint; end: bigint; value: T } | undefined {
    const a = this.items;
    // first range whose end is after start
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid].end > start) hi = mid;
      else lo = mid + 1;
    }
    let best: (typeof a)[number] | undefined;
    // the tool's test: !(start >= other.end || end <= other.start)
    for (let i = lo; i < a.length && a[i].start < end; i++) {
      if (!best || a[i].order < best.order) best = a[i];
    }
    return best;
  }

  /** adds a range (callers add only ranges that overlap nothing) */
  add(start: bigint, end: bigint, value: T): void {
    const a = this.items;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid].start < start || (a[mid].start === start && a[mid].end <= end)) lo = mid + 1;
      else hi = mid;
    }
    a.splice(lo, 0, { start, end, order: this.count++, value });
  }
}

/** View models of the VM-exit log: which rows a scrolled window shows (the log is paged from the core on demand),
 * how one exit reads, and the counts and rate for the chart. Pure, so the tests check them without a browser. */
import type { ExitRow } from '../../core/protocol';
import { formatTime, hex } from '../run';

export const ROW_HEIGHT = 22;
export const PAGE = 64;

/** Browsers stop laying out an element somewhere past 17 million pixels (Firefox; Chromium at 33 million): about
 * 770,000 rows. A longer log keeps its spacer this tall and maps scroll positions to rows proportionally. */
export const MAX_SCROLL_PX = 16_000_000;

export interface LogScroll {
  /** height of the scrolled content */
  height: number;
  /** the (fractional) row at the top of the window for a scroll position */
  firstRow(scrollTop: number): number;
  /** where row n sits in the content, for a scroll position */
  rowTop(n: number, scrollTop: number): number;
  /** the scroll position that puts row n at the top of the window */
  scrollTopFor(n: number): number;
}

export function logScroll(total: number, viewport: number): LogScroll {
  const natural = total * ROW_HEIGHT;
  if (natural <= MAX_SCROLL_PX) {
    return { height: natural, firstRow: (t) => t / ROW_HEIGHT, rowTop: (n) => n * ROW_HEIGHT, scrollTopFor: (n) => n * ROW_HEIGHT };
  }
  const maxScroll = MAX_SCROLL_PX - viewport;
  const maxFirst = total - viewport / ROW_HEIGHT;
  const firstRow = (t: number) => (Math.min(Math.max(t, 0), maxScroll) / maxScroll) * maxFirst;
  return {
    height: MAX_SCROLL_PX,
    firstRow,
    rowTop: (n, t) => t + (n - firstRow(t)) * ROW_HEIGHT,
    scrollTopFor: (n) => (Math.min(Math.max(n, 0), maxFirst) / maxFirst) * maxScroll,
  };
}

/** Rows to show for a scroll position: [first, last) with a margin, clamped to the log. */
export function visibleRange(scrollTop: number, height: number, total: number, overscan = 10): { first: number; last: number } {
  const top = logScroll(total, height).firstRow(scrollTop);
  const first = Math.max(0, Math.floor(top) - overscan);
  const last = Math.min(total, Math.ceil(top + height / ROW_HEIGHT) + overscan);
  return { first, last: Math.max(first, last) };
}

/** Pages (of PAGE rows) that cover [first, last). */
export function pagesFor(first: number, last: number): number[] {
  const out: number[] = [];
  for (let p = Math.floor(first / PAGE); p * PAGE < last; p++) out.push(p);
  return out;
}

export interface ExitCells {
  time: string;
  vcpu: string;
  reason: string;
  detail: string;
  gpa: string;
  rip: string;
  instruction: string;
  handled: string;
}

export function exitCells(r: ExitRow): ExitCells {
  return {
    time: formatTime(r.time),
    vcpu: `${r.vm} (core ${r.core})`,
    reason: r.reasonName,
    detail: r.decoded,
    gpa: r.reason === 48 || r.reason === 49 ? hex(r.gpa) : '',
    rip: hex(r.rip),
    instruction: r.instruction,
    handled: r.handledNs < 0 ? r.handled : `${r.handled} after ${formatTime(r.handledNs)}`,
  };
}

/** Counts by reason, most frequent first, with their share of all exits. */
export function countRows(counts: Record<string, number>): { name: string; count: number; share: number }[] {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.entries(counts)
    .map(([name, count]) => ({ name, count, share: total ? count / total : 0 }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** The rate chart's points: exits per simulated millisecond at the middle of each bucket. */
export function ratePoints(rate: { bucketNs: number; counts: number[] }): { t: number; perMs: number }[] {
  return rate.counts.map((c, i) => ({ t: (i + 0.5) * rate.bucketNs, perMs: (c * 1_000_000) / rate.bucketNs }));
}

/** View models of the VM-exit log: which rows a scrolled window shows (the log is paged from the core on demand),
 * how one exit reads, and the counts and rate for the chart. Pure, so the tests check them without a browser. */
import type { ExitRow } from '../../core/protocol';
import { formatTime, hex } from '../run';

export const ROW_HEIGHT = 22;
export const PAGE = 64;

/** Rows to show for a scroll position: [first, last) with a margin, clamped to the log. */
export function visibleRange(scrollTop: number, height: number, total: number, overscan = 10): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + height) / ROW_HEIGHT) + overscan);
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

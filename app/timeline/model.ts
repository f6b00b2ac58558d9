/** View model of the timeline: what ran on each core over simulated time, the switches between threads (a switch
 * to a higher-priority thread is a preemption), and which segments and marks fall in the zoomed window. */
import type { TimelineView } from '../../core/protocol';

type Segment = TimelineView['segments'][number];
type Mark = TimelineView['marks'][number];

export interface Switch {
  core: number;
  time: number;
  from: string;
  to: string;
  preemption: boolean;
}

/** Thread switches per core; `priority` maps PD names to priorities (VM guests run at their VMM's). A switch to a
 * higher priority is a preemption unless the thread before made a protected procedure call while it ran (a ppc
 * mark on that core inside its segment): a caller blocks on its call, it is not preempted. */
export function switches(segments: Segment[], priority: Record<string, number>, marks: Mark[] = []): Switch[] {
  const last = new Map<number, Segment>();
  const calls = callTimes(marks);
  const out: Switch[] = [];
  for (const s of segments) {
    if (s.mode === 'kernel') continue;
    const prev = last.get(s.core);
    if (prev && prev.who !== s.who && prev.mode !== 'guest' && s.mode !== 'guest') {
      const a = priority[prev.who], b = priority[s.who];
      const called = anyIn(calls.get(s.core), prev.start, s.start);
      out.push({ core: s.core, time: s.start, from: prev.who, to: s.who, preemption: !called && a !== undefined && b !== undefined && b > a });
    }
    last.set(s.core, s);
  }
  return out;
}

/** ppc marks' times by core, sorted */
function callTimes(marks: Mark[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const m of marks) if (m.kind === 'ppc') (out.get(m.core) ?? out.set(m.core, []).get(m.core)!).push(m.time);
  for (const times of out.values()) times.sort((x, y) => x - y);
  return out;
}

/** is there a time in [t0, t1] in the sorted list? (binary search) */
function anyIn(times: number[] | undefined, t0: number, t1: number): boolean {
  if (!times) return false;
  let lo = 0, hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t0) lo = mid + 1;
    else hi = mid;
  }
  return lo < times.length && times[lo] <= t1;
}

/** Segments overlapping [t0, t1], with those narrower than `minNs` merged into their neighbour of the same who. */
export function visibleSegments(segments: Segment[], t0: number, t1: number, minNs = 0): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    if (s.end < t0 || s.start > t1) continue;
    const prev = out[out.length - 1];
    if (prev && prev.core === s.core && prev.who === s.who && prev.mode === s.mode && s.start - prev.end <= minNs) {
      prev.end = Math.max(prev.end, s.end);
      continue;
    }
    out.push({ ...s });
  }
  return out;
}

export function visibleMarks(marks: Mark[], t0: number, t1: number, limit = 3000): Mark[] {
  const inside = marks.filter((m) => m.time >= t0 && m.time <= t1);
  if (inside.length <= limit) return inside;
  const stride = Math.ceil(inside.length / limit);
  return inside.filter((_, i) => i % stride === 0);
}

/** Lanes: who ran on the core, one row per core. */
export function laneLabel(core: number): string {
  return `core ${core}`;
}

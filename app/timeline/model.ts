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

/** Thread switches per core; `priority` maps PD names to priorities (VM guests run at their VMM's). */
export function switches(segments: Segment[], priority: Record<string, number>): Switch[] {
  const last = new Map<number, Segment>();
  const out: Switch[] = [];
  for (const s of segments) {
    if (s.mode === 'kernel') continue;
    const prev = last.get(s.core);
    if (prev && prev.who !== s.who && prev.mode !== 'guest' && s.mode !== 'guest') {
      const a = priority[prev.who], b = priority[s.who];
      out.push({ core: s.core, time: s.start, from: prev.who, to: s.who, preemption: a !== undefined && b !== undefined && b > a });
    }
    last.set(s.core, s);
  }
  return out;
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

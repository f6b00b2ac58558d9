import { describe, expect, it } from 'vitest';
import type { TimelineView } from '../../core/protocol';
import { switches, visibleMarks, visibleSegments } from './model';

const seg = (who: string, start: number, end: number, mode: 'pd' | 'guest' | 'kernel' = 'pd', core = 0) => ({ core, start, end, who, mode });

describe('timeline view model', () => {
  it('finds thread switches and calls a switch to a higher priority a preemption', () => {
    const s: TimelineView['segments'] = [seg('ping', 0, 10), seg('pong', 10, 20), seg('ping', 20, 30), seg('kernel', 30, 31, 'kernel'), seg('ping', 31, 40)];
    const w = switches(s, { ping: 100, pong: 200 });
    expect(w.map((x) => `${x.from}->${x.to}:${x.preemption}`)).toEqual(['ping->pong:true', 'pong->ping:false']);
  });

  it('keeps only what overlaps the window and merges slivers of the same thread', () => {
    const s = [seg('a', 0, 5), seg('a', 6, 9), seg('b', 9, 12), seg('c', 50, 60)];
    expect(visibleSegments(s, 0, 20, 2)).toEqual([seg('a', 0, 9), seg('b', 9, 12)]);
    expect(visibleSegments(s, 0, 20, 0)).toHaveLength(3);
  });

  it('thins marks evenly when there are too many to draw', () => {
    const marks = Array.from({ length: 100 }, (_, i) => ({ time: i, core: 0, kind: 'vm-exit' as const, label: 'HLT', step: i }));
    expect(visibleMarks(marks, 10, 19)).toHaveLength(10);
    expect(visibleMarks(marks, 0, 99, 10)).toHaveLength(10);
  });
});

import { describe, expect, it } from 'vitest';
import { findExample } from '../../core/examples';
import { createSimService, type TimelineView } from '../../core/protocol';
import { switches, visibleMarks, visibleSegments } from './model';

const seg = (who: string, start: number, end: number, mode: 'pd' | 'guest' | 'kernel' = 'pd', core = 0) => ({ core, start, end, who, mode });

describe('timeline view model', () => {
  it('finds thread switches and calls a switch to a higher priority a preemption', () => {
    const s: TimelineView['segments'] = [seg('ping', 0, 10), seg('pong', 10, 20), seg('ping', 20, 30), seg('kernel', 30, 31, 'kernel'), seg('ping', 31, 40)];
    const w = switches(s, { ping: 100, pong: 200 });
    expect(w.map((x) => `${x.from}->${x.to}:${x.preemption}`)).toEqual(['ping->pong:true', 'pong->ping:false']);
  });

  it('does not call a protected procedure call into a higher-priority server a preemption', () => {
    const s: TimelineView['segments'] = [seg('client', 0, 10), seg('server', 10, 20), seg('client', 20, 30), seg('server', 30, 40)];
    const ppc = { time: 4, core: 0, kind: 'ppc' as const, label: 'client ⇒ server (ch 0)', step: 1 };
    const notify = { time: 24, core: 0, kind: 'notify' as const, label: 'client → server (ch 1)', step: 2 };
    const w = switches(s, { client: 100, server: 200 }, [ppc, notify]);
    expect(w.map((x) => `${x.from}->${x.to}:${x.preemption}`)).toEqual(['client->server:false', 'server->client:false', 'client->server:true']);
  });

  it('on the examples: ping-pong preempts, the PPC client-server does not', async () => {
    const count = async (id: string) => {
      const e = findExample(id)!;
      const ws = { files: e.files, board: e.board, main: e.main };
      const service = createSimService();
      const ask = async (kind: string, payload: object = {}) => (await service.handle({ kind, ...payload } as never, ws).result) as never;
      const loaded: { threads: { name: string; priority: number }[] } = await ask('sim.load');
      await ask('sim.run', { maxEvents: 2000 });
      const t: TimelineView = await ask('sim.timeline');
      const prio = Object.fromEntries(loaded.threads.map((th) => [th.name, th.priority]));
      const w = switches(t.segments, prio, t.marks);
      return { switches: w.length, preemptions: w.filter((x) => x.preemption).length };
    };
    const pp = await count('notify-pingpong');
    expect(pp.preemptions).toBeGreaterThan(0);
    const ppc = await count('ppc-client-server');
    expect(ppc.switches).toBeGreaterThan(2);
    expect(ppc.preemptions).toBe(0);
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

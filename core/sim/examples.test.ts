import { describe, expect, it } from 'vitest';
import { findExample } from '../examples';
import { runWorkspace } from './engine';
import { lines } from './testing/systems';

async function runExample(id: string) {
  const e = findExample(id);
  if (!e) throw new Error(`example ${id} missing`);
  return runWorkspace({ files: e.files, system: e.main }, { board: e.board });
}

describe('runtime examples', { timeout: 30_000 }, () => {
  it('hello prints its greeting after the monitor starts', async () => {
    const s = await runExample('hello');
    expect(s.console).toBe('MON|INFO: Microkit Monitor started!\nhello, world (from hello)\n');
    expect(s.stoppedBecause).toBe('idle');
    expect(s.faults).toEqual([]);
  });

  it('ppc-client-server: each call runs the server at its priority before the client continues', async () => {
    const s = await runExample('ppc-client-server');
    expect(lines(s.console)).toEqual([
      'server: ready',
      'client: calling add(1, 10)', 'server: add(1, 10) on channel 3, label 1', 'client: got 11 (1 word)',
      'client: calling add(2, 20)', 'server: add(2, 20) on channel 3, label 1', 'client: got 22 (1 word)',
      'client: calling add(3, 30)', 'server: add(3, 30) on channel 3, label 1', 'client: got 33 (1 word)',
    ]);
  });

  it('passive-server: the monitor makes it passive; calls run on the caller, a notification preempts the client', async () => {
    const s = await runExample('passive-server');
    expect(lines(s.console)).toEqual([
      'server: init (still on its own SC)',
      "MON|INFO: PD 'server' is now passive!",
      'server: call 1 from channel 0', 'client: count is now 1',
      'server: call 2 from channel 0', 'client: count is now 2',
      'client: notifying the server', 'server: notified on 0, count is 2',
      'client: init done', 'client: server answered on 0',
    ]);
  });

  it('notify-pingpong: a signal up preempts at once, a signal down waits until the higher PD blocks', async () => {
    const s = await runExample('notify-pingpong');
    const round = (n: number) => [
      `ping: round ${n}, notify pong`, `pong: notified on 0 (${n}), notify ping`, 'pong: still running after notify',
      'ping: back after notify', `ping: pong answered round ${n}`,
    ];
    expect(lines(s.console)).toEqual(['pong: waiting', ...round(1), ...round(2), ...round(3)]);
  });

  it('timer-driver: the simulated timer interrupts every 1000 µs of simulated time', async () => {
    const s = await runExample('timer-driver');
    expect(lines(s.console)).toEqual([
      'timer: programming 1000 us', 'client: waiting for ticks',
      'timer: tick 1 at 1000 us', 'client: tick 1',
      'timer: tick 2 at 2000 us', 'client: tick 2',
      'timer: tick 3 at 3000 us', 'client: tick 3',
    ]);
    expect(s.time).toBeGreaterThanOrEqual(3_000_000);
  });

  it('ring-buffer: five signals to a lower priority coalesce into one notified()', async () => {
    const s = await runExample('ring-buffer');
    expect(lines(s.console)).toEqual([
      'producer: put 1', 'producer: put 4', 'producer: put 9', 'producer: put 16', 'producer: put 25',
      'consumer: ready', 'consumer: notified, 5 item(s)',
      'consumer: got 1', 'consumer: got 4', 'consumer: got 9', 'consumer: got 16', 'consumer: got 25',
    ]);
  });

  it('pd-hierarchy: the child faults on a read-only write; the parent restarts it three times, then stops it', async () => {
    const s = await runExample('pd-hierarchy');
    const cycle = ['parent: child says it is alive', 'parent: child 1 faulted (label 6)'];
    expect(lines(s.console)).toEqual(['parent: waiting for the child', ...cycle, ...cycle, ...cycle, ...cycle]);
    expect(s.faults.map((f) => [f.pd, f.label, f.handler])).toEqual(Array(4).fill(['child', 6, 'parent']));
    expect(s.threads.find((t) => t.name === 'child')?.state).toBe('Inactive');
  });
});

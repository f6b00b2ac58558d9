import { describe, expect, it } from 'vitest';
import { createCoreService, type CoreEvent, type FromCore, type RequestEnvelope, type WorkspaceSnapshot } from '../../core/protocol';
import { coreBackends } from '../../core/protocol/backends';
import { createCoreClient, type CoreStatus, type WorkerLike } from './client';
import { serve } from './shell';

/** The real core service behind an asynchronous, crashable message port. */
class InProcessWorker implements WorkerLike {
  onmessage: ((e: { data: FromCore }) => void) | null = null;
  onerror: ((e: { message?: string }) => void) | null = null;
  readonly service = createCoreService(coreBackends);
  terminated = false;
  private readonly handle = serve(this.service, (m) => queueMicrotask(() => !this.terminated && this.onmessage?.({ data: m })));
  constructor(private readonly hang = false) {}
  postMessage(m: RequestEnvelope) {
    if (this.terminated || this.hang) return;
    if (m.request.kind === 'debug.crash') queueMicrotask(() => this.onerror?.({ message: 'crash requested' }));
    else queueMicrotask(() => this.handle(structuredClone(m)));
  }
  terminate() {
    this.terminated = true;
  }
}

function setup(spawnHang: (n: number) => boolean = () => false) {
  let ws: WorkspaceSnapshot = { files: { 'a.system': '<system/>', 'pd.js': 'v1' }, board: 'x86_64_generic_vtx', main: 'a.system' };
  const workers: InProcessWorker[] = [];
  const statuses: CoreStatus[] = [];
  const events: CoreEvent[] = [];
  const client = createCoreClient({
    spawn: () => {
      const w = new InProcessWorker(spawnHang(workers.length));
      workers.push(w);
      return w;
    },
    workspace: () => ws,
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    watchdogMs: 50,
    maxRestarts: 2,
  });
  return { client, workers, statuses, events, edit: (path: string, text: string) => (ws = { ...ws, files: { ...ws.files, [path]: text } }) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('core client', () => {
  it('opens the workspace on start and answers typed requests', async () => {
    const { client, workers, statuses } = setup();
    expect(await client.request('hello', {})).toEqual({ protocol: 1 });
    expect(workers[0]!.service.workspace().files['pd.js']).toBe('v1');
    await settle();
    expect(statuses).toEqual(['starting', 'ready']);
  });

  it('rejects with the core error message', async () => {
    const { client } = setup();
    await expect(client.request('sdf.hover', { path: 'missing.system', line: 1, column: 1 })).rejects.toThrow("no such file 'missing.system'");
  });

  it('restarts a crashed worker with the current workspace, losing no edit', async () => {
    const { client, workers, statuses, edit } = setup();
    await client.request('hello', {});
    edit('pd.js', 'v2');
    await client.request('file.update', { path: 'pd.js', text: 'v2' });
    edit('pd.js', 'v3 typed while the core was down');
    await client.request('debug.crash', {});
    const hover = client.request('sdf.hover', { path: 'a.system', line: 1, column: 2 });
    expect((await hover)?.contents).toContain('system'); // asked again of the new worker
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.service.workspace().files['pd.js']).toBe('v3 typed while the core was down');
    expect(client.restarts()).toBe(1);
    await settle();
    expect(statuses).toEqual(['starting', 'ready', 'restarting', 'ready']);
  });

  it('treats a worker that stops answering as crashed and asks again', async () => {
    const { client, workers } = setup((n) => n === 0);
    expect(await client.request('hello', {})).toEqual({ protocol: 1 });
    expect(workers).toHaveLength(2);
  });

  it('gives up after repeated failures instead of looping', async () => {
    const { client, statuses } = setup(() => true);
    await expect(client.request('sdf.complete', { path: 'a.system', line: 1, column: 1 })).rejects.toThrow('stopped answering');
    expect(statuses.at(-1)).toBe('failed');
  });

  it('forwards core events', async () => {
    const { client, events } = setup();
    await client.request('hello', {});
    await settle();
    expect(events.some((e) => e.type === 'system' && e.path === 'a.system')).toBe(true);
  });
});

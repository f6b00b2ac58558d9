import { describe, expect, it } from 'vitest';
import { createCoreService, type FromCore, type RequestEnvelope } from '../../core/protocol';
import { coreBackends } from '../../core/protocol/backends';
import { createWorkspaceStore } from '../workspace/store';
import { createCoreClient, type WorkerLike } from './client';
import { serve } from './shell';
import { syncWorkspace } from './sync';

function setup() {
  const store = createWorkspaceStore({ files: { 'a.system': '<system/>', 'pd.js': 'v1' }, board: 'x86_64_generic_vtx', main: 'a.system' });
  const service = createCoreService(coreBackends);
  const sent: string[] = [];
  const worker: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(m: RequestEnvelope) {
      sent.push(m.request.kind);
      const handle = serve(service, (r: FromCore) => queueMicrotask(() => worker.onmessage?.({ data: r })));
      queueMicrotask(() => handle(m));
    },
    terminate() {},
  };
  const client = createCoreClient({ spawn: () => worker, workspace: () => store.getState(), onEvent: () => {} });
  const sync = syncWorkspace(store, client, 20);
  return { store, service, sent, sync, client };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('workspace sync', () => {
  it('sends a burst of typing as one update after a pause', async () => {
    const { store, service, sent } = setup();
    for (const t of ['v2', 'v3', 'v4']) store.getState().setText('pd.js', t);
    await wait(5);
    expect(sent.filter((k) => k === 'file.update')).toHaveLength(0);
    await wait(40);
    expect(sent.filter((k) => k === 'file.update')).toHaveLength(1);
    expect(service.workspace().files['pd.js']).toBe('v4');
  });

  it('flushes pending text at once when asked (before a completion request)', async () => {
    const { store, service, sync, client } = setup();
    store.getState().setText('a.system', '<system></system>');
    sync.flush();
    await client.request('hello', {});
    expect(service.workspace().files['a.system']).toBe('<system></system>');
  });

  it('mirrors new files, renames of the main file, deletions and the board', async () => {
    const { store, service, client } = setup();
    store.getState().createFile('b.asm');
    store.getState().renameFile('a.system', 'main.system');
    store.getState().deleteFile('pd.js');
    store.getState().setBoard('qemu_virt_riscv64');
    await client.request('hello', {});
    const ws = service.workspace();
    expect(Object.keys(ws.files).sort()).toEqual(['b.asm', 'main.system']);
    expect(ws.main).toBe('main.system');
    expect(ws.board).toBe('qemu_virt_riscv64');
  });

  it('replaces everything when another workspace is opened', async () => {
    const { store, service, client } = setup();
    store.getState().open({ files: { 'x.system': '<system/>' }, board: 'qemu_virt_aarch64', main: 'x.system' });
    await client.request('hello', {});
    expect(service.workspace()).toEqual({ files: { 'x.system': '<system/>' }, board: 'qemu_virt_aarch64', main: 'x.system' });
  });
});

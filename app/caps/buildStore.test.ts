import { describe, expect, it } from 'vitest';
import type { RequestMap } from '../../core/protocol';
import { createBuildStore } from './buildStore';
import { builtExample } from './testing';

/** the store against the real core service, as the worker runs it */
function storeOn(id: string) {
  const { svc } = builtExample(id);
  const seen: string[] = [];
  const core = {
    request: <K extends keyof RequestMap>(kind: K, payload: RequestMap[K]['payload']) => {
      seen.push(kind);
      return Promise.resolve(svc.handle({ kind, ...payload } as never).result as RequestMap[K]['result']);
    },
  };
  return { store: createBuildStore(core as never), seen };
}

describe('build store', () => {
  it('a rebuild brings the picture; switching the boot mode rebuilds in that mode', async () => {
    const { store } = storeOn('ring-buffer');
    await store.getState().rebuild();
    expect(store.getState().view?.bootMode).toBe('current');
    await store.getState().setBootMode('legacy');
    expect(store.getState().view?.bootMode).toBe('legacy');
  });

  it('console lines are logged, and the selected cap is kept by its slot across the new tree', async () => {
    const { store } = storeOn('ring-buffer');
    await store.getState().rebuild();
    const caps = store.getState().view!.caps;
    const ntfn = caps.findIndex((c) => c.objectName === 'ntfn_producer' && c.holder === 'cnode_consumer');
    store.getState().selectCap(ntfn);
    await store.getState().runLab('bootinfo');
    expect(store.getState().log).toHaveLength(1);
    expect(store.getState().log[0].output).toMatch(/^seL4_NoError/);
    const now = store.getState();
    expect(now.view!.caps[now.selectedCap!].slot).toBe(caps[ntfn].slot);
  });

  it('a failing request becomes an error line, not an exception', async () => {
    const store = createBuildStore({ request: () => Promise.reject(new Error('core restarting')) } as never);
    const line = await store.getState().runLab('bootinfo');
    expect(line?.ok).toBe(false);
    expect(store.getState().log[0].output).toBe('error: core restarting');
  });
});

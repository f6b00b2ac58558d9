import { describe, expect, it } from 'vitest';
import { findExample } from '../../core/examples';
import { createSimService } from '../../core/protocol';
import type { RequestMap, SimView } from '../../core/protocol';
import { createRunStore } from './runStore';

/** The run store on the real simulation service, in process (what the worker would answer). */
function storeOn(id: string) {
  const e = findExample(id)!;
  const ws = { files: e.files, board: e.board, main: e.main };
  const service = createSimService();
  const asked: string[] = [];
  const core = {
    request: async <K extends keyof RequestMap>(kind: K, payload: RequestMap[K]['payload']) => {
      asked.push(kind);
      return (await service.handle({ kind, ...payload } as never, ws).result) as RequestMap[K]['result'];
    },
  };
  return { store: createRunStore(core as never), asked };
}

describe('run store', () => {
  it('loads the system before the first control and sends the breakpoints with it', async () => {
    const { store, asked } = storeOn('x86-vm-timer');
    await store.getState().toggleBreakpoint({ kind: 'vm-exit', reason: 48 });
    await store.getState().run();
    expect(asked).toEqual(['sim.setBreakpoints', 'sim.load', 'sim.setBreakpoints', 'sim.run']);
    const v = store.getState().view as SimView;
    expect(v.position.stoppedBecause).toBe('breakpoint');
    expect(store.getState().selectedExit).toBe(v.position.hitExit);
    expect(store.getState().busy).toBe(false);
  });

  it('reloads after the workspace changed and steps back from where it is', async () => {
    const { store, asked } = storeOn('notify-pingpong');
    await store.getState().step();
    await store.getState().step();
    expect(store.getState().view!.position.steps).toBe(2);
    await store.getState().stepBack();
    expect(store.getState().view!.position.steps).toBe(1);
    store.getState().markStale();
    await store.getState().step();
    expect(store.getState().view!.position.steps).toBe(1);
    expect(asked.filter((k) => k === 'sim.load')).toHaveLength(2);
  });

  it('toggles a breakpoint off when the same one is added again', async () => {
    const { store } = storeOn('notify-pingpong');
    await store.getState().toggleBreakpoint({ kind: 'channel', pd: 'pong', ch: 0 });
    await store.getState().toggleBreakpoint({ kind: 'channel', pd: 'pong', ch: 0 });
    expect(store.getState().breakpoints).toEqual([]);
  });

  it('steps guest instructions forward and back, the position counting them', async () => {
    const { store, asked } = storeOn('x86-vm-serial');
    for (let i = 0; i < 5; i++) await store.getState().stepInstruction();
    const at = store.getState().view!.position.guestInstructions;
    expect(at).toBeGreaterThan(0);
    await store.getState().stepBackInstruction();
    expect(store.getState().view!.position.guestInstructions).toBeLessThan(at);
    await store.getState().stepInstruction();
    expect(store.getState().view!.position.guestInstructions).toBe(at);
    expect(asked.filter((k) => k === 'sim.stepBackInstruction')).toHaveLength(1);
  });
  it('a picture while running refreshes the views; one while replaying only moves the position', async () => {
    const { store } = storeOn('x86-vm-timer');
    await store.getState().run();
    const v = store.getState().view as SimView;
    const r0 = store.getState().revision;
    store.getState().applyProgress({ ...v, position: { ...v.position, steps: 5, replayingTo: 100 } });
    expect(store.getState().revision).toBe(r0);
    expect(store.getState().view!.position.steps).toBe(5);
    store.getState().applyProgress({ ...v, position: { ...v.position, running: true } });
    expect(store.getState().revision).toBe(r0 + 1);
  });
});

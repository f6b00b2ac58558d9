/** The run as the UI sees it: the core's last picture of the simulation (throttled while running, full when
 * stopped), the breakpoints, and the selected exit and VM. Every run view reads its position from here. */
import { createStore } from 'zustand/vanilla';
import type { SimBreakpoint, SimView } from '../../core/protocol';
import type { Services } from '../shell/services';

export interface RunState {
  view: SimView | null;
  /** a control is under way (run, step back, go to) */
  busy: boolean;
  running: boolean;
  error: string | null;
  breakpoints: SimBreakpoint[];
  /** exit-log index the user picked (the VCPU view shows that exit) */
  selectedExit: number | null;
  selectedVm: string | null;
  /** the workspace changed since the simulation was loaded */
  stale: boolean;
  /** bumps whenever the position changes, so views re-ask the core for their detail */
  revision: number;
  load(): Promise<void>;
  /** untilExit: stop at the next VM exit */
  run(maxEvents?: number, untilExit?: boolean): Promise<void>;
  pause(): Promise<void>;
  step(): Promise<void>;
  stepBack(): Promise<void>;
  /** one guest instruction forward / back (x86 VMs) */
  stepInstruction(): Promise<void>;
  stepBackInstruction(): Promise<void>;
  reset(): Promise<void>;
  goTo(step: number, exit?: number): Promise<void>;
  toggleBreakpoint(b: SimBreakpoint): Promise<void>;
  removeBreakpoint(index: number): Promise<void>;
  selectExit(index: number | null): void;
  markStale(): void;
  /** a picture while running (views refresh, throttled) or while replaying (only the position moves: the views'
   * data is rebuilt by the replay and fetched once it ends) */
  applyProgress(view: SimView): void;
}

export type RunStore = ReturnType<typeof createRunStore>;
type Core = Pick<Services['core'], 'request'>;

export const sameBreakpoint = (a: SimBreakpoint, b: SimBreakpoint): boolean => JSON.stringify(a) === JSON.stringify(b);

export function createRunStore(core: Core) {
  return createStore<RunState>()((set, get) => {
    /** run one control; the reply is the new position */
    async function control(fn: () => Promise<SimView>, running = false): Promise<void> {
      if (get().busy) return;
      set({ busy: true, running, error: null });
      try {
        if (get().stale || !get().view?.loaded) {
          const loaded = await core.request('sim.load', {});
          set({ stale: false, view: loaded });
          await core.request('sim.setBreakpoints', { breakpoints: get().breakpoints });
          if (!loaded.loaded) return;
        }
        const view = await fn();
        set((s) => ({ view, revision: s.revision + 1, selectedExit: view.position.hitExit ?? s.selectedExit }));
      } catch (e) {
        set({ error: e instanceof Error ? e.message : String(e) });
      } finally {
        set({ busy: false, running: false });
      }
    }

    return {
      view: null,
      busy: false,
      running: false,
      error: null,
      breakpoints: [],
      selectedExit: null,
      selectedVm: null,
      stale: true,
      revision: 0,
      load: async () => {
        set({ stale: true });
        await control(() => core.request('sim.view', {}));
      },
      run: (maxEvents, untilExit) => control(() => core.request('sim.run', { maxEvents, untilExit }), true),
      pause: async () => {
        await core.request('sim.pause', {});
      },
      step: () => control(() => core.request('sim.step', {})),
      stepBack: () => control(() => core.request('sim.stepBack', {})),
      stepInstruction: () => control(() => core.request('sim.stepInstruction', {})),
      stepBackInstruction: () => control(() => core.request('sim.stepBackInstruction', {})),
      reset: async () => {
        set({ stale: true, selectedExit: null });
        await control(() => core.request('sim.view', {}));
      },
      goTo: (step, exit) => control(() => core.request('sim.goTo', { step, exit })),
      toggleBreakpoint: async (b) => {
        const has = get().breakpoints.some((x) => sameBreakpoint(x, b));
        const breakpoints = has ? get().breakpoints.filter((x) => !sameBreakpoint(x, b)) : [...get().breakpoints, b];
        set({ breakpoints });
        await core.request('sim.setBreakpoints', { breakpoints });
      },
      removeBreakpoint: async (index) => {
        const breakpoints = get().breakpoints.filter((_, i) => i !== index);
        set({ breakpoints });
        await core.request('sim.setBreakpoints', { breakpoints });
      },
      selectExit: (index) => set({ selectedExit: index }),
      markStale: () => set({ stale: true }),
      applyProgress: (view) => set((s) => ({ view, revision: view.position.replayingTo != null ? s.revision : s.revision + 1 })),
    };
  });
}

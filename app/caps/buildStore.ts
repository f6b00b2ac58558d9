/** The built system as the capability, memory and console views share it: the last BuildView from the
 * core, the boot mode, the selected cap, and the console's log. Rebuilds when the main system changes. */
import { createStore } from 'zustand/vanilla';
import type { BuildView, LabLine } from '../../core/protocol';
import type { Services } from '../shell/services';

export type BootMode = BuildView['bootMode'];

export interface BuildState {
  view: BuildView | null;
  bootMode: BootMode;
  building: boolean;
  error: string | null;
  /** index into view.caps */
  selectedCap: number | null;
  /** the PD whose CSpace is shown when the editor cursor names none */
  pickedPd: string | null;
  log: LabLine[];
  rebuild(): Promise<void>;
  setBootMode(m: BootMode): Promise<void>;
  runLab(line: string): Promise<LabLine | null>;
  selectCap(node: number | null): void;
  pickPd(pd: string | null): void;
}

export type BuildStore = ReturnType<typeof createBuildStore>;

type Core = Pick<Services['core'], 'request'>;

export function createBuildStore(core: Core) {
  let seq = 0;
  return createStore<BuildState>()((set, get) => ({
    view: null,
    bootMode: 'current',
    building: false,
    error: null,
    selectedCap: null,
    pickedPd: null,
    log: [],
    async rebuild() {
      const mine = ++seq;
      set({ building: true });
      try {
        const view = await core.request('build.run', { bootMode: get().bootMode });
        if (mine !== seq) return;
        const old = get().view;
        // a fresh build starts a fresh kernel: the console's history belongs to the old one
        set({ view, building: false, error: null, selectedCap: sameShape(old, view) ? get().selectedCap : null, log: [] });
      } catch (e) {
        if (mine === seq) set({ building: false, error: e instanceof Error ? e.message : String(e) });
      }
    },
    async setBootMode(bootMode) {
      set({ bootMode });
      await get().rebuild();
    },
    async runLab(text) {
      try {
        const { line, view } = await core.request('build.lab', { line: text, bootMode: get().bootMode });
        set({ view, log: line ? [...get().log, line] : get().log, selectedCap: keepSelection(get().view, view, get().selectedCap) });
        return line;
      } catch (e) {
        const line: LabLine = { text, ok: false, output: `error: ${e instanceof Error ? e.message : String(e)}`, notes: [] };
        set({ log: [...get().log, line] });
        return line;
      }
    },
    selectCap: (selectedCap) => set({ selectedCap }),
    pickPd: (pickedPd) => set({ pickedPd }),
  }));
}

function sameShape(a: BuildView | null, b: BuildView): boolean {
  return !!a && a.caps.length === b.caps.length && a.bootMode === b.bootMode;
}

/** the selected cap, found again by its kernel slot after the tree changed */
function keepSelection(old: BuildView | null, next: BuildView, sel: number | null): number | null {
  if (sel === null || !old) return null;
  const slot = old.caps[sel]?.slot;
  const i = next.caps.findIndex((c) => c.slot === slot);
  return i < 0 ? null : i;
}

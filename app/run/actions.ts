/** The run controls as actions: toolbar buttons, shortcuts (function keys, which Monaco leaves alone) and palette
 * entries share these. */
import type { Action } from '../actions/registry';
import type { Services } from '../shell/services';
import { parseNumber } from './format';
import { runStore } from './install';

const idle = (): boolean => !runStore().getState().busy;
/** guest stepping needs a VM: off once a system without one is loaded (before loading, the first step loads it) */
const mayHaveGuest = (): boolean => {
  const v = runStore().getState().view;
  return !v?.loaded || v.vms.length > 0;
};

export const RUN_ACTIONS: Action<Services>[] = [
  {
    id: 'sim.build', label: 'Build and load the system', category: 'Run', icon: 'build', shortcut: 'Mod+Shift+B',
    keywords: ['compile', 'load'], enabled: idle, run: () => runStore().getState().load(),
  },
  {
    id: 'sim.run', label: 'Run / continue', category: 'Run', icon: 'play', shortcut: 'F5',
    keywords: ['start', 'continue', 'go'], enabled: idle, run: () => runStore().getState().run(),
  },
  {
    id: 'sim.pause', label: 'Pause', category: 'Run', icon: 'pause', shortcut: 'F6',
    enabled: () => runStore().getState().running || runStore().getState().busy, run: () => runStore().getState().pause(),
  },
  {
    id: 'sim.step', label: 'Step one kernel event', category: 'Run', icon: 'stepOver', shortcut: 'F10',
    keywords: ['next', 'over'], enabled: idle, run: () => runStore().getState().step(),
  },
  {
    id: 'sim.stepInstruction', label: 'Step one guest instruction', category: 'Run', icon: 'stepInto', shortcut: 'F11',
    keywords: ['guest', 'into', 'instruction', 'x86', 'vcpu'], enabled: () => idle() && mayHaveGuest(), run: () => runStore().getState().stepInstruction(),
  },
  {
    id: 'sim.stepBackInstruction', label: 'Step back one guest instruction', category: 'Run', shortcut: 'Alt+Shift+F11',
    keywords: ['guest', 'reverse', 'back', 'instruction', 'x86'],
    enabled: () => idle() && (runStore().getState().view?.position.guestInstructions ?? 0) > 0,
    run: () => runStore().getState().stepBackInstruction(),
  },
  {
    id: 'sim.stepExit', label: 'Run to the next VM exit', category: 'Run', shortcut: 'Alt+F11',
    keywords: ['guest', 'vm exit'], enabled: () => idle() && mayHaveGuest(), run: () => runStore().getState().run(undefined, true),
  },
  {
    id: 'sim.stepBack', label: 'Step back one kernel event', category: 'Run', icon: 'stepBack', shortcut: 'Shift+F11',
    keywords: ['reverse', 'back'], enabled: () => idle() && (runStore().getState().view?.position.steps ?? 0) > 0,
    run: () => runStore().getState().stepBack(),
  },
  {
    id: 'sim.reset', label: 'Reset the simulation', category: 'Run', icon: 'reset', shortcut: 'Mod+Shift+F5',
    keywords: ['restart'], enabled: idle, run: () => runStore().getState().reset(),
  },
  {
    id: 'sim.runFor', label: 'Run for N events…', category: 'Run', keywords: ['budget', 'count'], enabled: idle,
    run: (s) =>
      s.ui.getState().openDialog({
        kind: 'input',
        input: {
          title: 'Run for a number of events', label: 'Trace events', initial: '10000', submitLabel: 'Run',
          submit: (v) => {
            const n = parseNumber(v);
            if (n === null || n <= 0) return 'Enter a positive number of events.';
            void runStore().getState().run(n);
            return null;
          },
        },
      }),
  },
];

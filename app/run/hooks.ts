import { useStore } from 'zustand';
import type { RunState } from './runStore';
import { runStore } from './install';

export const useRun = <T,>(selector: (s: RunState) => T): T => useStore(runStore(), selector);

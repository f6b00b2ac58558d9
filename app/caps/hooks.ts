import { useStore } from 'zustand';
import { buildStore } from './install';
import type { BuildState } from './buildStore';

export const useBuild = <T,>(selector: (s: BuildState) => T): T => useStore(buildStore(), selector);

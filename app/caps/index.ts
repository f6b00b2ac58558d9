/** The capability views (CSpace table, derivation tree) and the build store the memory and console views
 * share. Kept light: main.tsx loads it at start-up, the views themselves load lazily. */
export { installBuildViews, buildStore } from './install';
export { useBuild } from './hooks';
export type { BuildState, BuildStore, BootMode } from './buildStore';

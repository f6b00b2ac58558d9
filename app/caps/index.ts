/** The capability views (CSpace table, derivation tree) and the build store the memory and console views share. */
export { installBuildViews, buildStore } from './install';
export { useBuild } from './hooks';
export type { BuildState, BuildStore, BootMode } from './buildStore';
export { capLabel, capsToSameObject } from './model';

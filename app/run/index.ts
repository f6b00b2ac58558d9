/** Run controls and the run store every run view reads its position from (issue 9). */
export { installRunViews, runStore } from './install';
export { useRun } from './hooks';
export { attachGuestGutter } from './asmGutter';
export { RunPosition } from './RunPosition';
export { formatTime, hex, positionLabel, breakpointLabel, parseNumber } from './format';
export type { RunState, RunStore } from './runStore';
export { guestRegionAt, guestRegions, pdChannels, pdIrqs, type GuestRegion } from './names';

/** The simulation engine: runs a Microkit workspace deterministically on the kernel model, with trace events,
 * controls (run, pause, step, step back, reset), breakpoints and snapshots. */
export { createSimulation, runWorkspace, type Simulation, type ReplayHost, type SimulationOptions, type SimSnapshot, type CoreSnapshot, type StopReason, type ThreadSnapshot, type SteppableGuestRunner } from './engine';
export { loadWorkspace, programFileFor, WorkspaceError, type Workspace, type LoadedWorkspace } from './workspace';
export type { TraceEvent, Breakpoint, FaultRecord } from './trace';
export { COSTS } from './costs';
export { SIM_TIMER } from './devices/table';
export { TIMER_REG } from './devices/timer';

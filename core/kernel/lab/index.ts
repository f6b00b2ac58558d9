/** Capability lab: libsel4-style scripts against a booted kernel. */
export { LabSession, runLabScript, type LabOptions, type LabResult, type ScriptRun } from './session';
export { LabSyntaxError, parseLine, parseScript } from './parse';

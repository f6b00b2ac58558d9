/** core/protocol: the typed messages between the UI and the core worker, and the
 * pure service that answers them. */
export * from './messages';
export type { AsmError, LanguageBackends, SdfCheckOptions, CompletionItem, Diagnostic, HoverInfo, SystemDescription } from './languages';
export { createCoreService, ASM_DIAGNOSTIC_CODE, INTERNAL_ERROR_CODE, PROGRAM_DIAGNOSTIC_CODE, type CoreService, type Handled } from './service';
export { gpaName, hexAddress, hexNum, msrName, portName } from './deviceNames';
export { fileKind, KNOWN_EXTENSIONS, type FileKind } from './fileKinds';
export type { BuildRequests, BuildView, CapNode, LabLine } from './buildMessages';
export type { SimRequests, SimView, SimPosition, SimBreakpoint, SimStopReason, ExitRow, ExitPage, RegisterRow, VcpuView, TimelineView, ThreadRow } from './simMessages';
export { createSimService, type SimService, type SimServiceOptions } from './simService';

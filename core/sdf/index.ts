/** The SDF language service: validation with the microkit tool's messages, completion,
 * hover, and the schema table that drives them all. */
export type { CompletionItem, Diagnostic, HoverInfo, Severity } from './api';
export type * from './model';
export { checkSdf, type CheckOptions, type CheckResult } from './checkSdf';
export { testKernelConfig } from './kernelConfigs';
export {
  SDF_ELEMENTS,
  SDF_SCHEMA,
  attrSpec,
  attributeWhitelist,
  childKey,
  usableAttributes,
  type AttrSpec,
  type AttrType,
  type ElementKey,
  type ElementSpec,
} from './schema';
export { completionsAt, elementAvailable } from './completion';
export { hoverAt } from './hover';
export { renderSdfReference } from './docs';
/** a generated system at the tool's limits, for benchmarks and scale tests */
export { maximalSystem } from './maximal';

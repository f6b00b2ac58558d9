/** The build: a validated system description → the kernel objects, caps and memory the Microkit tool
 * and the capDL initialiser create, on the kernel model (microkit.md §D, §E). */
export { buildSystem, canAllocate, describeBuild, largestFreeBlock, MICROKIT_ROOT_CNODE_BITS, type BuildOptions, type BuildResult } from './build';
export type { BootMode } from './bootImage';
export type { AddressSpaceDesc, BuildDescription, CapDesc, MappingDesc, ObjectDesc, PdDesc, PhysKind, PhysRangeDesc, UntypedDescOut } from './description';
export type { Realised } from './initialiser';
export type { SetvarValue } from './setvars';
export type { BuildSpec, ImageSegment, PdObjects, SpecAddressSpace, SpecCap, SpecMapping, SpecObject } from './spec';
export { formatReport } from './report';
/** the CSpace layout constants (§D.3–D.5) */
export * as slots from './constants';

/** The build: a validated system description → the kernel objects, caps and memory the Microkit tool
 * and the capDL initialiser create, on the kernel model (microkit.md §D, §E). */
export { buildSystem, canAllocate, describeBuild, largestFreeBlock, MICROKIT_ROOT_CNODE_BITS, type BuildOptions, type BuildResult } from './build';
export type { BootMode } from './bootImage';
export type { AddressSpaceDesc, BuildDescription, CapDesc, MappingDesc, ObjectDesc, PdDesc, PhysRangeDesc, UntypedDescOut } from './description';
export type { BuildSpec, PdObjects, SpecObject, SpecCap, SpecMapping } from './spec';
export { formatReport } from './report';
export * as slots from './constants';

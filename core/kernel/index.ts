/** The seL4 kernel object model on x86_64 (MCS): public face. */
export * from './constants';
export { Kernel, type GuestRunner, type GuestExit, type KernelOptions } from './kernel';
export { bootKernel, splitRegion, USER_IMAGE_VADDR, type BootInfo, type BootOptions, type Booted, type UntypedDesc } from './boot';
export { Cap, CapKind, CAP_KIND_NAMES, MapType, TcbObj, EndpointObj, NotificationObj, ReplyObj, SchedContextObj, CNodeObj, TableObj, AsidPoolObj, FrameObj, VcpuObj, type KObject, type Pte } from './objects';
export type { KernelEvent, KernelEventHook } from './events';
export { SyscallError, LookupFault } from './errors';
export { handleSyscall, runGuest, deliverVmExit, Outcome, type OutcomeNum } from './syscall';
export { invoke, type InvokeReply } from './invoke';
export { makeInfo, msgLabel, msgLength, msgExtraCaps, notificationState } from './ipc';
export { schedule, chargeTime, advanceTime, isSchedulable } from './sched';
export { raiseIrq } from './vcpu';
export { vmFault, userExceptionFault, unknownSyscallFault, timeoutFault } from './faults';
export { listMappings, findRootForAsid, walkTo, levelIndex, leafLevelFor } from './vspace';
export { eptWritable } from './pagingOps';
export { descendants, hasChildren, isFinalCapability, isChildOf } from './mdb';
export { objectTypeName } from './retype';
export { listCaps, listObjects, type CapView, type ObjectView } from './views';
export { runLabScript, LabSession, type LabResult, type LabOptions } from './lab';

/** libmicrokit's own numbers (microkit.h, microkit.md §C.3, §D.3, §D.4, §D.6), in one place for the runtime. */

/** PD CSpace (Microkit CNode) slots */
export const INPUT_CAP = 1;
export const FAULT_EP_CAP = 2;
export const VSPACE_CAP = 3;
export const REPLY_CAP = 4;
export const MONITOR_EP = 5;
export const TCB_CAP = 6;
export const BASE_OUTPUT_NOTIFICATION_CAP = 10;
export const BASE_ENDPOINT_CAP = 74;
export const BASE_IRQ_CAP = 138;
export const BASE_TCB_CAP = 202;
export const BASE_VM_TCB_CAP = 266;
export const BASE_VCPU_CAP = 330;
export const BASE_IOPORT_CAP = 394;

/** Monitor CSpace slots */
export const MON_FAULT_EP_CAP = 1;
export const MON_REPLY_CAP = 2;
export const MON_BASE_PD_TCB_CAP = 10;
export const MON_BASE_SCHED_CONTEXT_CAP = 138;
export const MON_BASE_NOTIFICATION_CAP = 202;

export const MICROKIT_MAX_CHANNELS = 62;
export const MICROKIT_MAX_CHANNEL_ID = 61;
export const MICROKIT_MAX_IOPORT_ID = 62;
export const MICROKIT_PD_NAME_LENGTH = 64;

/** badge bits of the event loop (§C.2) */
export const PPC_BADGE_BIT = 63n;
export const FAULT_BADGE_BIT = 62n;
export const CHANNEL_MASK = 0x3fn;
export const CHILD_MASK = 0xffn;

/** CNode geometry: root 2^6 slots with guard 0; Microkit CNode 2^9 slots with a 49-bit zero guard */
export const PD_ROOT_CAP_BITS = 6;
export const PD_CAP_BITS = 9;

/** virtual layout (§D.6) */
export const PROGRAM_ENTRY = 0x200000n;
/** the pseudo program counter of a PD thread while its JavaScript is inside libmicrokit (a kernel entry) */
export const LIBMICROKIT_PC = 0x200800n;
export const PAGE = 0x1000n;

export const MONITOR_PRIORITY = 255;
export const MONITOR_BUDGET_US = 1000n;

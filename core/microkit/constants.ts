/** The numbers the runtime uses. The CSpace layout (microkit.md §D.3, §D.4) and the badge bits are the build's:
 * core/build creates the caps in these slots, so the runtime reads the same table instead of keeping a copy.
 * What is only libmicrokit's (its API limits, masks, its pseudo PC) is written here. */
import { slots } from '../build';

/** PD CSpace (Microkit CNode) slots */
export const INPUT_CAP = slots.PD_INPUT_CAP_IDX;
export const REPLY_CAP = slots.PD_REPLY_CAP_IDX;
export const MONITOR_EP = slots.PD_MONITOR_EP_CAP_IDX;
export const BASE_OUTPUT_NOTIFICATION_CAP = slots.PD_BASE_OUTPUT_NOTIFICATION_CAP;
export const BASE_ENDPOINT_CAP = slots.PD_BASE_OUTPUT_ENDPOINT_CAP;
export const BASE_IRQ_CAP = slots.PD_BASE_IRQ_CAP;
export const BASE_TCB_CAP = slots.PD_BASE_PD_TCB_CAP;
export const BASE_VCPU_CAP = slots.PD_BASE_VCPU_CAP;
export const BASE_IOPORT_CAP = slots.PD_BASE_IOPORT_CAP;

/** Monitor CSpace slots */
export const MON_FAULT_EP_CAP = slots.MON_FAULT_EP_CAP_IDX;
export const MON_REPLY_CAP = slots.MON_REPLY_CAP_IDX;
export const MON_BASE_PD_TCB_CAP = slots.MON_BASE_PD_TCB_CAP;
export const MON_BASE_SCHED_CONTEXT_CAP = slots.MON_BASE_SCHED_CONTEXT_CAP;
export const MON_BASE_NOTIFICATION_CAP = slots.MON_BASE_NOTIFICATION_CAP;

/** badges the event loop decodes (§C.2): a PPC sets bit 63, a child's fault bit 62 */
export const PPC_BADGE = slots.PPC_BADGE;
export const FAULT_BADGE = slots.FAULT_BADGE;

/** libmicrokit's API limits (§C.3) */
export const MICROKIT_MAX_CHANNEL_ID = 61;
export const MICROKIT_MAX_IOPORT_ID = 62;
export const CHANNEL_MASK = 0x3fn;
export const CHILD_MASK = 0xffn;

/** the pseudo program counter of a PD thread while its JavaScript is inside libmicrokit (a kernel entry) */
export const LIBMICROKIT_PC = 0x200800n;
export const PAGE = slots.PAGE_4K;

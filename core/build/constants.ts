/** Every number the Microkit tool's capDL builder uses (microkit.md §D), in one place.
 * Names follow the tool's own constants so they can be checked against it. */

/** PD CSpace (Microkit CNode) fixed slots, §D.3 */
export const PD_INPUT_CAP_IDX = 1;
export const PD_FAULT_EP_CAP_IDX = 2;
export const PD_VSPACE_CAP_IDX = 3;
export const PD_REPLY_CAP_IDX = 4;
export const PD_MONITOR_EP_CAP_IDX = 5;
export const PD_TCB_CAP_IDX = 6;
export const PD_ARM_SMC_CAP_IDX = 7;
export const PD_BASE_OUTPUT_NOTIFICATION_CAP = 10;
export const PD_BASE_OUTPUT_ENDPOINT_CAP = PD_BASE_OUTPUT_NOTIFICATION_CAP + 64;
export const PD_BASE_IRQ_CAP = PD_BASE_OUTPUT_ENDPOINT_CAP + 64;
export const PD_BASE_PD_TCB_CAP = PD_BASE_IRQ_CAP + 64;
export const PD_BASE_VM_TCB_CAP = PD_BASE_PD_TCB_CAP + 64;
export const PD_BASE_VCPU_CAP = PD_BASE_VM_TCB_CAP + 64;
export const PD_BASE_IOPORT_CAP = PD_BASE_VCPU_CAP + 64;

/** Monitor CSpace, §D.4 */
export const MON_FAULT_EP_CAP_IDX = 1;
export const MON_REPLY_CAP_IDX = 2;
export const MON_BASE_PD_TCB_CAP = 10;
export const MON_BASE_VM_TCB_CAP = MON_BASE_PD_TCB_CAP + 64;
export const MON_BASE_SCHED_CONTEXT_CAP = MON_BASE_VM_TCB_CAP + 64;
export const MON_BASE_NOTIFICATION_CAP = MON_BASE_SCHED_CONTEXT_CAP + 64;

/** CNode geometry: Microkit CNode 512 slots, root CNode 64 slots, 64-bit CPtrs */
export const PD_CAP_BITS = 9;
export const PD_ROOT_CAP_BITS = 6;
export const CAP_ADDRESS_BITS = 64;
/** SC objects are 2^8 bytes (core + extra refills) */
export const PD_SCHEDCONTEXT_SIZE_BITS = 8;
export const SLOT_BITS = 5;

export const FAULT_BADGE = 1n << 62n;
export const PPC_BADGE = 1n << 63n;
/** SC badge = 0x100 + flattened PD index */
export const SC_BADGE_BASE = 0x100n;

/** capDL TCB binding slots (rust-sel4 initialiser conventions, §D.5) */
export const TcbBoundSlot = { CSpace: 0, VSpace: 1, IpcBuffer: 4, FaultEp: 5, SchedContext: 6, BoundNotification: 8, VCpu: 9, X86Eptpml4: 10 } as const;

export const MONITOR_NAME = 'monitor';
export const MONITOR_PRIORITY = 255;
export const MONITOR_DOMAIN = 0;
export const MON_STACK_SIZE = 0x1000n;
/** µs; the monitor's SC budget and period */
export const BUDGET_DEFAULT = 1000n;

export const PAGE_4K = 0x1000n;
export const PAGE_2M = 0x20_0000n;
/** libmicrokit's linker script places the program here (§D.6) */
export const PROGRAM_LINK_VADDR = 0x20_0000n;

/** Fixed object sizes in bits (x86_64 MCS; §1.2 of sel4-x86_64.md). VCPU is 12 bits on AArch64. */
export const OBJ_BITS = {
  tcb: 11,
  endpoint: 4,
  notification: 6,
  reply: 5,
  pageTable: 12,
  ioPageTable: 12,
  vcpuX86: 14,
  vcpuArm: 12,
} as const;

/** x86 IOMMU address spaces: IOSpace root + 3 IOPT levels, slot 0 holds the tree root, slots 1..3 spares */
export const IOSPACE_ROOT_IOPT_SLOT = 0;
export const IOSPACE_SPARE_LEVELS = 3;
export const CAPDL_NUM_IOPT_LEVELS = 3;

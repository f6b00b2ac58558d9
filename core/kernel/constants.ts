/** Every seL4 number the kernel model uses (x86_64, MCS, IOMMU on, VT-x on), in one place.
 * Values follow ../shared/reference/sel4-x86_64.md; names are libsel4's own. */

// ---- seL4_Error (§3.5) ----
export const seL4_NoError = 0;
export const seL4_InvalidArgument = 1;
export const seL4_InvalidCapability = 2;
export const seL4_IllegalOperation = 3;
export const seL4_RangeError = 4;
export const seL4_AlignmentError = 5;
export const seL4_FailedLookup = 6;
export const seL4_TruncatedMessage = 7;
export const seL4_DeleteFirst = 8;
export const seL4_RevokeFirst = 9;
export const seL4_NotEnoughMemory = 10;
export const ERROR_NAMES = [
  'seL4_NoError', 'seL4_InvalidArgument', 'seL4_InvalidCapability', 'seL4_IllegalOperation', 'seL4_RangeError',
  'seL4_AlignmentError', 'seL4_FailedLookup', 'seL4_TruncatedMessage', 'seL4_DeleteFirst', 'seL4_RevokeFirst',
  'seL4_NotEnoughMemory',
] as const;

// ---- lookup failure types ----
export const seL4_NoFailure = 0;
export const seL4_InvalidRoot = 1;
export const seL4_MissingCapability = 2;
export const seL4_DepthMismatch = 3;
export const seL4_GuardMismatch = 4;

// ---- word-level constants (§0) ----
export const seL4_WordBits = 64;
export const seL4_SlotBits = 5;
export const seL4_MinUntypedBits = 4;
export const seL4_MaxUntypedBits = 47;
export const seL4_PageBits = 12;
export const seL4_LargePageBits = 21;
export const seL4_HugePageBits = 30;
export const seL4_IPCBufferSizeBits = 10;
export const seL4_MsgMaxLength = 120;
export const seL4_MsgMaxExtraCaps = 3;
export const seL4_NumASIDPoolsBits = 3;
export const seL4_ASIDPoolIndexBits = 9;
export const seL4_MinPrio = 0;
export const seL4_MaxPrio = 255;
export const NUM_PRIORITIES = 256;
export const seL4_UserTop = 0x00007ffffffff000n;
export const RETYPE_FAN_OUT_LIMIT = 256;
export const ROOT_CNODE_SIZE_BITS = 12;
export const MAX_BOOTINFO_UNTYPED_CAPS = 230;
export const PADDR_USER_DEVICE_TOP = 1n << 47n;
export const HIGHMEM_PADDR = 0x100000n;
export const seL4_MinSchedContextBits = 7;
export const seL4_CoreSchedContextBytes = 128;
export const seL4_RefillSizeBytes = 16;
export const MIN_BUDGET_US = 20n;
export const MAX_PERIOD_US = 1n << 40n; // large; the reference gives no concrete MAX_PERIOD_US for x86
export const BOOT_THREAD_TIME_SLICE_US = 5000n;
export const TIMER_TICK_US = 2000n;
export const TIME_SLICE_TICKS = 5;
export const seL4_SchedContext_Sporadic = 1n;
export const IT_ASID = 1;
export const NUM_IRQS = 256;
export const IRQ_USER_MIN_VECTOR = 0;
export const IRQ_USER_MAX_VECTOR = 107;
export const IRQ_OFFSET = 16; // kernel IRQ = vector + 16
export const NUM_IO_PORTS = 65536;

// ---- rights (seL4_CapRights word) ----
export const RIGHT_WRITE = 1;
export const RIGHT_READ = 2;
export const RIGHT_GRANT = 4;
export const RIGHT_GRANT_REPLY = 8;
export const seL4_AllRights = 0xf;
export const seL4_ReadWrite = 0x3;
export const seL4_CanRead = 0x2;
export const seL4_CanWrite = 0x1;
export const seL4_CanGrant = 0x4;
export const seL4_CanGrantReply = 0x8;
export const seL4_NoRights = 0;
/** VM rights of a frame cap */
export const VM_KERNEL_ONLY = 1;
export const VM_READ_ONLY = 2;
export const VM_READ_WRITE = 3;

// ---- object types (Untyped_Retype `type`, MCS + IOMMU + VTX column of §1.1) ----
export const ObjectType = {
  seL4_UntypedObject: 0,
  seL4_TCBObject: 1,
  seL4_EndpointObject: 2,
  seL4_NotificationObject: 3,
  seL4_CapTableObject: 4,
  seL4_SchedContextObject: 5,
  seL4_ReplyObject: 6,
  seL4_X86_PDPTObject: 7,
  seL4_X64_PML4Object: 8,
  seL4_X64_HugePageObject: 9,
  seL4_X86_4K: 10,
  seL4_X86_LargePageObject: 11,
  seL4_X86_PageTableObject: 12,
  seL4_X86_PageDirectoryObject: 13,
  seL4_X86_IOPageTableObject: 14,
  seL4_X86_VCPUObject: 15,
  seL4_X86_EPTPML4Object: 16,
  seL4_X86_EPTPDPTObject: 17,
  seL4_X86_EPTPDObject: 18,
  seL4_X86_EPTPTObject: 19,
} as const;
export const seL4_ObjectTypeCount = 20;
export type ObjectTypeNum = (typeof ObjectType)[keyof typeof ObjectType];
export const OBJECT_TYPE_NAMES: string[] = Object.keys(ObjectType);

/** Fixed size in bits per object type; -1 = chosen by the caller (Untyped, SchedContext), -2 = CNode (radix + 5). */
export const OBJECT_SIZE_BITS: readonly number[] = [
  -1, // Untyped
  11, // TCB
  4, // Endpoint
  6, // Notification (MCS)
  -2, // CNode
  -1, // SchedContext
  5, // Reply
  12, 12, 30, 12, 21, 12, 12, 12, // PDPT PML4 Huge 4K Large PT PD IOPT
  14, // VCPU
  12, 12, 12, 12, // EPT
];
export const seL4_TCBBits = 11;
export const seL4_EndpointBits = 4;
export const seL4_NotificationBits = 6;
export const seL4_ReplyBits = 5;
export const seL4_X86_VCPUBits = 14;
export const seL4_ASIDPoolBits = 12;
export const seL4_PageTableBits = 12;

// ---- invocation labels (MCS, IOMMU on, VTX on; Appendix A) ----
const LABEL_ORDER = [
  'UntypedRetype',
  'TCBReadRegisters', 'TCBWriteRegisters', 'TCBCopyRegisters', 'TCBConfigure', 'TCBSetPriority', 'TCBSetMCPriority',
  'TCBSetSchedParams', 'TCBSetTimeoutEndpoint', 'TCBSetIPCBuffer', 'TCBSetSpace', 'TCBSuspend', 'TCBResume',
  'TCBBindNotification', 'TCBUnbindNotification', 'TCBSetTLSBase', 'TCBSetFlags',
  'CNodeRevoke', 'CNodeDelete', 'CNodeCancelBadgedSends', 'CNodeCopy', 'CNodeMint', 'CNodeMove', 'CNodeMutate', 'CNodeRotate',
  'IRQIssueIRQHandler', 'IRQAckIRQ', 'IRQSetIRQHandler', 'IRQClearIRQHandler',
  'DomainSetSet', 'DomainScheduleConfigure', 'DomainScheduleSetStart',
  'SchedControlConfigureFlags',
  'SchedContextBind', 'SchedContextUnbind', 'SchedContextUnbindObject', 'SchedContextConsumed', 'SchedContextYieldTo',
  'X86PDPTMap', 'X86PDPTUnmap', 'X86PageDirectoryMap', 'X86PageDirectoryUnmap', 'X86PageTableMap', 'X86PageTableUnmap',
  'X86IOPageTableMap', 'X86IOPageTableUnmap', 'X86PageMap', 'X86PageUnmap', 'X86PageMapIO', 'X86PageGetAddress',
  'X86PageMapEPT', 'X86ASIDControlMakePool', 'X86ASIDPoolAssign', 'X86IOPortControlIssue',
  'X86IOPortIn8', 'X86IOPortIn16', 'X86IOPortIn32', 'X86IOPortOut8', 'X86IOPortOut16', 'X86IOPortOut32',
  'X86IRQIssueIRQHandlerIOAPIC', 'X86IRQIssueIRQHandlerMSI', 'TCBSetEPTRoot',
  'X86VCPUSetTCB', 'X86VCPUReadVMCS', 'X86VCPUWriteVMCS', 'X86VCPUEnableIOPort', 'X86VCPUDisableIOPort', 'X86VCPUWriteRegisters',
  'X86EPTPDPTMap', 'X86EPTPDPTUnmap', 'X86EPTPDMap', 'X86EPTPDUnmap', 'X86EPTPTMap', 'X86EPTPTUnmap',
] as const;
export type LabelName = (typeof LABEL_ORDER)[number];
export const Label = Object.fromEntries(LABEL_ORDER.map((n, i) => [n, i + 1])) as Record<LabelName, number>;
export const LABEL_NAMES: readonly string[] = ['InvalidInvocation', ...LABEL_ORDER];

// ---- syscalls (MCS numbering, §5.2) ----
export const Sys = {
  Call: -1, ReplyRecv: -2, NBSendRecv: -3, NBSendWait: -4, Send: -5, NBSend: -6, Recv: -7, NBRecv: -8,
  Wait: -9, NBWait: -10, Yield: -11, VMEnter: -32,
} as const;
export type SyscallNum = (typeof Sys)[keyof typeof Sys];

// ---- thread states (§5.1) ----
export const ThreadState = {
  Inactive: 0, Running: 1, Restart: 2, BlockedOnReceive: 3, BlockedOnSend: 4, BlockedOnReply: 5,
  BlockedOnNotification: 6, RunningVM: 7, Idle: 8,
} as const;
export type ThreadStateNum = (typeof ThreadState)[keyof typeof ThreadState];
export const THREAD_STATE_NAMES = ['Inactive', 'Running', 'Restart', 'BlockedOnReceive', 'BlockedOnSend', 'BlockedOnReply', 'BlockedOnNotification', 'RunningVM', 'Idle'];

// ---- fault labels (MCS, §5.5) ----
export const FaultLabel = { NullFault: 0, CapFault: 1, UnknownSyscall: 2, UserException: 3, Timeout: 5, VMFault: 6 } as const;
export const FAULT_NAMES: Record<number, string> = { 0: 'seL4_Fault_NullFault', 1: 'seL4_Fault_CapFault', 2: 'seL4_Fault_UnknownSyscall', 3: 'seL4_Fault_UserException', 5: 'seL4_Fault_Timeout', 6: 'seL4_Fault_VMFault' };

// ---- TCB internal CNode slots (MCS) ----
export const TCB_CNODE_SLOTS = 16;
export const tcbCTable = 0;
export const tcbVTable = 1;
export const tcbBuffer = 2;
export const tcbFaultHandler = 3;
export const tcbTimeoutHandler = 4;
export const tcbArchEPTRoot = 5;

// ---- initial CNode slots (§4.7) ----
export const InitialCap = {
  seL4_CapNull: 0, seL4_CapInitThreadTCB: 1, seL4_CapInitThreadCNode: 2, seL4_CapInitThreadVSpace: 3,
  seL4_CapIRQControl: 4, seL4_CapASIDControl: 5, seL4_CapInitThreadASIDPool: 6, seL4_CapIOPortControl: 7,
  seL4_CapIOSpace: 8, seL4_CapBootInfoFrame: 9, seL4_CapInitThreadIPCBuffer: 10, seL4_CapDomain: 11,
  seL4_CapSMMUSIDControl: 12, seL4_CapSMMUCBControl: 13, seL4_CapInitThreadSC: 14, seL4_CapSMC: 15,
} as const;
export const seL4_NumInitialCaps = 16;

// ---- x86 VM attributes ----
export const VMAttr = { seL4_X86_WriteBack: 0, seL4_X86_WriteThrough: 1, seL4_X86_CacheDisabled: 2, seL4_X86_Uncacheable: 3, seL4_X86_WriteCombining: 4, seL4_X86_Default_VMAttributes: 0 } as const;
export const EPTAttr = { seL4_X86_EPT_Uncached: 0, seL4_X86_EPT_WriteCombining: 1, seL4_X86_EPT_WriteThrough: 4, seL4_X86_EPT_WriteProtected: 5, seL4_X86_EPT_WriteBack: 6, seL4_X86_EPT_Default_VMAttributes: 6 } as const;

// ---- user context (seL4_UserContext order, 20 registers) ----
export const USER_CONTEXT_REGS = ['rip', 'rsp', 'rflags', 'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'fs_base', 'gs_base'] as const;
export const NUM_USER_REGS = 20;
export const NUM_FRAME_REGS = 18;

// ---- VMEnter (§6.4) ----
export const SEL4_VMENTER_CALL_EIP_MR = 0;
export const SEL4_VMENTER_CALL_CONTROL_PPC_MR = 1;
export const SEL4_VMENTER_CALL_INTERRUPT_INFO_MR = 2;
export const SEL4_VMENTER_FAULT_REASON_MR = 3;
export const SEL4_VMENTER_FAULT_QUALIFICATION_MR = 4;
export const SEL4_VMENTER_FAULT_INSTRUCTION_LEN_MR = 5;
export const SEL4_VMENTER_FAULT_GUEST_PHYSICAL_MR = 6;
export const SEL4_VMENTER_FAULT_RFLAGS_MR = 7;
export const SEL4_VMENTER_FAULT_GUEST_INT_MR = 8;
export const SEL4_VMENTER_FAULT_CR3_MR = 9;
export const SEL4_VMENTER_FAULT_EAX = 10;
/** 17 for 32-bit guests; 25 (R8..R15 added) with 64-bit guests, which the x86_64 VT-x configuration runs */
export const SEL4_VMENTER_NUM_FAULT_MSGS = 25;
export const SEL4_VMENTER_RESULT_FAULT = 1n;
export const SEL4_VMENTER_RESULT_NOTIF = 0n;
export const SEL4_VMENTER_RESULT_NOTIF_LEN = 3;
export const VMX_EXIT_EXTERNAL_INTERRUPT = 1;
/** exit reasons whose qualification the kernel reports (§6.7) */
export const EXIT_REASONS_WITH_QUALIFICATION = new Set([0x00, 0x04, 0x09, 0x0e, 0x13, 0x15, 0x16, 0x17, 0x19, 0x1b, 0x1c, 0x1d, 0x1e, 0x24, 0x2b, 0x2c, 0x2e, 0x2f, 0x30, 0x32, 0x35]);

// ---- VMCS fields (§6.3) ----
export const VMCS = {
  GUEST_RIP: 0x681e, PRIMARY_PROCESSOR_CONTROLS: 0x4002, ENTRY_INTERRUPTION_INFO: 0x4016, ENTRY_EXCEPTION_ERROR_CODE: 0x4018,
  GUEST_RFLAGS: 0x6820, GUEST_CR3: 0x6802, GUEST_CR0: 0x6800, GUEST_CR4: 0x6804, GUEST_RSP: 0x681c,
  INTERRUPTABILITY: 0x4824, EXIT_REASON: 0x4402, EXIT_QUALIFICATION: 0x6400, EXIT_INSTRUCTION_LENGTH: 0x440c,
  GUEST_PHYSICAL: 0x2400, EXCEPTION_BITMAP: 0x4004, CR0_MASK: 0x6000, CR0_READ_SHADOW: 0x6004,
  PIN_EXECUTION_CONTROLS: 0x4000, SECONDARY_PROCESSOR_CONTROLS: 0x401e, ENTRY_CONTROLS: 0x4012, EXIT_CONTROLS: 0x400c,
} as const;
const range = (a: number, b: number, step = 2): number[] => { const r: number[] = []; for (let x = a; x <= b; x += step) r.push(x); return r; };
const WRITE_PLAIN = [
  ...range(0x800, 0x80e), 0x2802, 0x2804, 0x2806, 0x2808, ...range(0x280a, 0x2810), ...range(0x4800, 0x4812), ...range(0x4814, 0x4822),
  0x4824, 0x4826, 0x4828, 0x482a, 0x482e, ...range(0x6806, 0x6818), 0x681a, 0x681c, 0x681e, 0x6820, 0x6822, 0x6824, 0x6826,
  0x6000, 0x6002, 0x6004, 0x6006, 0x6802, 0x4004, 0x4016, 0x4018,
];
const WRITE_FIXED = [0x4000, 0x4002, 0x401e, 0x4012, 0x400c, 0x6800, 0x6804];
export const VMCS_WRITABLE: ReadonlySet<number> = new Set([...WRITE_PLAIN, ...WRITE_FIXED]);
export const VMCS_READABLE: ReadonlySet<number> = new Set([
  ...[...VMCS_WRITABLE].filter((f) => f !== 0x4018),
  0x4400, 0x4404, 0x4406, 0x4408, 0x440a, 0x440c, 0x440e, 0x2400, 0x6402, 0x6404, 0x6406, 0x6408, 0x640a,
]);
/** Fixed bits the "hardware" forces on control/CR fields (simulated CPU: allowed-0/allowed-1 settings). */
export const VMCS_FIXED_ONE: ReadonlyMap<number, bigint> = new Map([
  [0x4000, 0x16n + 0x1n + 0x8n + 0x20n], // pin: reserved-1 bits 1,2,4 + ext-int exiting (0) + NMI exiting (3) + virtual NMIs (5)
  [0x4002, 0x0401e172n | (1n << 25n) | (1n << 28n) | (1n << 31n)], // primary: reserved-1 + I/O bitmaps + MSR bitmaps + secondary
  [0x401e, 0x2n | 0x20n], // secondary: enable EPT + VPID
  [0x4012, 0x11ffn], // entry: reserved-1 bits
  [0x400c, 0x36dffn | (1n << 9n) | (1n << 2n) | (1n << 18n) | (1n << 19n) | (1n << 20n) | (1n << 21n)],
  [0x6800, 0x20n], // CR0.NE (unrestricted guest: PE/PG may be 0)
  [0x6804, 0x2000n], // CR4.VMXE
]);

// ---- more libsel4 names scripts use ----
export const seL4_PageDirBits = 12;
export const seL4_PDPTBits = 12;
export const seL4_PML4Bits = 12;
export const seL4_VSpaceBits = 12;
export const seL4_IOPageTableBits = 12;
export const seL4_X86_EPTPML4Bits = 12;
export const seL4_X86_EPTPDPTBits = 12;
export const seL4_X86_EPTPDBits = 12;
export const seL4_X86_EPTPTBits = 12;
export const seL4_NumErrors = 11;
export const seL4_NilData = 0;
export const seL4_GuardSizeBits = 6;
export const seL4_GuardBits = 58;
export const seL4_MsgLengthBits = 7;
export const seL4_MsgExtraCapBits = 2;
export const seL4_SchedContext_NoFlag = 0;
export const seL4_Fault_NullFault = 0;
export const seL4_Fault_CapFault = 1;
export const seL4_Fault_UnknownSyscall = 2;
export const seL4_Fault_UserException = 3;
export const seL4_Fault_Timeout = 5;
export const seL4_Fault_VMFault = 6;
export const seL4_NoFailureType = 0;

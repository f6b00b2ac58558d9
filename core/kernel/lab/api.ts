/** libsel4's x86_64 (MCS) invocation stubs as data: how each function's parameters become message registers and
 * extra caps, which label it sends and what it returns. The lab marshals through this table and seL4_Call. */
import { Label, type LabelName } from '../constants';

/** Parameter kinds after the invoked cap: m = message word, c = extra cap (cptr), r = register struct (list) */
export interface StubSpec {
  label: number;
  params: string;
  /** names of the returned words (reply MRs) */
  ret?: string[];
  /** special marshalling */
  special?: 'readRegs' | 'writeRegs' | 'copyRegs' | 'vcpuRegs';
}

const L = (n: LabelName): number => Label[n];
const REG_NAMES = ['rip', 'rsp', 'rflags', 'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'fs_base', 'gs_base'];

export const STUBS: Record<string, StubSpec> = {
  seL4_Untyped_Retype: { label: L('UntypedRetype'), params: 'mmcmmmm' },
  seL4_TCB_ReadRegisters: { label: L('TCBReadRegisters'), params: 'mmm', special: 'readRegs', ret: REG_NAMES },
  seL4_TCB_WriteRegisters: { label: L('TCBWriteRegisters'), params: 'mmmr', special: 'writeRegs' },
  seL4_TCB_CopyRegisters: { label: L('TCBCopyRegisters'), params: 'cmmmmm', special: 'copyRegs' },
  seL4_TCB_Configure: { label: L('TCBConfigure'), params: 'cmcmmc' },
  seL4_TCB_SetPriority: { label: L('TCBSetPriority'), params: 'cm' },
  seL4_TCB_SetMCPriority: { label: L('TCBSetMCPriority'), params: 'cm' },
  seL4_TCB_SetSchedParams: { label: L('TCBSetSchedParams'), params: 'cmmcc' },
  seL4_TCB_SetTimeoutEndpoint: { label: L('TCBSetTimeoutEndpoint'), params: 'c' },
  seL4_TCB_SetIPCBuffer: { label: L('TCBSetIPCBuffer'), params: 'mc' },
  seL4_TCB_SetSpace: { label: L('TCBSetSpace'), params: 'ccmcm' },
  seL4_TCB_Suspend: { label: L('TCBSuspend'), params: '' },
  seL4_TCB_Resume: { label: L('TCBResume'), params: '' },
  seL4_TCB_BindNotification: { label: L('TCBBindNotification'), params: 'c' },
  seL4_TCB_UnbindNotification: { label: L('TCBUnbindNotification'), params: '' },
  seL4_TCB_SetTLSBase: { label: L('TCBSetTLSBase'), params: 'm' },
  seL4_TCB_SetFlags: { label: L('TCBSetFlags'), params: 'mm', ret: ['flags'] },
  seL4_TCB_SetEPTRoot: { label: L('TCBSetEPTRoot'), params: 'c' },
  seL4_CNode_Revoke: { label: L('CNodeRevoke'), params: 'mm' },
  seL4_CNode_Delete: { label: L('CNodeDelete'), params: 'mm' },
  seL4_CNode_CancelBadgedSends: { label: L('CNodeCancelBadgedSends'), params: 'mm' },
  seL4_CNode_Copy: { label: L('CNodeCopy'), params: 'mmcmmm' },
  seL4_CNode_Mint: { label: L('CNodeMint'), params: 'mmcmmmm' },
  seL4_CNode_Move: { label: L('CNodeMove'), params: 'mmcmm' },
  seL4_CNode_Mutate: { label: L('CNodeMutate'), params: 'mmcmmm' },
  seL4_CNode_Rotate: { label: L('CNodeRotate'), params: 'mmmcmmmcmm' },
  seL4_CNode_SaveCaller: { label: 0, params: 'mm' }, // not in the MCS API: the kernel answers IllegalOperation
  seL4_IRQControl_Get: { label: L('IRQIssueIRQHandler'), params: 'mcmm' },
  seL4_IRQControl_GetIOAPIC: { label: L('X86IRQIssueIRQHandlerIOAPIC'), params: 'cmmmmmmm' },
  seL4_IRQControl_GetMSI: { label: L('X86IRQIssueIRQHandlerMSI'), params: 'cmmmmmmm' },
  seL4_IRQHandler_Ack: { label: L('IRQAckIRQ'), params: '' },
  seL4_IRQHandler_SetNotification: { label: L('IRQSetIRQHandler'), params: 'c' },
  seL4_IRQHandler_Clear: { label: L('IRQClearIRQHandler'), params: '' },
  seL4_DomainSet_Set: { label: L('DomainSetSet'), params: 'mc' },
  seL4_SchedControl_ConfigureFlags: { label: L('SchedControlConfigureFlags'), params: 'cmmmmm' },
  seL4_SchedControl_Configure: { label: L('SchedControlConfigureFlags'), params: 'cmmmm' },
  seL4_SchedContext_Bind: { label: L('SchedContextBind'), params: 'c' },
  seL4_SchedContext_Unbind: { label: L('SchedContextUnbind'), params: '' },
  seL4_SchedContext_UnbindObject: { label: L('SchedContextUnbindObject'), params: 'c' },
  seL4_SchedContext_Consumed: { label: L('SchedContextConsumed'), params: '', ret: ['consumed'] },
  seL4_SchedContext_YieldTo: { label: L('SchedContextYieldTo'), params: '', ret: ['consumed'] },
  seL4_X86_PDPT_Map: { label: L('X86PDPTMap'), params: 'cmm' },
  seL4_X86_PDPT_Unmap: { label: L('X86PDPTUnmap'), params: '' },
  seL4_X86_PageDirectory_Map: { label: L('X86PageDirectoryMap'), params: 'cmm' },
  seL4_X86_PageDirectory_Unmap: { label: L('X86PageDirectoryUnmap'), params: '' },
  seL4_X86_PageTable_Map: { label: L('X86PageTableMap'), params: 'cmm' },
  seL4_X86_PageTable_Unmap: { label: L('X86PageTableUnmap'), params: '' },
  seL4_X86_Page_Map: { label: L('X86PageMap'), params: 'cmmm' },
  seL4_X86_Page_Unmap: { label: L('X86PageUnmap'), params: '' },
  seL4_X86_Page_GetAddress: { label: L('X86PageGetAddress'), params: '', ret: ['paddr'] },
  seL4_X86_Page_MapEPT: { label: L('X86PageMapEPT'), params: 'cmmm' },
  seL4_X86_ASIDControl_MakePool: { label: L('X86ASIDControlMakePool'), params: 'ccmm' },
  seL4_X86_ASIDPool_Assign: { label: L('X86ASIDPoolAssign'), params: 'c' },
  seL4_X86_IOPortControl_Issue: { label: L('X86IOPortControlIssue'), params: 'mmcmm' },
  seL4_X86_IOPort_In8: { label: L('X86IOPortIn8'), params: 'm', ret: ['result'] },
  seL4_X86_IOPort_In16: { label: L('X86IOPortIn16'), params: 'm', ret: ['result'] },
  seL4_X86_IOPort_In32: { label: L('X86IOPortIn32'), params: 'm', ret: ['result'] },
  seL4_X86_IOPort_Out8: { label: L('X86IOPortOut8'), params: 'mm' },
  seL4_X86_IOPort_Out16: { label: L('X86IOPortOut16'), params: 'mm' },
  seL4_X86_IOPort_Out32: { label: L('X86IOPortOut32'), params: 'mm' },
  seL4_X86_VCPU_SetTCB: { label: L('X86VCPUSetTCB'), params: 'c' },
  seL4_X86_VCPU_ReadVMCS: { label: L('X86VCPUReadVMCS'), params: 'm', ret: ['value'] },
  seL4_X86_VCPU_WriteVMCS: { label: L('X86VCPUWriteVMCS'), params: 'mm', ret: ['written'] },
  seL4_X86_VCPU_EnableIOPort: { label: L('X86VCPUEnableIOPort'), params: 'cmm' },
  seL4_X86_VCPU_DisableIOPort: { label: L('X86VCPUDisableIOPort'), params: 'mm' },
  seL4_X86_VCPU_WriteRegisters: { label: L('X86VCPUWriteRegisters'), params: 'r', special: 'vcpuRegs' },
  seL4_X86_EPTPDPT_Map: { label: L('X86EPTPDPTMap'), params: 'cmm' },
  seL4_X86_EPTPDPT_Unmap: { label: L('X86EPTPDPTUnmap'), params: '' },
  seL4_X86_EPTPD_Map: { label: L('X86EPTPDMap'), params: 'cmm' },
  seL4_X86_EPTPD_Unmap: { label: L('X86EPTPDUnmap'), params: '' },
  seL4_X86_EPTPT_Map: { label: L('X86EPTPTMap'), params: 'cmm' },
  seL4_X86_EPTPT_Unmap: { label: L('X86EPTPTUnmap'), params: '' },
};

/** Non-MCS spellings accepted for convenience: argument count → how to turn them into the MCS form. */
export const NON_MCS_FORMS: Record<string, { argc: number; map: (a: bigint[]) => bigint[] }> = {
  // Configure(tcb, fault_ep, croot, croot_data, vroot, vroot_data, buffer, bufferFrame): fault_ep dropped
  seL4_TCB_Configure: { argc: 8, map: (a) => [a[0], a[2], a[3], a[4], a[5], a[6], a[7]] },
};

/** What the VMM side takes from core/kernel and core/x86 for the kernel runner, in one place. */
export { tcbArchEPTRoot, VM_READ_WRITE, type GuestExit, type GuestRunner, type Kernel, type TableObj, type TcbObj, type VcpuObj } from '../kernel';
import { VMCS_BY_NAME, VMCS_FIELDS } from '../x86';

export const VMCS_GUEST_RIP = VMCS_BY_NAME.GUEST_RIP;

/** Guest-state and exit-information encodings copied back to the kernel VCPU object after a run. */
export const VMCS_BY_ENCODING_LIST: readonly number[] = VMCS_FIELDS.filter((f) => f.group === 'guest-state' || f.group === 'exit-information' || f.encoding === 0x4016).map((f) => f.encoding);

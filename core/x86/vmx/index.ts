/** VMX non-root operation: VMCS model, VCPU, vmEnter, and the named VMX tables. */
export * from './constants';
export { Vmcs } from './vmcs';
export { Vcpu, vmEnter, type VmEnterResult, type VmExitInfo } from './vcpu';

/** VMX non-root operation: VMCS model, VCPU, vmEnter, and the named VMX tables. */
export * from './constants';
export { Vmcs } from './vmcs';
export { Vcpu, vmEnter, type VmEnterResult, type VmExitInfo } from './vcpu';
export { SimpleEpt, EPT_R, EPT_W, EPT_X, EPT_RWX } from './simpleEpt';

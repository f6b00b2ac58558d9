/** Guest memory (modelled on rust-vmm vm-memory): regions from a VM's map elements, lookup, permission-checked reads
 * and writes of bytes and typed values across region boundaries, views, and the EPT those maps describe. */
export { GuestMemory } from './memory';
export { GuestRegion, AccessKind, RWX, allows, type Perms } from './region';
export { GuestMemoryError, type GuestMemoryErrorKind } from './errors';
export { HostMemory, guestMemoryFromMaps, type VmMap } from './fromMaps';
export { GuestEpt, EptAccess, type EptLike } from './ept';

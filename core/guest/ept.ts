/** The EPT a VM's map elements describe, as the CPU model's `EptTranslator`: guest-physical → host-physical offset in
 * the `HostMemory` buffer, with the map's perms as the EPT entry's R/W/X bits. A violation reports what the
 * translation allowed (exit qualification bits 3..5). */
import type { GuestMemory } from './memory';

export const enum EptAccess {
  Read = 0,
  Write = 1,
  Exec = 2,
}

export interface EptLike {
  translate(gpa: number, access: number): { hostPhys: number } | { violation: number };
}

export class GuestEpt implements EptLike {
  private readonly ok = { hostPhys: 0 };
  private readonly bad = { violation: 0 };

  constructor(private readonly mem: GuestMemory, private readonly hostBase: number = 0) {}

  translate(gpa: number, access: number): { hostPhys: number } | { violation: number } {
    const r = this.mem.find(gpa);
    if (!r) {
      this.bad.violation = 0;
      return this.bad;
    }
    const p = r.perms;
    const allowed = access === EptAccess.Write ? p.write : access === EptAccess.Exec ? p.execute : p.read;
    if (!allowed) {
      this.bad.violation = (p.read ? 8 : 0) | (p.write ? 16 : 0) | (p.execute ? 32 : 0);
      return this.bad;
    }
    this.ok.hostPhys = r.bytes.byteOffset - this.hostBase + (gpa - r.start);
    return this.ok;
  }
}

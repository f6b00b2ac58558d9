/** A minimal EptTranslator: a table of 4 KiB guest-physical pages with read/write/execute
 * rights. It stands in for the kernel model's EPT objects in tests and the bench. */
import { Access, type EptResult, type EptTranslator } from '../cpu/types';

export const EPT_R = 1, EPT_W = 2, EPT_X = 4, EPT_RWX = 7;

export class SimpleEpt implements EptTranslator {
  private readonly pages = new Map<number, { host: number; rights: number }>();

  /** Maps [gpa, gpa + size) to [hpa, hpa + size) with the given rights (4 KiB granular). */
  map(gpa: number, hpa: number, size: number, rights = EPT_RWX): void {
    for (let off = 0; off < size; off += 4096) this.pages.set(Math.floor((gpa + off) / 4096), { host: hpa + off, rights });
  }

  unmap(gpa: number, size: number): void {
    for (let off = 0; off < size; off += 4096) this.pages.delete(Math.floor((gpa + off) / 4096));
  }

  translate(gpa: number, access: Access): EptResult {
    const e = this.pages.get(Math.floor(gpa / 4096));
    const need = access === Access.Write ? EPT_W : access === Access.Exec ? EPT_X : EPT_R;
    if (!e || !(e.rights & need)) return { violation: e ? (e.rights & 7) << 3 : 0 };
    return { hostPhys: e.host + (gpa % 4096) };
  }
}

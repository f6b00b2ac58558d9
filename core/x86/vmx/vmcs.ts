/** The VMCS model: field values by encoding (numbers; 64-bit and natural-width fields hold
 * addresses and masks that fit a JS number exactly). Unwritten fields read as 0. */
import { VMCS_BY_ENCODING, VMCS_FIELDS, type VmcsGroup } from './constants';

export class Vmcs {
  private readonly values = new Map<number, number>();

  read(encoding: number): number {
    return this.values.get(encoding) ?? 0;
  }

  write(encoding: number, value: number): void {
    const f = VMCS_BY_ENCODING.get(encoding);
    if (f && f.width === 16) value &= 0xffff;
    else if (f && f.width === 32) value = value >>> 0;
    this.values.set(encoding, value);
  }

  /** Every known field with its value, grouped as the SDM groups them (for the VMCS view). */
  grouped(): Record<VmcsGroup, { name: string; encoding: number; value: number }[]> {
    const out: Record<VmcsGroup, { name: string; encoding: number; value: number }[]> = {
      control: [], 'guest-state': [], 'host-state': [], 'exit-information': [],
    };
    for (const f of VMCS_FIELDS) out[f.group].push({ name: f.name, encoding: f.encoding, value: this.read(f.encoding) });
    return out;
  }

  /** A copy (snapshots for step-back). */
  clone(): Vmcs {
    const c = new Vmcs();
    for (const [k, v] of this.values) c.values.set(k, v);
    return c;
  }
}

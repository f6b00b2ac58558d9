/** The VMCS model: field values by encoding (numbers; 64-bit and natural-width fields hold
 * addresses and masks that fit a JS number exactly). Unwritten fields read as 0.
 * Stored in a flat array indexed by encoding (every architectural encoding is below 0x8000): VM entry and exit
 * read and write dozens of fields, so lookups must be cheap. */
import { VMCS_BY_ENCODING, VMCS_FIELDS, type VmcsGroup } from './constants';

const SPAN = 0x8000;
/** width class per encoding: 0 unknown/64/natural (kept as is), 1 = 16-bit, 2 = 32-bit */
const WIDTH = new Uint8Array(SPAN);
for (const [enc, f] of VMCS_BY_ENCODING) if (enc < SPAN) WIDTH[enc] = f.width === 16 ? 1 : f.width === 32 ? 2 : 0;

export class Vmcs {
  private readonly values = new Float64Array(SPAN);
  /** fields ever written (clone copies only these) */
  private readonly written: number[] = [];
  private readonly isWritten = new Uint8Array(SPAN);
  /** encodings outside the architectural range (never used by the model, kept for completeness) */
  private readonly other = new Map<number, number>();

  read(encoding: number): number {
    if (encoding >= 0 && encoding < SPAN) return this.values[encoding];
    return this.other.get(encoding) ?? 0;
  }

  write(encoding: number, value: number): void {
    if (encoding < 0 || encoding >= SPAN) {
      this.other.set(encoding, value);
      return;
    }
    const w = WIDTH[encoding];
    if (w === 1) value &= 0xffff;
    else if (w === 2) value = value >>> 0;
    this.values[encoding] = value;
    if (this.isWritten[encoding] === 0) {
      this.isWritten[encoding] = 1;
      this.written.push(encoding);
    }
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
    for (const e of this.written) c.write(e, this.values[e]);
    for (const [k, v] of this.other) c.other.set(k, v);
    return c;
  }
}

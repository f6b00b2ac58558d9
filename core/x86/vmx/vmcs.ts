/** The VMCS model: field values by encoding (numbers; 64-bit and natural-width fields hold
 * addresses and masks that fit a JS number exactly). Unwritten fields read as 0.
 * Stored in a flat array indexed by encoding (every architectural encoding is below 0x8000): VM entry and exit
 * read and write dozens of fields, so lookups must be cheap. */
import { VMCS_BY_ENCODING, VMCS_FIELDS, type VmcsGroup } from './constants';

const SPAN = 0x8000;
export const LIVE_READ = 1, LIVE_WRITE = 2;
const NO_LIVE = new Uint8Array(SPAN);

/** Who holds the guest state between a VM exit and the next entry (the VCPU's CPU model). */
export interface GuestStateHolder {
  /** the current value of a held guest-state field, as a VM exit stores it */
  guestField(encoding: number): number;
}
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

  // ---- lazily saved guest state: after a VM exit the CPU model still holds the guest-state fields; they are copied
  // here one by one when first read (the value the exit would have saved, as the CPU has not run since), and writes
  // to them are listed so the next entry loads only those (see Vcpu.enter).
  private holder: GuestStateHolder | null = null;
  /** per encoding: 0 plain, LIVE_READ bit = held by the CPU, LIVE_WRITE bit = a write must reach the next entry */
  private live: Uint8Array = NO_LIVE;
  /** bumped at each exit; a held field is current when its stamp equals it */
  private generation = 1;
  private readonly stamp = new Uint32Array(SPAN);
  /** held or tracked fields written since the exit: the first `heldCount` entries (in order) */
  readonly heldWrites: number[] = [];
  heldCount = 0;

  /** VM exit: the guest-state fields marked in `live` are now held by `holder` (the CPU). */
  hold(holder: GuestStateHolder, live: Uint8Array): void {
    this.holder = holder;
    this.live = live;
    this.generation++;
    this.heldCount = 0;
  }

  /** Copy every held field in and stop holding (the VMCS is the source of truth again). */
  release(): void {
    const h = this.holder;
    if (h === null) return;
    const live = this.live;
    for (let e = 0; e < SPAN; e++) if (live[e] & LIVE_READ) this.read(e);
    this.holder = null;
    this.heldCount = 0;
  }

  /** VM entry loaded the guest state into the CPU (it holds nothing stale any more). */
  drop(): void {
    this.holder = null;
    this.heldCount = 0;
  }

  get holding(): boolean {
    return this.holder !== null;
  }

  read(encoding: number): number {
    if (encoding >= 0 && encoding < SPAN) {
      if (this.holder !== null && this.live[encoding] & LIVE_READ && this.stamp[encoding] !== this.generation) {
        this.stamp[encoding] = this.generation;
        this.store(encoding, this.holder.guestField(encoding));
      }
      return this.values[encoding];
    }
    return this.other.get(encoding) ?? 0;
  }

  write(encoding: number, value: number): void {
    if (encoding < 0 || encoding >= SPAN) {
      this.other.set(encoding, value);
      return;
    }
    if (this.holder !== null && this.live[encoding] !== 0) {
      this.stamp[encoding] = this.generation;
      if (this.heldCount < this.heldWrites.length) this.heldWrites[this.heldCount] = encoding;
      else this.heldWrites.push(encoding);
      this.heldCount++;
    }
    this.store(encoding, value);
  }

  private store(encoding: number, value: number): void {
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
    const live = this.live;
    if (this.holder !== null) for (let e = 0; e < SPAN; e++) if (live[e] & LIVE_READ) this.read(e);
    const c = new Vmcs();
    for (const e of this.written) c.write(e, this.values[e]);
    for (const [k, v] of this.other) c.other.set(k, v);
    return c;
  }
}

/** Guest memory (modelled on rust-vmm vm-memory's `GuestMemoryMmap`): a sorted set of non-overlapping regions, lookup
 * by guest-physical address, and reads/writes of bytes and little-endian typed values that may cross region
 * boundaries. Every access checks the region's permissions. Accesses copy straight into/out of the backing bytes:
 * nothing is mapped or unmapped per access. */
import { GuestMemoryError, hex } from './errors';
import { AccessKind, allows, GuestRegion, type Perms } from './region';

const NO: Record<AccessKind, 'no-read' | 'no-write' | 'no-execute'> = { [AccessKind.Read]: 'no-read', [AccessKind.Write]: 'no-write', [AccessKind.Execute]: 'no-execute' };
const VERB: Record<AccessKind, string> = { [AccessKind.Read]: 'read', [AccessKind.Write]: 'write', [AccessKind.Execute]: 'execute' };

export class GuestMemory {
  readonly regions: readonly GuestRegion[];
  /** last region hit: most accesses fall in the same region as the one before */
  private last: GuestRegion | null = null;

  constructor(regions: GuestRegion[]) {
    const sorted = [...regions].sort((a, b) => a.start - b.start);
    for (let i = 0; i < sorted.length; i++) {
      const r = sorted[i];
      if (r.size === 0) throw new GuestMemoryError('bad-region', r.start, `region '${r.name}' at ${hex(r.start)} is empty`);
      if (i > 0 && sorted[i - 1].end > r.start) {
        throw new GuestMemoryError('overlap', r.start, `region '${r.name}' at ${hex(r.start)} overlaps '${sorted[i - 1].name}'`);
      }
    }
    this.regions = sorted;
  }

  /** The region holding `gpa`, or null (binary search). */
  find(gpa: number): GuestRegion | null {
    const l = this.last;
    if (l && gpa >= l.start && gpa < l.end) return l;
    let lo = 0;
    let hi = this.regions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.regions[mid];
      if (gpa < r.start) hi = mid - 1;
      else if (gpa >= r.end) lo = mid + 1;
      else return (this.last = r);
    }
    return null;
  }

  /** Whether every byte of [gpa, gpa + len) is mapped (and allows `access`, when given). */
  checkRange(gpa: number, len: number, access?: AccessKind): boolean {
    let a = gpa;
    const end = gpa + len;
    while (a < end) {
      const r = this.find(a);
      if (!r || (access !== undefined && !allows(r.perms, access))) return false;
      a = r.end;
    }
    return true;
  }

  private region(a: number, access: AccessKind): GuestRegion {
    const r = this.find(a);
    if (!r) throw new GuestMemoryError('invalid-address', a, `guest-physical address ${hex(a)} is not mapped`);
    if (!allows(r.perms, access)) {
      throw new GuestMemoryError(NO[access], a, `cannot ${VERB[access]} guest-physical address ${hex(a)}: region '${r.name}' does not allow it`);
    }
    return r;
  }

  /** Copy guest memory into `out` (the whole range must be mapped and allowed; nothing is copied otherwise). */
  read(gpa: number, out: Uint8Array, access: AccessKind = AccessKind.Read): void {
    this.assertRange(gpa, out.length, access);
    let done = 0;
    while (done < out.length) {
      const r = this.region(gpa + done, access);
      const off = gpa + done - r.start;
      const n = Math.min(out.length - done, r.size - off);
      out.set(r.bytes.subarray(off, off + n), done);
      done += n;
    }
  }

  /** Copy `data` into guest memory (all or nothing). */
  write(gpa: number, data: ArrayLike<number>): void {
    this.assertRange(gpa, data.length, AccessKind.Write);
    let done = 0;
    while (done < data.length) {
      const r = this.region(gpa + done, AccessKind.Write);
      const off = gpa + done - r.start;
      const n = Math.min(data.length - done, r.size - off);
      for (let i = 0; i < n; i++) r.bytes[off + i] = data[done + i];
      done += n;
    }
  }

  private assertRange(gpa: number, len: number, access: AccessKind): void {
    if (!Number.isSafeInteger(gpa) || gpa < 0) throw new GuestMemoryError('invalid-address', gpa, `invalid guest-physical address ${gpa}`);
    let a = gpa;
    const end = gpa + len;
    while (a < end) a = this.region(a, access).end;
  }

  readU8(gpa: number): number {
    const r = this.region(gpa, AccessKind.Read);
    return r.bytes[gpa - r.start];
  }

  /** Little-endian unsigned value of 1, 2 or 4 bytes (may cross regions). */
  readUint(gpa: number, size: 1 | 2 | 4): number {
    const r = this.find(gpa);
    if (r && gpa + size <= r.end && r.perms.read) {
      const b = r.bytes;
      const o = gpa - r.start;
      if (size === 1) return b[o];
      if (size === 2) return b[o] | (b[o + 1] << 8);
      return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    }
    const tmp = new Uint8Array(size);
    this.read(gpa, tmp);
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + tmp[i];
    return v;
  }

  writeUint(gpa: number, size: 1 | 2 | 4, value: number): void {
    const r = this.find(gpa);
    if (r && gpa + size <= r.end && r.perms.write) {
      const o = gpa - r.start;
      for (let i = 0; i < size; i++) r.bytes[o + i] = (value >>> (8 * i)) & 0xff;
      return;
    }
    const tmp = new Uint8Array(size);
    for (let i = 0; i < size; i++) tmp[i] = (value >>> (8 * i)) & 0xff;
    this.write(gpa, tmp);
  }

  readU16(gpa: number): number {
    return this.readUint(gpa, 2);
  }
  readU32(gpa: number): number {
    return this.readUint(gpa, 4);
  }
  /** 64-bit values as bigint (exact). */
  readU64(gpa: number): bigint {
    return BigInt(this.readUint(gpa, 4)) | (BigInt(this.readUint(gpa + 4, 4)) << 32n);
  }
  writeU8(gpa: number, v: number): void {
    this.writeUint(gpa, 1, v);
  }
  writeU16(gpa: number, v: number): void {
    this.writeUint(gpa, 2, v);
  }
  writeU32(gpa: number, v: number): void {
    this.writeUint(gpa, 4, v);
  }
  writeU64(gpa: number, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.writeUint(gpa, 4, Number(u & 0xffffffffn));
    this.writeUint(gpa + 4, 4, Number(u >> 32n));
  }

  /** Fetch instruction bytes: needs execute permission (vm-memory has no such check). */
  fetch(gpa: number, out: Uint8Array): void {
    this.read(gpa, out, AccessKind.Execute);
  }

  /** A view: the same bytes, restricted to the given windows and perms (intersected with this memory's).
   * A device backend that was given only a DMA window sees only that window. */
  view(windows: { gpa: number; size: number; perms?: Perms }[]): GuestMemory {
    const out: GuestRegion[] = [];
    for (const w of windows) {
      for (const r of this.regions) {
        const from = Math.max(w.gpa, r.start);
        const to = Math.min(w.gpa + w.size, r.end);
        if (from >= to) continue;
        const p = w.perms ?? r.perms;
        out.push(r.slice(from, to, { read: p.read && r.perms.read, write: p.write && r.perms.write, execute: p.execute && r.perms.execute }));
      }
    }
    return new GuestMemory(out);
  }

  /** Total mapped bytes. */
  get size(): number {
    return this.regions.reduce((n, r) => n + r.size, 0);
  }
}

export type { Perms };

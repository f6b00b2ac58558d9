/** One guest-physical region (vm-memory's `GuestRegionMmap`): a start address, a size, the access the mapping grants,
 * and the host bytes that back it. The bytes are a view into the host memory, never a copy. */
export interface Perms {
  read: boolean;
  write: boolean;
  execute: boolean;
}

export const RWX: Perms = Object.freeze({ read: true, write: true, execute: true });

export class GuestRegion {
  readonly end: number;
  constructor(
    /** first guest-physical address */
    readonly start: number,
    /** host bytes backing [start, start + bytes.length) */
    readonly bytes: Uint8Array,
    readonly perms: Perms,
    /** where it came from (memory region name), for messages */
    readonly name: string,
  ) {
    this.end = start + bytes.length;
  }

  get size(): number {
    return this.bytes.length;
  }

  contains(gpa: number): boolean {
    return gpa >= this.start && gpa < this.end;
  }

  /** The sub-region [from, to) with narrower perms (a view). Shares the host bytes. */
  slice(from: number, to: number, perms: Perms): GuestRegion {
    return new GuestRegion(from, this.bytes.subarray(from - this.start, to - this.start), perms, this.name);
  }
}

/** Access kinds checked against a region's perms. */
export const enum AccessKind {
  Read = 0,
  Write = 1,
  Execute = 2,
}

export function allows(p: Perms, a: AccessKind): boolean {
  return a === AccessKind.Read ? p.read : a === AccessKind.Write ? p.write : p.execute;
}

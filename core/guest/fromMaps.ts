/** Guest memory built from a `<virtual_machine>`'s `<map>` elements: each map places a memory region at a
 * guest-physical address with the map's perms. The regions' bytes live in one host buffer (`HostMemory`), each
 * memory region once, so a region mapped into both the VMM and the guest is the same bytes for both. */
import { GuestMemory } from './memory';
import { GuestRegion, type Perms } from './region';

export interface VmMap {
  mr: string;
  /** guest-physical address */
  gpa: number;
  perms: Perms;
}

/** Host physical memory for guests: one contiguous buffer (the CPU model indexes it directly), memory regions
 * placed page-aligned one after another. */
export class HostMemory {
  readonly bytes: Uint8Array;
  private readonly offsets = new Map<string, number>();
  private readonly sizes = new Map<string, number>();

  constructor(regions: { name: string; size: number }[]) {
    let at = 0x1000; // host-physical 0 stays unused so a stray 0 pointer never hits a region
    for (const r of regions) {
      if (this.offsets.has(r.name)) continue;
      this.offsets.set(r.name, at);
      this.sizes.set(r.name, r.size);
      at += Math.ceil(r.size / 0x1000) * 0x1000;
    }
    this.bytes = new Uint8Array(at);
  }

  /** The bytes of one memory region (a view, not a copy). */
  region(name: string): Uint8Array {
    const off = this.offsets.get(name);
    if (off === undefined) throw new Error(`no memory region '${name}' in host memory`);
    return this.bytes.subarray(off, off + this.sizes.get(name)!);
  }

  has(name: string): boolean {
    return this.offsets.has(name);
  }
}

/** Guest memory for a VM from its map elements, backed by `host`. */
export function guestMemoryFromMaps(maps: VmMap[], host: HostMemory): GuestMemory {
  return new GuestMemory(maps.map((m) => new GuestRegion(m.gpa, host.region(m.mr), m.perms, m.mr)));
}

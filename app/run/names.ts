/** Names over numbers for the run views, from the system description (the SDF as last parsed): who is at the other
 * end of a PD's channel, what a PD's IRQ id is wired to, which memory region backs a guest-physical address. */
import type { SystemDescription } from '../../core/protocol';

type System = Pick<SystemDescription, 'protectionDomains' | 'channels' | 'memoryRegions'>;

/** A PD's channels: its local id and the PD at the other end, by id. */
export function pdChannels(system: System | null, pd: string): { id: number; peer: string }[] {
  if (!system) return [];
  const out: { id: number; peer: string }[] = [];
  for (const c of system.channels) {
    const [a, b] = c.ends;
    if (a.pd === pd) out.push({ id: a.id, peer: b.pd });
    if (b.pd === pd) out.push({ id: b.id, peer: a.pd });
  }
  return out.sort((x, y) => x.id - y.id);
}

/** A PD's IRQs: the local id and what it is wired to ("IOAPIC pin 8, vector 40"). */
export function pdIrqs(system: System | null, pd: string): { id: number; source: string }[] {
  const p = system?.protectionDomains.find((x) => x.name === pd);
  if (!p) return [];
  return p.irqs
    .map((i) => ({
      id: i.id,
      source:
        i.kind === 'ioapic' ? `IOAPIC pin ${i.pin}, vector ${i.vector}`
        : i.kind === 'msi' ? `MSI ${i.pcidev.bus}:${i.pcidev.device}.${i.pcidev.function}, vector ${i.vector}`
        : `IRQ ${i.irq}`,
    }))
    .sort((x, y) => x.id - y.id);
}

export interface GuestRegion {
  mr: string;
  base: number;
  size: number;
  perms: string;
}

/** The guest-physical maps of a VM (the first VM when `vm` is not given). */
export function guestRegions(system: System | null, vm?: string): GuestRegion[] {
  if (!system) return [];
  for (const p of system.protectionDomains) {
    const v = p.virtualMachine;
    if (!v || (vm !== undefined && v.name !== vm)) continue;
    return v.maps.flatMap((m) => {
      const mr = system.memoryRegions.find((r) => r.name === m.mr);
      if (!mr) return [];
      const perms = `${m.perms.read ? 'r' : ''}${m.perms.write ? 'w' : ''}${m.perms.execute ? 'x' : ''}`;
      return [{ mr: m.mr, base: Number(m.vaddr), size: Number(mr.size), perms }];
    });
  }
  return [];
}

/** Where a guest-physical address falls: "guest_ram+0x1000 (rwx)", or null when no region is mapped there. */
export function guestRegionAt(regions: GuestRegion[], gpa: number): string | null {
  const r = regions.find((x) => gpa >= x.base && gpa < x.base + x.size);
  if (!r) return null;
  return `${r.mr}${gpa > r.base ? `+0x${(gpa - r.base).toString(16)}` : ''} (${r.perms})`;
}

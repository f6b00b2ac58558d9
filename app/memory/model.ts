/** View models for the memory views: pure functions from a BuildDescription to segments, axis
 * positions, address-space rows and tracker bookkeeping figures. Addresses are doubles (all
 * physical and virtual addresses here are below 2^53, so they are exact). */
import type { AddressSpaceDesc, BuildDescription, MappingDesc } from '../../core/build';
import type { SystemDescription } from '../../core/protocol';

export const num = (hex: string): number => Number(BigInt(hex));
export const hexOf = (n: number): string => `0x${n.toString(16)}`;

export interface Segment {
  start: number;
  end: number;
  /** lane it is drawn in */
  lane: 'region' | 'untyped' | 'object' | 'frame';
  kind: string;
  label: string;
  /** untypeds: the watermark (bytes used from the start) */
  used?: number;
}

export const LANES: Segment['lane'][] = ['region', 'untyped', 'object', 'frame'];
export const LANE_TITLES: Record<Segment['lane'], string> = { region: 'Memory map', untyped: 'Untypeds', object: 'Kernel objects', frame: 'Frames' };

/** Everything drawn on the physical map, each lane sorted by address. */
export function physicalSegments(d: BuildDescription): Segment[] {
  const out: Segment[] = [];
  for (const r of d.physicalMemory) out.push({ start: num(r.start), end: num(r.end), lane: 'region', kind: r.kind, label: r.label });
  for (const u of d.untypeds) {
    const start = num(u.paddr);
    out.push({ start, end: start + 2 ** u.sizeBits, lane: 'untyped', kind: u.isDevice ? 'device' : 'ram', label: `untyped ${u.index} (${u.isDevice ? 'device' : 'RAM'}, 2^${u.sizeBits}, ${bytesText(num(u.watermark))} used)`, used: num(u.watermark) });
  }
  for (const o of d.objects) {
    if (o.paddr === null || o.sizeBits === 0) continue;
    const start = num(o.paddr);
    const frame = o.type.startsWith('Page');
    out.push({ start, end: start + 2 ** o.sizeBits, lane: frame ? 'frame' : 'object', kind: o.type, label: `${o.name} (${o.type})` });
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** A piecewise-linear address axis: each stretch between interesting addresses gets a width that
 * grows with its size (log-compressed) or equals it (linear), so a 4 KiB page next to 3 GiB of RAM
 * stays visible; within a stretch the axis is linear, so zooming in reaches single pages. */
export interface Axis {
  /** sorted breakpoints (addresses) and their positions, same length */
  addrs: number[];
  pos: number[];
  /** total width in axis units */
  width: number;
}

export function makeAxis(segments: readonly Pick<Segment, 'start' | 'end'>[], mode: 'log' | 'linear'): Axis {
  const set = new Set<number>();
  for (const s of segments) {
    set.add(s.start);
    set.add(s.end);
  }
  const addrs = [...set].sort((a, b) => a - b);
  const pos = [0];
  for (let i = 1; i < addrs.length; i++) {
    const size = addrs[i] - addrs[i - 1];
    pos.push(pos[i - 1] + (mode === 'linear' ? size : 1 + Math.log2(1 + size / 4096)));
  }
  if (addrs.length === 0) return { addrs: [0, 1], pos: [0, 1], width: 1 };
  return { addrs, pos, width: pos[pos.length - 1] || 1 };
}

function bisect(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function toAxis(a: Axis, addr: number): number {
  if (addr <= a.addrs[0]) return a.pos[0];
  const last = a.addrs.length - 1;
  if (addr >= a.addrs[last]) return a.pos[last];
  const i = bisect(a.addrs, addr);
  return a.pos[i] + ((addr - a.addrs[i]) / (a.addrs[i + 1] - a.addrs[i])) * (a.pos[i + 1] - a.pos[i]);
}

export function fromAxis(a: Axis, p: number): number {
  if (p <= a.pos[0]) return a.addrs[0];
  const last = a.pos.length - 1;
  if (p >= a.pos[last]) return a.addrs[last];
  const i = bisect(a.pos, p);
  return a.addrs[i] + ((p - a.pos[i]) / (a.pos[i + 1] - a.pos[i])) * (a.addrs[i + 1] - a.addrs[i]);
}

/** The segments of a lane under an address (innermost last), for hover and click. */
export function segmentsAt(segments: readonly Segment[], lane: Segment['lane'], addr: number): Segment[] {
  return segments.filter((s) => s.lane === lane && s.start <= addr && addr < s.end);
}

export interface SpaceRow {
  start: number;
  end: number;
  what: string;
  mr: string | null;
  rights: string;
  cached: boolean;
  pages: number;
  pageSize: number;
  paddr: number;
  /** the mappings the row stands for (addresses as in the description) */
  addrs: string[];
}

const WHAT: Record<string, string> = { elf: 'program image', stack: 'stack', ipc_buffer: 'IPC buffer', memory_region: 'memory region' };
export const whatText = (w: string): string => WHAT[w] ?? w;

/** An address space's mappings, adjacent pages of the same kind merged into one row. */
export function spaceRows(as: AddressSpaceDesc): SpaceRow[] {
  const ms = [...as.mappings].sort((a, b) => num(a.addr) - num(b.addr));
  const rows: SpaceRow[] = [];
  for (const m of ms) {
    const start = num(m.addr);
    const size = num(m.size);
    const last = rows[rows.length - 1];
    if (last && last.end === start && last.what === m.what && last.mr === m.mr && last.rights === m.rights && last.cached === m.cached && last.pageSize === size) {
      last.end += size;
      last.pages++;
      last.addrs.push(m.addr);
    } else rows.push({ start, end: start + size, what: m.what, mr: m.mr, rights: m.rights, cached: m.cached, pages: 1, pageSize: size, paddr: num(m.paddr), addrs: [m.addr] });
  }
  return rows;
}

/** What a per-4 KiB tracker (as sel4utils' vspace keeps) needs for an address space, against one
 * entry per mapping of any size. Entries are 16 bytes (the frame cap and a cookie per page). */
export const TRACKER_ENTRY_BYTES = 16;

export interface TrackerCost {
  mappings: number;
  bySize: { size: number; count: number }[];
  /** entries a per-4 KiB tracker keeps: one per 4 KiB of mapped memory */
  perPageEntries: number;
  perPageBytes: number;
  /** entries a large-page-aware tracker keeps: one per mapping */
  largePageEntries: number;
  largePageBytes: number;
}

export function trackerCost(mappings: readonly MappingDesc[]): TrackerCost {
  const bySize = new Map<number, number>();
  let perPage = 0;
  for (const m of mappings) {
    const size = num(m.size);
    bySize.set(size, (bySize.get(size) ?? 0) + 1);
    perPage += size / 4096;
  }
  return {
    mappings: mappings.length,
    bySize: [...bySize].sort((a, b) => a[0] - b[0]).map(([size, count]) => ({ size, count })),
    perPageEntries: perPage,
    perPageBytes: perPage * TRACKER_ENTRY_BYTES,
    largePageEntries: mappings.length,
    largePageBytes: mappings.length * TRACKER_ENTRY_BYTES,
  };
}

/** For a VM's guest-physical space: where the VMM (the PD holding the VM) sees each region. */
export function vmmViews(d: BuildDescription, ept: AddressSpaceDesc, system: SystemDescription | null): Map<string, { vmm: string; vaddr: number } | null> {
  const vmm = system?.protectionDomains.find((p) => p.virtualMachine?.name === ept.name)?.name ?? null;
  const vmmSpace = vmm ? d.addressSpaces.find((a) => a.kind === 'vspace' && a.name === vmm) : undefined;
  const out = new Map<string, { vmm: string; vaddr: number } | null>();
  for (const row of spaceRows(ept)) {
    const key = row.mr ?? '';
    if (out.has(key)) continue;
    const m = row.mr && vmmSpace ? vmmSpace.mappings.filter((x) => x.mr === row.mr).sort((a, b) => num(a.addr) - num(b.addr))[0] : undefined;
    out.set(key, m && vmm ? { vmm, vaddr: num(m.addr) } : null);
  }
  return out;
}

export function bytesText(n: number): string {
  const units: [number, string][] = [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
  for (const [size, unit] of units) if (n >= size) return `${+(n / size).toFixed(n % size === 0 ? 0 : 2)} ${unit}`;
  return `${n} B`;
}

/** "4K", "0x1000", "2 MiB", "1G" → bytes; null when it is not a size. */
export function parseSize(text: string): number | null {
  const t = text.trim().replace(/_/g, '');
  const m = /^(0x[0-9a-f]+|\d+(?:\.\d+)?)\s*(k|kib|kb|m|mib|mb|g|gib|gb|b)?$/i.exec(t);
  if (!m) return null;
  const base = m[1].toLowerCase().startsWith('0x') ? parseInt(m[1], 16) : Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 2 ** 10 : unit === 'm' ? 2 ** 20 : unit === 'g' ? 2 ** 30 : 1;
  const v = base * mult;
  return Number.isSafeInteger(v) && v > 0 ? v : null;
}

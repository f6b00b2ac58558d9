/** `setvar` values (microkit.md §C.8) and the tool's choice of physical address for `region_paddr`
 * memory regions without `phys_addr` on AArch64/RISC-V (§D.8: first fit in the RAM left over by the
 * allocation, aligned to the region's page size; the allocation is then replayed with that address fixed). */
import type { SystemDescription } from '../sdf';
import type { AllocationPlan, UntypedIn } from './allocationPlan';
import type { BuildSpec, SpecObject } from './spec';

export interface SetvarValue {
  pd: string;
  symbol: string;
  value: bigint;
}

/** Memory regions whose address some PD asks for and that have no fixed address. */
export function regionsNeedingPaddr(system: SystemDescription): Set<string> {
  const out = new Set<string>();
  for (const pd of system.protectionDomains) for (const sv of pd.setvars) if (sv.value.kind === 'region_paddr') out.add(sv.value.mr);
  for (const mr of system.memoryRegions) if (mr.physAddr !== null) out.delete(mr.name);
  return out;
}

/** Fix the frames of each named region at a first-fit address in the RAM the plan leaves free.
 * Returns the regions that found no room. */
export function placeRegions(spec: BuildSpec, plan: AllocationPlan, untypeds: readonly UntypedIn[], names: Set<string>): string[] {
  // free tail of every RAM untyped after the plan
  const usedEnd = new Map<number, bigint>();
  for (const op of plan.ops) {
    const end = op.paddr + (1n << BigInt(op.sizeBits));
    if (end > (usedEnd.get(op.ut) ?? 0n)) usedEnd.set(op.ut, end);
  }
  const free = untypeds
    .filter((u) => !u.isDevice)
    .map((u) => ({ start: usedEnd.get(u.index) ?? u.paddr, end: u.paddr + (1n << BigInt(u.sizeBits)) }))
    .sort((a, b) => (a.start < b.start ? -1 : 1));
  // merge adjacent runs
  const runs: { start: bigint; end: bigint }[] = [];
  for (const f of free) {
    const last = runs[runs.length - 1];
    if (last && last.end === f.start) last.end = f.end;
    else if (f.start < f.end) runs.push({ ...f });
  }
  const failed: string[] = [];
  const framesOf = new Map<string, SpecObject[]>();
  for (const o of spec.objects) if (o.kind === 'frame' && o.mr && names.has(o.mr)) framesOf.set(o.mr, [...(framesOf.get(o.mr) ?? []), o]);
  for (const name of names) {
    const frames = (framesOf.get(name) ?? []).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (frames.length === 0) continue;
    const page = 1n << BigInt(frames[0].sizeBits);
    const size = page * BigInt(frames.length);
    const run = runs.find((r) => ((r.start + page - 1n) & ~(page - 1n)) + size <= r.end);
    if (!run) { failed.push(name); continue; }
    const base = (run.start + page - 1n) & ~(page - 1n);
    frames.forEach((f, i) => (f.paddr = base + BigInt(i) * page));
    // keep what lies before the region usable for later regions only if it is still a separate run
    if (base > run.start) runs.splice(runs.indexOf(run), 0, { start: run.start, end: base });
    run.start = base + size;
  }
  return failed;
}

/** Every patched symbol's value, PD by PD (§C.8). */
export function setvarValues(system: SystemDescription, paddrOf: (mr: string) => bigint | null): SetvarValue[] {
  const mrs = new Map(system.memoryRegions.map((m) => [m.name, m]));
  const out: SetvarValue[] = [];
  for (const pd of system.protectionDomains) {
    for (const sv of pd.setvars) {
      const v = sv.value;
      let value: bigint | null;
      switch (v.kind) {
        case 'region_paddr': value = paddrOf(v.mr); break;
        case 'map_vaddr': value = v.vaddr; break;
        case 'map_size': value = mrs.get(v.mr)?.size ?? null; break;
        case 'map_prefill_size': { const p = mrs.get(v.mr)?.prefill; value = p?.kind === 'file' ? BigInt(p.data.length) : null; break; }
        case 'ioport_addr': value = v.addr; break;
        default: value = BigInt(v.id);
      }
      if (value !== null) out.push({ pd: pd.name, symbol: sv.symbol, value });
    }
  }
  return out;
}

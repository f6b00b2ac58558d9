/** Whole-system checks the tool runs after parsing, in its order (§B.15 rules 113–140). */
import type { Ctx } from './context';
import { pdMapLimit, vmMapLimit } from './context';
import type { MemoryRegion, ProtectionDomain, SourcePos } from './model';
import { MAX_IOVA } from './parseIoSpace';
import { hex, U64_MAX } from './numbers';
import { formatPci } from './pci';
import { RangeSet } from './overlap';
import type { ParsedSystem } from './parseSystem';

export const MAX_PDS = 63;
const LARGE_PAGE = 0x200000n;

interface MapLike {
  mr: string;
  addr: bigint;
  pos: SourcePos;
}

/** check_maps: region exists, alignment, overflow, limit, overlap (§B.15 rules 128–132, 134). */
function checkMaps(ctx: Ctx, s: ParsedSystem, mrByName: Map<string, MemoryRegion>, maps: MapLike[], element: 'map' | 'iomap', space: string, limit: bigint): void {
  const r = ctx.r;
  const addrName = element === 'map' ? 'vaddr' : 'iovaddr';
  const rangeName = element === 'map' ? 'virtual address range' : 'io address range';
  const done = new RangeSet<string>();
  for (const m of maps) {
    r.guard(() => {
      const mr = mrByName.get(m.mr);
      if (!mr) {
        if (s.brokenMrNames.has(m.mr)) return;
        throw r.located('B.15.map-mr', `invalid memory region name '${m.mr}' on '${element}'`, m.pos, { sep: ' @ ' });
      }
      if (m.addr % mr.pageSize !== 0n) throw r.located('B.15.map-align', `invalid ${addrName} alignment on '${element}'`, m.pos, { sep: ' @ ' });
      const start = m.addr;
      const end = start + mr.size;
      if (end > U64_MAX) throw r.located('B.15.map-overflow', `${element} for '${m.mr}' has address range that overflows`, m.pos, { sep: ' @ ' });
      if (end > limit) {
        throw r.located(
          'B.15.map-limit',
          `${element} for '${m.mr}' has ${rangeName} [${hex(start)}..${hex(end)}) which exceeds valid address space [0x0..${hex(limit)})`,
          m.pos,
          { sep: ' @ ' },
        );
      }
      const o = done.firstOverlap(start, end);
      if (o) {
        throw r.located(
          'B.15.map-overlap',
          `map for '${m.mr}' has ${rangeName} [${hex(start)}..${hex(end)}) which overlaps with map for '${o.value}' [${hex(o.start)}..${hex(o.end)}) in ${space}`,
          m.pos,
          { sep: ' @ ' },
        );
      }
      done.add(start, end, m.mr);
    });
  }
}

export function crossChecks(ctx: Ctx, s: ParsedSystem): void {
  const r = ctx.r;
  const k = ctx.kernel;
  const { pds, mrs } = s;
  const names = new Set(pds.map((p) => p.name));
  const mrByName = new Map<string, MemoryRegion>();
  for (const mr of mrs) if (!mrByName.has(mr.name)) mrByName.set(mr.name, mr);

  // 113: cap_* pd names
  for (const pd of pds) {
    for (const cap of pd.cspaceCaps) {
      r.guard(() => {
        if (!names.has(cap.pd)) throw r.located('B.15.cap-pd', `unknown PD name '${cap.pd}'`, cap.pos);
      });
    }
  }
  // 114, 115
  if (pds.length === 0) r.push(r.bare('B.15.no-pds', 'Error: at least one protection domain must be defined', s.root).diagnostic);
  if (pds.length > MAX_PDS) {
    r.push(r.bare('B.15.too-many-pds', `Error: too many protection domains (${pds.length}) defined. Maximum is ${MAX_PDS}.`, pds[MAX_PDS].pos).diagnostic);
  }
  // 116, 117 (interleaved per PD, as the tool does)
  const reported = new Set<string>();
  const pdsByName = groupBy(pds, (p) => p.name);
  for (const pd of pds) {
    if (pd.name === '' && s.brokenPdNames.has('')) continue;
    const same = pdsByName.get(pd.name)!;
    if (same.length > 1 && !reported.has(pd.name)) {
      reported.add(pd.name);
      r.push(r.bare('B.15.duplicate-pd', `Error: duplicate protection domain name '${pd.name}'.`, same[1].pos).diagnostic);
    }
    if (pd.name === 'monitor') r.push(r.bare('B.15.monitor-name', "Error: the PD name 'monitor' is reserved for the Microkit Monitor.", pd.pos).diagnostic);
  }
  // 118
  const mrReported = new Set<string>();
  const mrsByName = groupBy(mrs, (m) => m.name);
  for (const mr of mrs) {
    const same = mrsByName.get(mr.name)!;
    if (same.length > 1 && !mrReported.has(mr.name)) {
      mrReported.add(mr.name);
      r.push(r.bare('B.15.duplicate-mr', `Error: duplicate memory region name '${mr.name}'.`, same[1].pos).diagnostic);
    }
  }
  // 119, 120
  const vms = new Set<string>();
  for (const pd of pds) {
    const vm = pd.virtualMachine;
    if (vm) {
      if (vms.has(vm.name)) r.push(r.bare('B.15.duplicate-vm', `Error: duplicate virtual machine name '${vm.name}'.`, vm.pos).diagnostic);
      vms.add(vm.name);
    }
    if (k.arch === 'x86_64' && vm && pd.childIndices.length > 0) {
      r.push(r.located('B.15.vmm-children', `It is not possible for PD '${pd.name}' with a bound vCPU to have children on x86_64`, pd.pos).diagnostic);
    }
  }
  // 121: IRQ numbers (x86: vectors) unique system-wide
  const irqNums = new Set<bigint>();
  for (const pd of pds) {
    for (const irq of pd.irqs) {
      const n = irq.kind === 'conventional' ? irq.irq : BigInt(irq.vector);
      if (irqNums.has(n)) {
        r.push(r.located('B.15.duplicate-irq', `duplicate irq: ${n} in protection domain: '${pd.name}'`, pd.pos, { sep: ' @ ', focus: spanAt(irq.pos) }).diagnostic);
      } else irqNums.add(n);
    }
  }
  // 122, 123: channel ids (IRQ ids and channel ends share one space per PD)
  const ids: Set<number>[] = pds.map(() => new Set());
  for (const pd of pds) {
    for (const irq of pd.irqs) {
      if (ids[pd.pdIndex].has(irq.id)) {
        r.push(r.located('B.15.duplicate-channel-id', `duplicate channel id: ${irq.id} in protection domain: '${pd.name}'`, pd.pos, { sep: ' @ ', focus: spanAt(irq.pos) }).diagnostic);
      } else ids[pd.pdIndex].add(irq.id);
    }
  }
  for (const ch of s.channels) {
    r.guard(() => {
      const [a, b] = ch.ends;
      const pa = pds[a.pdIndex];
      const pb = pds[b.pdIndex];
      for (let e = 0; e < 2; e++) {
        const end = ch.ends[e];
        if (ids[end.pdIndex].has(end.id)) {
          const p = pds[end.pdIndex];
          throw r.located('B.15.duplicate-channel-id', `duplicate channel id: ${end.id} in protection domain: '${p.name}'`, p.pos, { sep: ' @ ', focus: spanAt(end.pos) });
        }
      }
      // a PD whose attributes failed has a made-up priority: don't judge its PPCs
      const judged = !s.brokenPdNames.has(pa.name) && !s.brokenPdNames.has(pb.name);
      if (judged && a.pp && pa.priority >= pb.priority) throw ppcPriority(ctx, ch.pos, pa, pb);
      if (judged && b.pp && pb.priority >= pa.priority) throw ppcPriority(ctx, ch.pos, pb, pa);
      if (k.arch === 'x86_64' && ((a.pp && pb.virtualMachine) || (b.pp && pa.virtualMachine))) {
        const [callee, caller] = a.pp ? [pb, pa] : [pa, pb];
        throw r.located('B.15.ppc-vmm', `It is not possible to PPC to PD '${callee.name}' with a bound vCPU from PD '${caller.name}' on x86_64`, pa.pos, {
          sep: ' @ ',
          focus: spanAt(ch.pos),
        });
      }
      ids[a.pdIndex].add(a.id);
      ids[b.pdIndex].add(b.id);
    });
  }
  // 126: ioport ids per PD
  for (const pd of pds) {
    const seen = new Set<number>();
    for (const io of pd.ioports) {
      if (seen.has(io.id)) {
        r.push(r.located('B.15.duplicate-ioport-id', `duplicate I/O port id: ${io.id} in protection domain: '${pd.name}'`, pd.pos, { sep: ' @ ', focus: spanAt(io.pos) }).diagnostic);
      } else seen.add(io.id);
    }
  }
  // 127: ioport ranges disjoint system-wide (the tool prints the PD's location for both)
  const seenPorts = new RangeSet<{ pd: (typeof pds)[number]; id: number }>();
  for (const pd of pds) {
    for (const io of pd.ioports) {
      const start = io.addr;
      const end = io.addr + io.size;
      const clash = seenPorts.firstOverlap(start, end);
      if (clash) {
        const msg =
          `I/O port id: ${io.id}, half-open range: [${hex(start)}, ${hex(end)}) in protection domain: '${pd.name}' @ ${r.loc(pd.pos)} ` +
          `overlaps with I/O port id: ${clash.value.id}, half-open range: [${hex(clash.start)}, ${hex(clash.end)}) in protection domain: '${clash.value.pd.name}' @ ${r.loc(clash.value.pd.pos)}`;
        r.push(r.bare('B.15.ioport-overlap', `Error: ${msg}`, pd.pos, spanAt(io.pos)).diagnostic);
        // the tool stops here; the port stays out of the set so later checks see the tool's set
        continue;
      }
      seenPorts.add(start, end, { pd, id: io.id });
    }
  }
  // 128–132: maps of each PD, then of its VM
  for (const pd of pds) {
    checkMaps(ctx, s, mrByName, pd.maps.map((m) => ({ mr: m.mr, addr: m.vaddr, pos: m.pos })), 'map', `protection domain '${pd.name}'`, pdMapLimit(k, pd.stackSize));
    const vm = pd.virtualMachine;
    if (vm) checkMaps(ctx, s, mrByName, vm.maps.map((m) => ({ mr: m.mr, addr: m.vaddr, pos: m.pos })), 'map', `virtual machine '${vm.name}'`, vmMapLimit(k));
  }
  // 133, 134: iomaps
  checkIoMaps(ctx, s, mrByName);
  // 135: user cap slots
  for (const pd of pds) {
    const bySlot = new Map<number, typeof pd.cspaceCaps>();
    for (const cap of pd.cspaceCaps) bySlot.set(cap.slot, [...(bySlot.get(cap.slot) ?? []), cap]);
    for (const [slot, caps] of bySlot) {
      if (caps.length > 1) {
        const kind = { tcb: 'Tcb', sc: 'Sc', vspace: 'VSpace' } as const;
        const lines = caps.map((c) => `\n  type ${kind[c.kind]} from '${c.pd}' at '${r.loc(c.pos)}'`).join('');
        r.push(r.bare('B.15.cap-slot', `Error: overlapping user caps in slot ${slot} of protection domain '${pd.name}':${lines}`, caps[1].pos).diagnostic);
        break;
      }
    }
  }
  // 136: fixed physical ranges disjoint
  const fixed = new RangeSet<MemoryRegion>();
  for (const mr of mrs) {
    if (mr.physAddr === null) continue;
    const start = mr.physAddr;
    const end = start + mr.size;
    const o = fixed.firstOverlap(start, end);
    if (o) {
      r.push(
        r.located(
          'B.15.phys-overlap',
          `memory region '${mr.name}' physical address range [${hex(start)}..${hex(end)}) overlaps with another memory region '${o.value.name}' [${hex(o.start)}..${hex(o.end)})`,
          mr.pos,
          { sep: ' @ ' },
        ).diagnostic,
      );
      // the tool stops here; keep the list as the tool would have it
      continue;
    }
    fixed.add(start, end, mr);
  }
}

function checkIoMaps(ctx: Ctx, s: ParsedSystem, mrByName: Map<string, MemoryRegion>): void {
  const r = ctx.r;
  const large2m = new Set(s.mrs.filter((mr) => mr.pageSize === LARGE_PAGE).map((mr) => mr.name));
  const large = s.ioSpaces.flatMap((sp) => sp.maps).find((m) => large2m.has(m.mr));
  if (large) {
    r.push(r.bare('B.15.iommu-large-page', 'Error: currently seL4 does not have large page support for the IOMMU', large.pos).diagnostic);
    return;
  }
  for (const sp of s.ioSpaces) {
    checkMaps(
      ctx,
      s,
      mrByName,
      sp.maps.map((m) => ({ mr: m.mr, addr: m.iovaddr, pos: m.pos })),
      'iomap',
      `PCI device ${formatPci(sp.peripheral)}`,
      MAX_IOVA + 1n,
    );
  }
}

function ppcPriority(ctx: Ctx, at: SourcePos, from: ProtectionDomain, to: ProtectionDomain) {
  return ctx.r.bare(
    'B.15.ppc-priority',
    `Error: PPCs must be to protection domains of strictly higher priorities; channel with PPC exists from pd ${from.name} (priority: ${from.priority}) to pd ${to.name} (priority: ${to.priority})`,
    at,
  );
}

function spanAt(p: SourcePos) {
  return { line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1 };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

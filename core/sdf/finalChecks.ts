/** The tail of the tool's `parse` (§B.15 rules 137–140: unused regions, 2 MiB page
 * promotion, setvar checks) and the checks the tool only makes later, while building,
 * or never makes because it crashes first (§B.16, §F) — decided here from the SDF alone. */
import type { Ctx } from './context';
import type { ParsedSystem } from './parseSystem';

const MAX_CHILD_ID = 61;

export function finalChecks(ctx: Ctx, s: ParsedSystem): void {
  const r = ctx.r;
  const k = ctx.kernel;
  const allMaps = s.pds.flatMap((p) => [...p.maps, ...(p.virtualMachine?.maps ?? [])]);
  const ioMapped = new Set(s.ioSpaces.flatMap((sp) => sp.maps.map((m) => m.mr)));

  const mapAddrs = new Map<string, bigint[]>();
  for (const m of allMaps) {
    const list = mapAddrs.get(m.mr);
    if (list) list.push(m.vaddr);
    else mapAddrs.set(m.mr, [m.vaddr]);
  }
  // 137: unused regions (iomaps do not count, as in the tool)
  for (const mr of s.mrs) {
    if (!mapAddrs.has(mr.name)) r.warn('B.15.unused-mr', `unused memory region '${mr.name}'`, mr.pos);
  }
  // 138: promote to 2 MiB pages when the size and every address allow it
  const largestFirst = [...k.pageSizes].reverse();
  for (const mr of s.mrs) {
    if (mr.pageSizeExplicit || ioMapped.has(mr.name)) continue;
    const largest = largestFirst.find((ps) => mr.size % ps === 0n) ?? mr.pageSize;
    if (largest === mr.pageSize) continue;
    const addrs = mapAddrs.get(mr.name) ?? [];
    const current = mr.pageSize;
    for (const ps of largestFirst) {
      if (ps <= current) continue;
      if (addrs.every((a) => a % ps === 0n) && (mr.physAddr === null || mr.physAddr % ps === 0n)) mr.pageSize = ps;
    }
  }
  // 139, 140
  const paddrTargets = new Set<string>();
  const mrsByName = new Map<string, typeof s.mrs>();
  for (const mr of s.mrs) {
    const list = mrsByName.get(mr.name);
    if (list) list.push(mr);
    else mrsByName.set(mr.name, [mr]);
  }
  for (const pd of s.pds) {
    for (const sv of pd.setvars) {
      if (sv.value.kind === 'region_paddr') paddrTargets.add(sv.value.mr);
      if (sv.value.kind === 'map_prefill_size') {
        const name = sv.value.mr;
        for (const mr of mrsByName.get(name) ?? []) {
          if (mr.prefill?.kind !== 'file') {
            r.push(r.bare('B.15.prefill-size', `Error: 'setvar_prefill_size' used for MR without a \`prefill_path\` @ '${mr.name}' ${r.loc(mr.pos)}`, mr.pos, sv.pos).diagnostic);
          }
        }
      }
    }
  }
  if (k.arch === 'x86_64') {
    for (const mr of s.mrs) {
      if (paddrTargets.has(mr.name) && mr.physAddr === null) {
        r.push(
          r.bare('B.15.region-paddr-x86', `Error: setvar with 'region_paddr' for MR without a specified paddr is unsupported on x86-64 @ '${mr.name}' ${r.loc(mr.pos)}`, mr.pos)
            .diagnostic,
        );
      }
    }
  }
  buildTimeChecks(ctx, s);
}

/** Checks the tool makes after parsing, or where it would crash instead (see SIMPLIFICATIONS.md). */
function buildTimeChecks(ctx: Ctx, s: ParsedSystem): void {
  const r = ctx.r;
  const k = ctx.kernel;
  const mrNames = new Set(s.mrs.map((m) => m.name));
  for (const pd of s.pds) {
    const vm = pd.virtualMachine;
    // B.16 rule 144: the spec builder asserts one vCPU per x86 VM
    if (k.arch === 'x86_64' && vm && vm.vcpus.length > 1) {
      r.push(r.bare('B.16.x86-vcpus', `Error: virtual machine '${vm.name}' has ${vm.vcpus.length} vcpus, but x86_64 virtual machines must have exactly one`, vm.pos).diagnostic);
    }
    // F.5: child ids are cap-slot offsets and badge bits; the tool does not range-check them
    if (pd.id !== null && pd.id > MAX_CHILD_ID) {
      r.push(r.value('F.5.child-id', s.pdEls[pd.pdIndex], `id must be < ${MAX_CHILD_ID + 1}`).diagnostic);
    }
    // F.15: region_paddr naming no region makes the tool crash later
    for (const sv of pd.setvars) {
      if (sv.value.kind === 'region_paddr') {
        const name = sv.value.mr;
        if (!mrNames.has(name) && !s.brokenMrNames.has(name)) {
          r.push(r.bare('F.15.region-paddr-unknown', `Error: setvar '${sv.symbol}' has 'region_paddr' naming unknown memory region '${name}' @ ${r.loc(sv.pos)}`, sv.pos).diagnostic);
        }
      }
    }
  }
  // B.16 rule 145 (AArch64/RISC-V boot emulation), the part decidable from the kernel
  // configuration: a fixed-address frame above the physical address space fits no untyped
  if (k.arch !== 'x86_64') {
    const top = 1n << BigInt(k.physAddrBits);
    const bad = s.mrs
      .filter((mr) => mr.physAddr !== null && mr.size > 0n && mr.physAddr + mr.size > top)
      .map((mr) => {
        const first = mr.physAddr! >= top ? 0n : (top - mr.physAddr!) / mr.pageSize;
        return { mr, index: first, paddr: mr.physAddr! + first * mr.pageSize };
      })
      .sort((a, b) => (a.paddr < b.paddr ? -1 : a.paddr > b.paddr ? 1 : 0));
    for (const b of bad) {
      const name = `frame_mr_${b.mr.name}_${b.index.toString().padStart(9, '0')}`;
      const range = `0x${b.paddr.toString(16).padStart(12, '0')}..0x${(b.paddr + b.mr.pageSize).toString(16).padStart(12, '0')}`;
      const msg = `object '${name}', with paddr ${range} is not in any valid memory region.`;
      r.push(r.bare('B.16.paddr-range', `ERROR: ${msg}`, b.mr.pos, undefined, msg).diagnostic);
    }
  }
  // F.15: a size-0 region has no frames; the tool fails later
  for (const mr of s.mrs) {
    if (mr.size === 0n) r.push(r.bare('F.15.mr-size-zero', `Error: memory region '${mr.name}' has size 0 @ ${r.loc(mr.pos)}`, mr.pos).diagnostic);
  }
}

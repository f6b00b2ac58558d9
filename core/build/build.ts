/** buildSystem: SDF system → capDL spec → boot image → kernel boot → allocation plan →
 * the initialiser's invocations → a description. Problems become diagnostics tied to the SDF. */
import { boardKernel, type Board } from '../boards';
import { bootKernel, type Booted, type Kernel } from '../kernel';
import type { Diagnostic, ProtectionDomain, SystemDescription } from '../sdf';
import { planAllocation, type AllocationPlan } from './allocationPlan';
import { layoutBootImage, type BootImage, type BootMode } from './bootImage';
import { describe, type BuildDescription } from './description';
import { BuildFail, buildDiag, humanSize } from './errors';
import { answerAllocation, freeRuns, largestRun, untypedStates } from './freeMemory';
import { runInitialiser, type Realised } from './initialiser';
import type { BuildSpec, SpecObject } from './spec';
import { regionsNeedingPaddr, placeRegions, setvarValues, type SetvarValue } from './setvars';
import { buildSpec, sortSpec } from './specBuilder';

/** Microkit's SDK builds seL4 with KernelRootCNodeSizeBits = 17 (build_sdk.py). */
export const MICROKIT_ROOT_CNODE_BITS = 17;

export interface BuildOptions {
  board: Board;
  bootMode?: BootMode;
  /** build for the board's `smp-` kernel configuration (more cores, one domain) */
  smp?: boolean;
  /** byte size of each PD program, keyed by its `program_image` path (the `.elf` name); missing → empty program */
  images?: Readonly<Record<string, number>>;
}

export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** the kernel state the runtime starts from (null when the build failed before or during boot) */
  kernel: Kernel | null;
  booted: Booted | null;
  spec: BuildSpec | null;
  plan: AllocationPlan | null;
  realised: Realised | null;
  image: BootImage | null;
  description: BuildDescription | null;
  /** every patched symbol's value (§C.8), for the runtime's `setvar` reads */
  setvars: SetvarValue[];
}

const hex12 = (x: bigint): string => `0x${x.toString(16).padStart(12, '0')}`;

export function buildSystem(system: SystemDescription, opts: BuildOptions): BuildResult {
  const board = opts.board;
  const kernel = boardKernel(board, { smp: opts.smp });
  const bootMode = opts.bootMode ?? 'current';
  const result: BuildResult = { ok: false, diagnostics: [], kernel: null, booted: null, spec: null, plan: null, realised: null, image: null, description: null, setvars: [] };
  const programSize = (pd: ProtectionDomain): number => opts.images?.[pd.programImage.path] ?? 0;
  try {
    warnUnknownPhysAddrs(system, board, result.diagnostics);
    if (result.diagnostics.some((d) => d.severity === 'error')) return result;
    const spec = buildSpec(system, { kernel, programSize });
    result.spec = spec;
    // A/R: regions whose address a PD asks for get one chosen by the tool (§D.8), so they are never embedded
    const wanted = kernel.arch === 'x86_64' ? new Set<string>() : regionsNeedingPaddr(system);
    for (const o of spec.objects) if (o.kind === 'frame' && o.mr && wanted.has(o.mr)) o.willBePlaced = true;
    const image = layoutBootImage(board, spec, bootMode);
    result.image = image;
    if (bootMode === 'legacy') sortSpec(spec);
    const last = image.legacyRegion ?? image.rootImage;
    if (!board.ram.some((r) => r.start <= image.rootImage.start && last.end <= r.end)) {
      throw new BuildFail(buildDiag('D.boot-image', `Error: the boot image (kernel, initial task${image.legacyRegion ? ' and PD images' : ''}) ends at ${hex12(last.end)}, outside the board's RAM`, system.pos));
    }
    let booted: Booted;
    try {
      booted = bootKernel(board, {
        rootServerImageSize: image.rootImageBytes,
        extraDeviceRanges: image.legacyRegion ? [image.legacyRegion] : [],
        rootCNodeSizeBits: MICROKIT_ROOT_CNODE_BITS,
        cores: kernel.cores,
      });
    } catch (e) {
      throw new BuildFail(buildDiag('D.boot', `Error: kernel boot failed: ${(e as Error).message}`, system.pos));
    }
    result.booted = booted;
    result.kernel = booted.kernel;
    const untypeds = booted.bootinfo.untypedList.map((u, index) => ({ index, ...u }));
    // embedded frames are pages of the initial task's image: the initialiser skips them
    const toAllocate = (): SpecObject[] => spec.objects.filter((o) => o.embeddedOffset === undefined);
    let plan = planAllocation(toAllocate(), untypeds);
    // A/R: the tool picks addresses for region_paddr regions in the leftover RAM, then replays (§D.8)
    if (wanted.size > 0 && plan.shortfall.length === 0) {
      for (const name of placeRegions(spec, plan, untypeds, wanted)) {
        const mr = system.memoryRegions.find((m) => m.name === name)!;
        result.diagnostics.push(buildDiag('D.region-paddr', `Error: no room in RAM for memory region '${name}' whose physical address is requested by a setvar`, mr.pos));
      }
      if (result.diagnostics.some((d) => d.severity === 'error')) return result;
      sortSpec(spec);
      plan = planAllocation(toAllocate(), untypeds);
    }
    result.plan = plan;
    if (reportPlanErrors(plan, result.diagnostics, system)) return result;
    result.realised = runInitialiser(booted, spec, plan, kernel.arch);
    const firstFrame = new Map<string, SpecObject>();
    for (const o of spec.objects) if (o.kind === 'frame' && o.mr && o.name.endsWith('_000000000')) firstFrame.set(o.mr, o);
    const mrPaddr = (mr: string): bigint | null => {
      const f = firstFrame.get(mr);
      return f ? plan.paddrOf.get(f) ?? result.kernel!.objects[result.realised!.kernelId.get(f) ?? -1]?.paddr ?? null : null;
    };
    result.setvars = setvarValues(system, mrPaddr);
    result.description = describe({ boardName: board.name, arch: kernel.arch, bootMode, spec, plan, booted, realised: result.realised, image, setvars: result.setvars });
    result.ok = true;
  } catch (e) {
    if (e instanceof BuildFail) result.diagnostics.push(e.diagnostic);
    else throw e;
  }
  return result;
}

/** A fixed address beyond the board's physical address space cannot exist; one in neither the board's
 * RAM nor one of its known devices is likely a typo (or a region copied from another board's system). */
function warnUnknownPhysAddrs(system: SystemDescription, board: Board, out: Diagnostic[]): void {
  const top = 1n << BigInt(board.kernel.physAddrBits);
  for (const mr of system.memoryRegions) {
    if (mr.physAddr === null) continue;
    const start = mr.physAddr;
    const end = start + mr.size;
    if (end > top) {
      out.push(buildDiag('D.paddr-range', `Error: memory region '${mr.name}' at [${hex12(start)}..${hex12(end)}) lies beyond the ${board.kernel.physAddrBits}-bit physical address space of board '${board.name}'`, mr.pos));
      continue;
    }
    const inside = [...board.ram, ...board.devices].some((r) => start >= r.start && end <= r.end);
    if (!inside) {
      out.push(buildDiag('D.paddr-unknown', `warning: memory region '${mr.name}' at [${hex12(start)}..${hex12(end)}) is neither RAM nor a known device of board '${board.name}'`, mr.pos, 'warning'));
    }
  }
}

/** The tool's allocation errors (and the ones it leaves to a boot-time panic), one per cause. */
function reportPlanErrors(plan: AllocationPlan, out: Diagnostic[], system: SystemDescription): boolean {
  const before = out.length;
  const seenMr = new Set<string>();
  for (const o of plan.outside) {
    const key = o.mr ?? o.name;
    if (seenMr.has(key)) continue;
    seenMr.add(key);
    const end = o.paddr! + (1n << BigInt(o.sizeBits));
    out.push(buildDiag('D.paddr-invalid', `ERROR: object '${o.name}', with paddr ${hex12(o.paddr!)}..${hex12(end)} is not in any valid memory region.`, o.pos));
  }
  for (const { obj, previous } of plan.overlapping) {
    const key = `${obj.mr ?? obj.name}/${previous.mr ?? previous.name}`;
    if (seenMr.has(key)) continue;
    seenMr.add(key);
    out.push(buildDiag('D.paddr-overlap', `Error: '${obj.name}' at physical address ${hex12(obj.paddr!)} overlaps '${previous.name}'${obj.mr && previous.mr ? ` (memory regions '${obj.mr}' and '${previous.mr}' share physical memory)` : ''}`, obj.pos));
  }
  for (const s of plan.shortfall) {
    const each = 1n << BigInt(s.sizeBits);
    out.push(buildDiag('D.out-of-memory',
      `ERROR: ran out of untypeds for allocating objects of size ${humanSize(each)}, still need to create ${s.count} objects which requires ${humanSize(each * BigInt(s.count))} of additional memory.`,
      s.first.pos ?? system.pos));
  }
  return out.length > before;
}

/** The largest block of RAM still allocatable after boot. */
export function largestFreeBlock(result: BuildResult): { paddr: bigint; size: bigint } | null {
  if (!result.booted) return null;
  const r = largestRun(freeRuns(untypedStates(result.booted)));
  return r ? { paddr: r.start, size: r.end - r.start } : null;
}

/** "Can I get `bytes` contiguous bytes aligned to `align` after boot?" — yes or no, with the reason. */
export function canAllocate(result: BuildResult, bytes: bigint | number, align: bigint | number = 0x1000n): { ok: boolean; reason: string; paddr?: bigint } {
  if (!result.booted) return { ok: false, reason: 'no: the system did not build' };
  return answerAllocation(freeRuns(untypedStates(result.booted)), BigInt(bytes), BigInt(align));
}

export function describeBuild(result: BuildResult): BuildDescription | null {
  return result.description;
}

/** What the boot loader hands the kernel, in each boot mode (microkit.md §E):
 *  - `current` (Microkit ≥ 2.1): the initial task is the capDL initialiser carrying the spec and
 *    every frame's initial contents; the initialiser copies them into fresh (zeroed) RAM frames.
 *  - `legacy` (≤ 2.0, the device-untyped kernel patch, §E.3): the loader places the PD images in
 *    RAM right after the initial task and the kernel reports that range as device memory, so the
 *    PD image frames are carved, unzeroed, at those fixed addresses. */
import type { Board, PhysRange } from '../boards';
import { PAGE_4K } from './constants';
import type { BuildSpec, SpecObject } from './spec';

export type BootMode = 'current' | 'legacy';

/** size of the capDL initialiser's own code and data (see SIMPLIFICATIONS.md) */
export const INITIALISER_CODE_BYTES = 0x4_0000n;
/** serialised spec: bytes per object and per cap entry (see SIMPLIFICATIONS.md) */
export const SPEC_BYTES_PER_OBJECT = 48n;
export const SPEC_BYTES_PER_CAP = 24n;

const roundUp = (x: bigint, a: bigint): bigint => ((x + a - 1n) / a) * a;

export interface BootImage {
  /** bytes of the initial task's image */
  rootImageBytes: bigint;
  /** [start, end) of the initial task's image (right after the kernel image) */
  rootImage: PhysRange;
  /** legacy mode: the PD images, reported to the kernel as device memory */
  legacyRegion: PhysRange | null;
  specBytes: bigint;
  /** frame contents carried inside the initial task (current mode) */
  embeddedBytes: bigint;
}

function specBytes(spec: BuildSpec): bigint {
  let caps = 0n;
  for (const o of spec.objects) caps += BigInt(o.slots.size);
  return BigInt(spec.objects.length) * SPEC_BYTES_PER_OBJECT + caps * SPEC_BYTES_PER_CAP;
}

/** ELF frames the loader places in legacy mode: every PD's (not the monitor's), PD by PD. */
export function legacyImageFrames(spec: BuildSpec): SpecObject[] {
  const out: SpecObject[] = [];
  for (const pd of spec.pds) {
    const prefix = `frame_elf_${pd.name}_`;
    for (const o of spec.objects) if (o.kind === 'frame' && o.fill === 'elf' && o.name.startsWith(prefix) && /^\d{9}$/.test(o.name.slice(prefix.length))) out.push(o);
  }
  return out;
}

/** Lay out the boot image; in legacy mode this also fixes the physical address of each PD image frame. */
export function layoutBootImage(board: Board, spec: BuildSpec, mode: BootMode): BootImage {
  const sb = specBytes(spec);
  const legacyFrames = mode === 'legacy' ? new Set(legacyImageFrames(spec)) : new Set<SpecObject>();
  let embedded = 0n;
  for (const o of spec.objects) {
    if (o.kind !== 'frame' || legacyFrames.has(o)) continue;
    if (o.fill === 'elf' || o.fill === 'prefill') embedded += BigInt(o.fillBytes ?? 0);
  }
  const rootImageBytes = roundUp(INITIALISER_CODE_BYTES + sb + embedded, PAGE_4K);
  const start = roundUp(board.kernelImage.end, PAGE_4K);
  const rootImage: PhysRange = { start, end: start + rootImageBytes, name: 'initial task image (capDL initialiser)' };
  let legacyRegion: PhysRange | null = null;
  if (mode === 'legacy') {
    let p = rootImage.end;
    for (const f of legacyFrames) {
      f.paddr = p;
      p += PAGE_4K;
    }
    legacyRegion = { start: rootImage.end, end: p, name: 'PD images (loader-placed, reported as device memory)' };
  }
  return { rootImageBytes, rootImage, legacyRegion, specBytes: sb, embeddedBytes: embedded };
}

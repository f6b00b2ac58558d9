/** What the boot loader hands the kernel, in each boot mode (microkit.md §E):
 *  - `current` (Microkit ≥ 2.1): the initial task is the capDL initialiser carrying the spec and the
 *    frames' initial contents. As the tool packs it (`embed_frames = true`), every 4 KiB frame with
 *    contents and no fixed address is *embedded*: it is a page of the initial task's own image, used in
 *    place rather than retyped; other contents (large pages, partial prefills) travel compressed and are
 *    copied into fresh frames.
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
  /** frames used in place from the image */
  embeddedFrames: number;
  /** contents carried for frames the initialiser fills after creating them */
  fillBytes: bigint;
}

function specBytes(spec: BuildSpec): bigint {
  let caps = 0n;
  for (const o of spec.objects) caps += BigInt(o.slots.size);
  return BigInt(spec.objects.length) * SPEC_BYTES_PER_OBJECT + caps * SPEC_BYTES_PER_CAP;
}

/** ELF frames the loader places in legacy mode: every PD's (not the monitor's), PD by PD. */
export function legacyImageFrames(spec: BuildSpec): SpecObject[] {
  const out: SpecObject[] = [];
  const byPrefix = new Map<string, SpecObject[]>();
  for (const o of spec.objects) {
    if (o.kind !== 'frame' || o.fill !== 'elf') continue;
    const prefix = o.name.slice(0, -9);
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), o]);
  }
  for (const pd of spec.pds) out.push(...(byPrefix.get(`frame_elf_${pd.name}_`) ?? []).sort((a, b) => (a.name < b.name ? -1 : 1)));
  return out;
}

/** The tool's rule: a 4 KiB frame with contents (not boot-time data) and no fixed address. */
export function canEmbed(o: SpecObject): boolean {
  return o.kind === 'frame' && o.sizeBits === 12 && o.paddr === null && !o.willBePlaced && (o.fill === 'elf' || o.fill === 'prefill');
}

/** Lay out the boot image: fixes each legacy PD image frame's address, and each embedded frame's offset. */
export function layoutBootImage(board: Board, spec: BuildSpec, mode: BootMode): BootImage {
  const start = roundUp(board.kernelImage.end, PAGE_4K);
  let legacyFrames: SpecObject[] = [];
  if (mode === 'legacy') legacyFrames = legacyImageFrames(spec);
  // legacy frames get their addresses once the image size is known; they are never embedded
  for (const f of legacyFrames) f.paddr = 0n;
  const sb = specBytes(spec);
  let offset = roundUp(INITIALISER_CODE_BYTES + sb, PAGE_4K);
  let embedded = 0;
  let fill = 0n;
  for (const o of spec.objects) {
    o.embeddedOffset = undefined;
    if (canEmbed(o)) {
      o.embeddedOffset = offset;
      offset += PAGE_4K;
      embedded++;
    } else if (o.kind === 'frame' && o.paddr === null && (o.fill === 'elf' || o.fill === 'prefill')) {
      fill += BigInt(o.fillBytes ?? 0);
    }
  }
  const rootImageBytes = roundUp(offset + fill, PAGE_4K);
  const rootImage: PhysRange = { start, end: start + rootImageBytes, name: 'initial task image (capDL initialiser, spec, embedded frames)' };
  let legacyRegion: PhysRange | null = null;
  if (mode === 'legacy') {
    let p = rootImage.end;
    for (const f of legacyFrames) {
      f.paddr = p;
      p += PAGE_4K;
    }
    legacyRegion = { start: rootImage.end, end: p, name: 'PD images (loader-placed, reported as device memory)' };
  }
  return { rootImageBytes, rootImage, legacyRegion, specBytes: sb, embeddedFrames: embedded, fillBytes: fill };
}

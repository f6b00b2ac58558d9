/** Synthetic program images. A PD's program is JavaScript, so there is no ELF; the build gives it the
 * shape libmicrokit's linker script gives a real one (§D.6): code at 0x200000, then data/bss on the next
 * page. Only the sizes matter for the build (see SIMPLIFICATIONS.md for the numbers chosen). */
import { PAGE_4K, PROGRAM_LINK_VADDR } from './constants';
import type { ImageSegment } from './spec';

/** bytes of libmicrokit (or monitor) code linked in front of the program's own code */
export const RUNTIME_TEXT_BYTES = 0x1800n;
/** libmicrokit's data + bss (name, channel masks, patched setvar symbols) */
export const RUNTIME_DATA_BYTES = 0x800n;
export const RUNTIME_BSS_BYTES = 0x800n;
/** the monitor: code, then data (PD names, TCB caps, stack bottoms for 64 PDs) */
export const MONITOR_TEXT_BYTES = 0x3000n;
export const MONITOR_DATA_BYTES = 0x2000n;
export const MONITOR_BSS_BYTES = 0x1000n;

const roundUp = (x: bigint, a: bigint): bigint => ((x + a - 1n) / a) * a;

function layout(text: bigint, data: bigint, bss: bigint): ImageSegment[] {
  const dataStart = roundUp(PROGRAM_LINK_VADDR + text, PAGE_4K);
  return [
    { vaddr: PROGRAM_LINK_VADDR, memSize: text, fileSize: text, read: true, write: false, execute: true },
    { vaddr: dataStart, memSize: data + bss, fileSize: data, read: true, write: true, execute: false },
  ];
}

/** Image of a PD whose program has `programBytes` bytes of source. */
export function pdImage(programBytes: number): ImageSegment[] {
  return layout(RUNTIME_TEXT_BYTES + BigInt(programBytes), RUNTIME_DATA_BYTES, RUNTIME_BSS_BYTES);
}

export function monitorImage(): ImageSegment[] {
  return layout(MONITOR_TEXT_BYTES, MONITOR_DATA_BYTES, MONITOR_BSS_BYTES);
}

/** Entry point: start of the text segment. */
export function imageEntry(segs: ImageSegment[]): bigint {
  return segs[0].vaddr;
}

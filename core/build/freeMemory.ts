/** What is still allocatable after boot: the unused tail of every RAM untyped (an untyped with no
 * children is wholly free: its first retype resets it). Adjacent free tails form one contiguous run
 * when the later untyped is untouched, because consecutive retypes can continue across them. */
import { hasChildren, type Booted } from '../kernel';

export interface FreeRun {
  start: bigint;
  end: bigint;
  /** bootinfo untyped indices the run spans */
  untypeds: number[];
}

export interface UntypedState {
  index: number;
  slot: number;
  paddr: bigint;
  sizeBits: number;
  isDevice: boolean;
  /** bytes used from the start (0 when untouched) */
  used: bigint;
  /** retyped at least once since boot */
  touched: boolean;
}

export function untypedStates(booted: Booted): UntypedState[] {
  const { kernel: k, bootinfo } = booted;
  return bootinfo.untypedList.map((u, i) => {
    const slot = booted.rootCNode.slotBase + bootinfo.untyped.start + i;
    const cap = k.slots.caps[slot]!;
    const touched = hasChildren(k, slot);
    const used = touched ? BigInt(cap.freeIndex) * 16n : 0n;
    return { index: i, slot, paddr: u.paddr, sizeBits: u.sizeBits, isDevice: u.isDevice, used, touched };
  });
}

export function freeRuns(states: UntypedState[]): FreeRun[] {
  const ram = states.filter((u) => !u.isDevice).sort((a, b) => (a.paddr < b.paddr ? -1 : 1));
  const runs: FreeRun[] = [];
  for (const u of ram) {
    const end = u.paddr + (1n << BigInt(u.sizeBits));
    const start = u.paddr + u.used;
    if (start >= end) continue;
    const last = runs[runs.length - 1];
    if (last && last.end === start && u.used === 0n) {
      last.end = end;
      last.untypeds.push(u.index);
    } else {
      runs.push({ start, end, untypeds: [u.index] });
    }
  }
  return runs;
}

export function largestRun(runs: FreeRun[]): FreeRun | null {
  let best: FreeRun | null = null;
  for (const r of runs) if (!best || r.end - r.start > best.end - best.start) best = r;
  return best;
}

const hex = (x: bigint): string => `0x${x.toString(16)}`;

/** "Can I get `bytes` contiguous bytes aligned to `align`?" with the reason. */
export function answerAllocation(runs: FreeRun[], bytes: bigint, align: bigint): { ok: boolean; reason: string; paddr?: bigint } {
  if (bytes <= 0n) return { ok: false, reason: 'the size must be at least 1 byte' };
  if (align <= 0n || (align & (align - 1n)) !== 0n) return { ok: false, reason: `the alignment ${hex(align)} is not a power of two` };
  let bestAligned = 0n;
  for (const r of runs) {
    const s = (r.start + align - 1n) & ~(align - 1n);
    if (s + bytes <= r.end) {
      return { ok: true, paddr: s, reason: `yes: [${hex(s)}..${hex(s + bytes)}) is free (untyped${r.untypeds.length > 1 ? 's' : ''} ${r.untypeds.join(', ')})` };
    }
    if (s < r.end && r.end - s > bestAligned) bestAligned = r.end - s;
  }
  const largest = largestRun(runs);
  if (!largest) return { ok: false, reason: 'no: no RAM is left after boot' };
  const size = largest.end - largest.start;
  if (size >= bytes) return { ok: false, reason: `no: the largest free block (${hex(size)} bytes at ${hex(largest.start)}) is big enough, but no free block holds ${hex(bytes)} bytes at a ${hex(align)}-aligned address (best: ${hex(bestAligned)} bytes)` };
  return { ok: false, reason: `no: the largest free block is ${hex(size)} bytes at ${hex(largest.start)}, smaller than ${hex(bytes)}` };
}

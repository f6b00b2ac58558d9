/** Lookups on an assembler line map, for the editor (line → address) and the
 * disassembly view (address → line). Entries are in source order with ascending
 * addresses, so the address lookup is a binary search. */
import type { LineMapEntry } from './assembler';

export function addressOfLine(map: readonly LineMapEntry[], line: number): number | undefined {
  return map.find((e) => e.line === line)?.address;
}

/** The source line whose bytes include `address` (zero-length lines never match). */
export function lineOfAddress(map: readonly LineMapEntry[], address: number): number | undefined {
  let lo = 0;
  let hi = map.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid].address <= address) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // several entries can share an address (labels, empty lines): the one with bytes owns it
  for (let i = found; i >= 0; i--) {
    const e = map[i];
    if (e.length > 0) return address < e.address + e.length ? e.line : undefined;
  }
  return undefined;
}

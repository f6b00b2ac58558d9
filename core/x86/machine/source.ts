/** The first `bits N` / `[bits N]` directive of an assembly source, if any (the flat machine
 * starts in that mode unless --mode says otherwise). */
export function sourceBits(source: string): 16 | 32 | 64 | null {
  for (const raw of source.split('\n')) {
    const line = raw.replace(/;.*/, '').trim().toLowerCase();
    const m = /^\[?\s*bits\s+(16|32|64)\s*\]?$/.exec(line) ?? /^use(16|32|64)$/.exec(line);
    if (m) return Number(m[1]) as 16 | 32 | 64;
  }
  return null;
}

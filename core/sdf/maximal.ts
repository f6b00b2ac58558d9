/** A generated system at the tool's limits (63 PDs, every channel id of every PD used,
 * many maps and memory regions): the benchmark and the scale tests use it. */
export function maximalSystem(opts: { pds?: number; mapsPerPd?: number } = {}): string {
  const n = opts.pds ?? 63;
  const maps = opts.mapsPerPd ?? 16;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<system>'];
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < maps; m++) {
      const big = m % 4 === 0;
      out.push(`  <memory_region name="mr_${i}_${m}" size="${big ? '0x200_000' : '0x4000'}"${m === 1 ? ` phys_addr="0x${(0x1_0000_0000 + i * 0x10_0000).toString(16)}"` : ''} />`);
    }
  }
  for (let i = 0; i < n; i++) {
    out.push(`  <protection_domain name="pd_${i}" priority="${i + 1}" budget="100" period="1000" stack_size="0x4000">`);
    out.push(`    <program_image path="pd_${i}.elf" />`);
    for (let m = 0; m < maps; m++) {
      const vaddr = 0x1000_0000 + m * 0x20_0000;
      out.push(`    <map mr="mr_${i}_${m}" vaddr="0x${vaddr.toString(16)}" perms="rw" setvar_vaddr="mr_${m}_vaddr" />`);
    }
    out.push(`    <setvar symbol="mr_1_paddr" region_paddr="mr_${i}_1" />`);
    out.push('  </protection_domain>');
  }
  // PD i talks to every other PD: 62 channel ends each, ids 0..61
  const idOf = (self: number, peer: number) => (peer < self ? peer : peer - 1);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const pp = (i + j) % 3 === 0 ? ' pp="true"' : '';
      out.push(`  <channel>\n    <end pd="pd_${i}" id="${idOf(i, j)}"${pp} />\n    <end pd="pd_${j}" id="${idOf(j, i)}" />\n  </channel>`);
    }
  }
  out.push('</system>', '');
  return out.join('\n');
}

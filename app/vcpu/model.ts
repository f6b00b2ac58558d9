/** View models of the VCPU view: hex dump rows of guest memory, and the short form of a 64-bit register. */

/** "0x0000000000001062" → "0x1062" (the full width stays in the tooltip). */
export function shortHex(v: string): string {
  const t = v.replace(/^0x/, '').replace(/^0+/, '');
  return `0x${t || '0'}`;
}

export interface HexRow {
  address: string;
  bytes: string[];
  ascii: string;
}

/** 16 bytes a row; unmapped bytes show as "··". */
export function hexRows(base: number, bytes: (number | null)[]): HexRow[] {
  const rows: HexRow[] = [];
  for (let o = 0; o < bytes.length; o += 16) {
    const chunk = bytes.slice(o, o + 16);
    rows.push({
      address: `0x${(base + o).toString(16).padStart(8, '0')}`,
      bytes: chunk.map((b) => (b === null ? '··' : b.toString(16).padStart(2, '0'))),
      ascii: chunk.map((b) => (b !== null && b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join(''),
    });
  }
  return rows;
}

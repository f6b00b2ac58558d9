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

/** The largest guest-physical address: EPT translates at most 52 address bits (MAXPHYADDR ≤ 52). */
export const MAX_GPA = 2 ** 52 - 1;

/** A guest-physical address typed by the user (0x… hex or decimal), or why it is not one. Parsed exactly (BigInt),
 * so an address too large for the guest is refused rather than rounded. */
export function parseGuestAddress(text: string): { gpa: number } | { error: string } {
  const t = text.trim().replace(/_/g, '');
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) return { error: 'not an address: type hex (0x…) or decimal' };
  const v = BigInt(t);
  if (v > BigInt(MAX_GPA)) return { error: `past the largest guest-physical address (0x${MAX_GPA.toString(16)})` };
  return { gpa: Number(v) };
}

/** What the user sees under the hex dump: which memory region is there, or why nothing is. */
export function memoryNote(gpa: number, bytes: (number | null)[], where: string | null, mapped: string[]): string {
  if (bytes.length > 0 && bytes.every((b) => b === null)) {
    const elsewhere = mapped.length ? ` The guest's memory: ${mapped.join(', ')}.` : '';
    return `Nothing is mapped at 0x${gpa.toString(16)}: a guest access here exits to the VMM as an EPT violation (an emulated device, or a fault).${elsewhere}`;
  }
  const partly = bytes.some((b) => b === null) ? ' · ·· is not mapped' : '';
  return where ? `${where}${partly}` : partly.slice(3);
}

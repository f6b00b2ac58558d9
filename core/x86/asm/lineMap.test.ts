import { describe, expect, it } from 'vitest';
import { addressOfLine, assemble, lineOfAddress } from './index';

describe('line map lookups', () => {
  const r = assemble('org 0x100\nstart:\n  mov ax, 1\n\n  nop\n  times 4 db 0\nend:', { bits: 16 });
  it('finds the address of a line', () => {
    expect(addressOfLine(r.lineMap, 3)).toBe(0x100);
    expect(addressOfLine(r.lineMap, 5)).toBe(0x103);
    expect(addressOfLine(r.lineMap, 4)).toBeUndefined();
  });
  it('finds the line that owns an address, skipping empty lines', () => {
    expect(lineOfAddress(r.lineMap, 0x100)).toBe(3);
    expect(lineOfAddress(r.lineMap, 0x102)).toBe(3);
    expect(lineOfAddress(r.lineMap, 0x103)).toBe(5);
    expect(lineOfAddress(r.lineMap, 0x107)).toBe(6);
    expect(lineOfAddress(r.lineMap, 0x108)).toBeUndefined();
    expect(lineOfAddress(r.lineMap, 0xff)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { hexRows, shortHex } from './model';

describe('VCPU view model', () => {
  it('shortens register values without losing them', () => {
    expect(shortHex('0x0000000000001062')).toBe('0x1062');
    expect(shortHex('0x0000000000000000')).toBe('0x0');
    expect(shortHex('0xffff800000000000')).toBe('0xffff800000000000');
  });

  it('dumps memory 16 bytes a row with ASCII and marks unmapped bytes', () => {
    const bytes: (number | null)[] = [...[...'Hello, guest!!!\n'].map((c) => c.charCodeAt(0)), null, 0x41];
    const rows = hexRows(0x1000, bytes);
    expect(rows).toHaveLength(2);
    expect(rows[0].address).toBe('0x00001000');
    expect(rows[0].ascii).toBe('Hello, guest!!!.');
    expect(rows[1].bytes).toEqual(['··', '41']);
    expect(rows[1].address).toBe('0x00001010');
  });
});

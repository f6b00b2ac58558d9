import { describe, expect, it } from 'vitest';
import { hexRows, MAX_GPA, memoryNote, parseGuestAddress, shortHex } from './model';

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

describe('guest memory address and note', () => {
  it('reads hex and decimal exactly and refuses what is not an address', () => {
    expect(parseGuestAddress('0xfec00000')).toEqual({ gpa: 0xfec00000 });
    expect(parseGuestAddress(' 4096 ')).toEqual({ gpa: 4096 });
    expect(parseGuestAddress('0x20_0000')).toEqual({ gpa: 0x200000 });
    expect(parseGuestAddress('zzz')).toEqual({ error: 'not an address: type hex (0x…) or decimal' });
    expect(parseGuestAddress('-5')).toHaveProperty('error');
    expect(parseGuestAddress('')).toHaveProperty('error');
    expect(parseGuestAddress('0xffffffffffffffff')).toEqual({ error: 'past the largest guest-physical address (0xfffffffffffff)' });
    expect(parseGuestAddress('0xfffffffffffff')).toEqual({ gpa: MAX_GPA });
  });

  it('names the region at the address, or says why nothing is there', () => {
    expect(memoryNote(0x1000, [1, 2], 'guest_ram+0x1000 (rwx)', [])).toBe('guest_ram+0x1000 (rwx)');
    expect(memoryNote(0x1ffff8, [1, null], 'guest_ram+0x1ffff8 (rwx)', [])).toBe('guest_ram+0x1ffff8 (rwx) · ·· is not mapped');
    const none = memoryNote(0x300000, [null, null], null, ['guest_ram 0x0–0x200000']);
    expect(none).toMatch(/^Nothing is mapped at 0x300000: .*EPT violation/);
    expect(none).toMatch(/guest_ram 0x0–0x200000\.$/);
  });
});

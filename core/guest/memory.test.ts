import { describe, expect, it } from 'vitest';
import { AccessKind, GuestEpt, GuestMemory, GuestMemoryError, GuestRegion, guestMemoryFromMaps, HostMemory, RWX } from './index';

const R = { read: true, write: false, execute: false };
const RW = { read: true, write: true, execute: false };

function twoRegions() {
  const host = new HostMemory([{ name: 'low', size: 0x1000 }, { name: 'high', size: 0x1000 }]);
  const mem = guestMemoryFromMaps([{ mr: 'low', gpa: 0, perms: RWX }, { mr: 'high', gpa: 0x1000, perms: RW }], host);
  return { host, mem };
}

describe('guest memory', () => {
  it('finds the region holding an address and nothing outside', () => {
    const { mem } = twoRegions();
    expect(mem.find(0)?.name).toBe('low');
    expect(mem.find(0x1fff)?.name).toBe('high');
    expect(mem.find(0x2000)).toBeNull();
    expect(mem.size).toBe(0x2000);
  });

  it('reads and writes typed values that cross a region boundary', () => {
    const { mem, host } = twoRegions();
    mem.writeU32(0xffe, 0xa1b2c3d4);
    expect(host.region('low')[0xffe]).toBe(0xd4);
    expect(host.region('high')[1]).toBe(0xa1);
    expect(mem.readU32(0xffe)).toBe(0xa1b2c3d4);
    mem.writeU64(0xffc, 0x1122334455667788n);
    expect(mem.readU64(0xffc)).toBe(0x1122334455667788n);
    expect(mem.readU16(0xfff)).toBe(0x4455);
  });

  it('copies byte ranges across regions and refuses partly unmapped ranges without writing anything', () => {
    const { mem } = twoRegions();
    mem.write(0xff0, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    const out = new Uint8Array(18);
    mem.read(0xff0, out);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(() => mem.write(0x1ffe, [9, 9, 9, 9])).toThrow(GuestMemoryError);
    expect(mem.readU16(0x1ffe)).toBe(0);
  });

  it('enforces the map perms for read, write and execute', () => {
    const host = new HostMemory([{ name: 'rom', size: 0x1000 }, { name: 'data', size: 0x1000 }]);
    const mem = guestMemoryFromMaps([{ mr: 'rom', gpa: 0, perms: R }, { mr: 'data', gpa: 0x4000, perms: RW }], host);
    expect(() => mem.writeU8(0x10, 1)).toThrow(/does not allow/);
    try {
      mem.writeU8(0x10, 1);
    } catch (e) {
      expect((e as GuestMemoryError).kind).toBe('no-write');
    }
    expect(() => mem.fetch(0x4000, new Uint8Array(4))).toThrow(expect.objectContaining({ kind: 'no-execute' }));
    expect(() => mem.readU8(0x2000)).toThrow(expect.objectContaining({ kind: 'invalid-address' }));
    expect(mem.checkRange(0, 0x1000, AccessKind.Read)).toBe(true);
    expect(mem.checkRange(0, 0x1000, AccessKind.Write)).toBe(false);
    expect(mem.checkRange(0xff0, 0x20)).toBe(false);
  });

  it('rejects overlapping regions', () => {
    const a = new GuestRegion(0, new Uint8Array(0x2000), RWX, 'a');
    const b = new GuestRegion(0x1000, new Uint8Array(0x1000), RWX, 'b');
    expect(() => new GuestMemory([a, b])).toThrow(expect.objectContaining({ kind: 'overlap' }));
  });

  it('a view sees only its window, with narrowed perms, over the same bytes', () => {
    const { mem } = twoRegions();
    mem.writeU32(0x1800, 0xdeadbeef);
    mem.writeU32(0x100, 0x12345678); // the "guest kernel"
    const dma = mem.view([{ gpa: 0x1800, size: 0x100, perms: R }]);
    expect(dma.readU32(0x1800)).toBe(0xdeadbeef);
    expect(() => dma.readU32(0x100)).toThrow(expect.objectContaining({ kind: 'invalid-address' }));
    expect(() => dma.writeU32(0x1800, 0)).toThrow(expect.objectContaining({ kind: 'no-write' }));
    const rw = mem.view([{ gpa: 0x1800, size: 0x100 }]);
    rw.writeU32(0x1804, 0xcafef00d);
    expect(mem.readU32(0x1804)).toBe(0xcafef00d);
    // a view cannot widen: 'high' is not executable, so neither is the view
    expect(() => mem.view([{ gpa: 0x1000, size: 0x1000, perms: RWX }]).fetch(0x1000, new Uint8Array(1))).toThrow(/execute/);
  });

  it('the EPT from the maps translates to host offsets and reports what a violating walk allowed', () => {
    const host = new HostMemory([{ name: 'ram', size: 0x2000 }, { name: 'rom', size: 0x1000 }]);
    const mem = guestMemoryFromMaps([{ mr: 'ram', gpa: 0, perms: RWX }, { mr: 'rom', gpa: 0x10000, perms: { read: true, write: false, execute: true } }], host);
    const ept = new GuestEpt(mem);
    const t = ept.translate(0x1234, 1);
    expect('hostPhys' in t && t.hostPhys).toBe(host.region('ram').byteOffset + 0x1234);
    expect(ept.translate(0x10000, 1)).toEqual({ violation: 8 | 32 });
    expect(ept.translate(0x20000, 0)).toEqual({ violation: 0 });
  });
});

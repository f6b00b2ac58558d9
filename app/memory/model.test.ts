import { describe, expect, it } from 'vitest';
import { builtExample } from '../caps/testing';
import { fromAxis, makeAxis, parseSize, physicalSegments, spaceRows, toAxis, trackerCost, vmmViews } from './model';

describe('address axis', () => {
  const segs = [
    { start: 0, end: 0x1000 },
    { start: 0x1000, end: 0x4000_0000 },
    { start: 0x4000_0000, end: 0x4000_2000 },
  ];
  it('log compression keeps a page visible next to a GiB', () => {
    const a = makeAxis(segs, 'log');
    const page = toAxis(a, 0x1000) - toAxis(a, 0);
    const gib = toAxis(a, 0x4000_0000) - toAxis(a, 0x1000);
    expect(page / a.width).toBeGreaterThan(0.03);
    expect(gib).toBeGreaterThan(page);
  });
  it('linear axis is proportional', () => {
    const a = makeAxis(segs, 'linear');
    expect(toAxis(a, 0x2000_0000)).toBeCloseTo(0x2000_0000);
  });
  it('inverts exactly inside every stretch', () => {
    const a = makeAxis(segs, 'log');
    for (const x of [0, 0x800, 0x1000, 0x1234_5000, 0x4000_1000]) expect(fromAxis(a, toAxis(a, x))).toBeCloseTo(x, 3);
  });
});

describe('memory view models on a real build', () => {
  const { view, system } = builtExample('ring-buffer');
  const d = view.description!;

  it('physical segments: every object with memory and every untyped, sorted per lane', () => {
    const segs = physicalSegments(d);
    expect(segs.filter((s) => s.lane === 'untyped')).toHaveLength(d.untypeds.length);
    expect(segs.filter((s) => s.lane === 'object' || s.lane === 'frame').length).toBe(d.objects.filter((o) => o.paddr !== null && o.sizeBits > 0).length);
    const ring = segs.find((s) => s.label.startsWith('frame_mr_ring'))!;
    expect(ring.lane).toBe('frame');
    for (let i = 1; i < segs.length; i++) expect(segs[i].start).toBeGreaterThanOrEqual(segs[i - 1].start);
  });

  it('address-space rows merge the stack pages and name the memory region', () => {
    const producer = d.addressSpaces.find((a) => a.name === 'producer')!;
    const rows = spaceRows(producer);
    const ring = rows.find((r) => r.mr === 'ring')!;
    expect(ring).toMatchObject({ start: 0x400_0000, pages: 1, rights: 'RW' });
    const stack = rows.filter((r) => r.what === 'stack');
    expect(stack).toHaveLength(1);
    expect(stack[0].pages).toBe(producer.mappings.filter((m) => m.what === 'stack').length);
    expect(rows.reduce((n, r) => n + r.pages, 0)).toBe(producer.mappings.length);
  });

  it('tracker figures: 512 entries per 2 MiB mapping, 4 MiB per GiB of 4 KiB entries', () => {
    const m = (size: number) => ({ addr: '0x0', size: `0x${size.toString(16)}`, paddr: '0x0', rights: 'RW', cached: true, mr: null, what: 'memory_region', frame: 'f' });
    const c = trackerCost([m(0x20_0000), m(0x1000)]);
    expect(c.perPageEntries).toBe(513);
    expect(c.largePageEntries).toBe(2);
    expect(trackerCost(Array.from({ length: 512 }, () => m(0x20_0000))).perPageBytes).toBe(4 * 2 ** 20);
  });

  it('VM guest-physical regions show where the VMM sees them', () => {
    const vm = builtExample('x86-vm-basic');
    const ept = vm.view.description!.addressSpaces.find((a) => a.kind === 'ept')!;
    const views = vmmViews(vm.view.description!, ept, vm.system);
    const shared = [...views.values()].filter((v) => v !== null);
    expect(shared.length).toBeGreaterThan(0);
  });
});

describe('size parsing', () => {
  it('accepts numbers, hex and units', () => {
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize('0x1000')).toBe(4096);
    expect(parseSize('2M')).toBe(2 ** 21);
    expect(parseSize('1 GiB')).toBe(2 ** 30);
    expect(parseSize('lots')).toBeNull();
    expect(parseSize('0')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { ExitRow } from '../../core/protocol';
import { countRows, exitCells, logScroll, MAX_SCROLL_PX, pagesFor, PAGE, ratePoints, ROW_HEIGHT, visibleRange } from './model';

const row: ExitRow = {
  index: 3, seq: 322, time: 67_026, step: 65, core: 0, vm: 'guest', reason: 48, reasonName: 'EPT violation', qualification: 0x182,
  decoded: 'write at 0xfec00000 (IOAPIC)', gpa: 0xfec00000, rip: 0x10a1, instructionLength: 0, instruction: 'mov dword ptr [rbx], 0x14',
  handled: 'resumed at 0x10a7', handledNs: 1052,
};

describe('VM exit log view model', () => {
  it('shows only the rows in the window', () => {
    const r = visibleRange(50_000 * ROW_HEIGHT, 10 * ROW_HEIGHT, 100_000, 5);
    expect(r).toEqual({ first: 49_995, last: 50_015 });
    expect(visibleRange(0, 400, 3)).toEqual({ first: 0, last: 3 });
    expect(pagesFor(r.first, r.last)).toEqual([Math.floor(49_995 / PAGE), Math.floor(50_014 / PAGE)].filter((v, i, a) => a.indexOf(v) === i));
  });

  it('keeps millions of exits scrollable end to end within what a browser lays out', () => {
    const total = 5_000_000, view = 400;
    const s = logScroll(total, view);
    expect(s.height).toBe(MAX_SCROLL_PX);
    // top, middle and bottom of the scrollbar reach the first, middle and last rows
    expect(visibleRange(0, view, total, 0)).toEqual({ first: 0, last: Math.ceil(view / ROW_HEIGHT) });
    expect(visibleRange(MAX_SCROLL_PX - view, view, total, 0).last).toBe(total);
    const mid = visibleRange((MAX_SCROLL_PX - view) / 2, view, total, 0);
    expect(Math.abs(mid.first - total / 2)).toBeLessThan(view / ROW_HEIGHT);
    // a row asked for comes to the top of the window, drawn inside it, one row height apart from the next
    const t = s.scrollTopFor(3_141_592);
    expect(Math.floor(s.firstRow(t))).toBe(3_141_592);
    expect(s.rowTop(3_141_592, t) - t).toBeCloseTo(0, 0);
    expect(s.rowTop(3_141_593, t) - s.rowTop(3_141_592, t)).toBeCloseTo(ROW_HEIGHT);
    // below the limit nothing is scaled
    expect(logScroll(1000, view)).toMatchObject({ height: 1000 * ROW_HEIGHT });
  });

  it('writes an exit with names over numbers', () => {
    const c = exitCells(row);
    expect(c.reason).toBe('EPT violation');
    expect(c.gpa).toBe('0xfec00000');
    expect(c.detail).toContain('IOAPIC');
    expect(c.handled).toBe('resumed at 0x10a7 after 1.05 µs');
    expect(exitCells({ ...row, reason: 30, handledNs: -1, handled: 'in the VMM' }).gpa).toBe('');
  });

  it('orders counts by frequency with their share', () => {
    const rows = countRows({ 'I/O instruction': 99, 'EPT violation': 15, HLT: 6 });
    expect(rows.map((r) => r.name)).toEqual(['I/O instruction', 'EPT violation', 'HLT']);
    expect(rows[0].share).toBeCloseTo(99 / 120);
  });

  it('turns bucket counts into exits per simulated millisecond', () => {
    expect(ratePoints({ bucketNs: 500_000, counts: [5, 0] })).toEqual([
      { t: 250_000, perMs: 10 },
      { t: 750_000, perMs: 0 },
    ]);
  });
});

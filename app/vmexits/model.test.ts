import { describe, expect, it } from 'vitest';
import type { ExitRow } from '../../core/protocol';
import { countRows, exitCells, pagesFor, PAGE, ratePoints, ROW_HEIGHT, visibleRange } from './model';

const row: ExitRow = {
  index: 3, seq: 322, time: 67_026, step: 65, core: 0, vm: 'guest', reason: 48, reasonName: 'EPT violation', qualification: 0x182,
  decoded: 'write at 0xfec00000 (IOAPIC)', gpa: 0xfec00000, rip: 0x10a1, instructionLength: 0, instruction: 'mov dword ptr [rbx], 0x14',
  handled: 'resumed at 0x10a7', handledNs: 1052,
};

describe('VM exit log view model', () => {
  it('shows only the rows in the window, even for a million exits', () => {
    const r = visibleRange(500_000 * ROW_HEIGHT, 10 * ROW_HEIGHT, 1_000_000, 5);
    expect(r).toEqual({ first: 499_995, last: 500_015 });
    expect(visibleRange(0, 400, 3)).toEqual({ first: 0, last: 3 });
    expect(pagesFor(r.first, r.last)).toEqual([Math.floor(499_995 / PAGE), Math.floor(500_014 / PAGE)].filter((v, i, a) => a.indexOf(v) === i));
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

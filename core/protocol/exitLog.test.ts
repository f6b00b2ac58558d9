import { describe, expect, it } from 'vitest';
import { ExitLog } from './exitLog';

const exit = (i: number, reason: number) => ({ seq: i * 3, time: i * 100, step: i * 2, core: 0, vm: 0, reason, qualification: i, gpa: 0, rip: 0x1000 + i, ilen: 2 });

describe('exit log', () => {
  it('keeps a million exits in columns, filters by reason and finds the exit at a step', () => {
    const log = new ExitLog();
    const n = 1_000_000;
    for (let i = 0; i < n; i++) log.push(exit(i, i % 10 === 0 ? 48 : 30));
    expect(log.length).toBe(n);
    expect(log.rip[n - 1]).toBe(0x1000 + n - 1);
    const ept = log.filtered(48);
    expect(ept.total).toBe(n / 10);
    expect(ept.at(3)).toBe(30);
    expect(log.filtered().total).toBe(n);
    expect(log.countsByReason().get(30)).toBe(n - n / 10);
    expect(log.lastAtOrBefore(9)).toBe(4);
    expect(log.lastAtOrBefore(-1)).toBe(-1);
  });

  it('records when and where the VCPU resumed, once', () => {
    const log = new ExitLog();
    const i = log.push(exit(1, 30));
    expect(log.handledNs[i]).toBe(-1);
    log.resumed(i, 350, 0x1003);
    log.resumed(i, 900, 0x2000);
    expect(log.handledNs[i]).toBe(250);
    expect(log.resumedAt[i]).toBe(0x1003);
  });

  it('buckets exits over time for the rate chart, keeping every exit as the run grows', () => {
    const log = new ExitLog();
    for (let i = 0; i < 50; i++) log.push(exit(i, 30)); // times 0 .. 4900 ns
    const r = log.rate(5000, 10);
    expect(r.bucketNs * r.counts.length).toBeGreaterThanOrEqual(5000);
    expect(r.counts.length).toBeLessThanOrEqual(10);
    expect(r.counts.reduce((a, b) => a + b, 0)).toBe(50);
    for (let i = 0; i < 100_000; i++) log.push({ ...exit(0, 30), time: 5000 + i * 997 });
    const late = log.rate(5000 + 100_000 * 997, 120);
    expect(late.counts.reduce((a, b) => a + b, 0)).toBe(100_050);
    expect(late.counts.length).toBeLessThanOrEqual(120);
    // evenly spread exits give even buckets (all but the last, partial one)
    const full = late.counts.slice(1, -1);
    expect(Math.max(...full) - Math.min(...full)).toBeLessThanOrEqual(Math.ceil(late.bucketNs / 997) - Math.floor(late.bucketNs / 997));
  });
});

import { describe, expect, it } from 'vitest';
import { mulberry32 } from '.';

describe('mulberry32', () => {
  it('repeats the sequence for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(mulberry32(43)()).not.toBe(first[0]);
  });

  it('keeps its sequence: seeded tests and PD programs replay the same numbers', () => {
    const r = mulberry32(1);
    expect([r(), r()].map((x) => x * 2 ** 32)).toEqual([2693262067, 11749833]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RangeSet } from './overlap';

describe('RangeSet', () => {
  it('answers like a linear scan over the ranges added so far', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 40 })), { maxLength: 60 }), (ranges) => {
        const set = new RangeSet<number>();
        const added: { s: bigint; e: bigint; i: number }[] = [];
        ranges.forEach(([s0, len], i) => {
          const s = BigInt(s0);
          const e = s + BigInt(len);
          const linear = added.find((o) => !(s >= o.e || e <= o.s));
          const got = set.firstOverlap(s, e);
          expect(got?.value).toBe(linear?.i);
          if (!got) {
            set.add(s, e, i);
            added.push({ s, e, i });
          }
        });
      }),
    );
  });
});

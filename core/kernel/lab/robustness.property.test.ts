/** Unseen scripts must never crash the lab: random libsel4 calls with random small arguments either run or report
 * an seL4 error / a lab error on their own line (seeded fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STUBS } from './api';
import { LabSession } from './session';

const FNS = [...Object.keys(STUBS), 'seL4_Send', 'seL4_NBSend', 'seL4_Signal', 'seL4_Call', 'seL4_Recv', 'seL4_NBRecv', 'seL4_Wait', 'seL4_Poll', 'seL4_ReplyRecv', 'seL4_NBSendRecv', 'seL4_Yield', 'seL4_VMEnter', 'seL4_Reply'];
const argArb = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map(String),
  fc.integer({ min: 0, max: 12 }).map((i) => `empty_start + ${i}`),
  fc.constantFrom('64', 'seL4_CapInitThreadCNode', 'seL4_CapInitThreadVSpace', 'seL4_CapInitThreadTCB', 'seL4_AllRights', '0x10000000', '{1, 2, 3}'),
);
const lineArb = fc.oneof(
  fc.record({ t: fc.integer({ min: 0, max: 19 }), s: fc.integer({ min: 0, max: 16 }), d: fc.integer({ min: 0, max: 12 }), n: fc.integer({ min: 1, max: 3 }) })
    .map(({ t, s, d, n }) => `seL4_Untyped_Retype(largest_ram_untyped, ${t}, ${s}, seL4_CapInitThreadCNode, 0, 0, empty_start + ${d}, ${n})`),
  fc.record({ fn: fc.constantFrom(...FNS), args: fc.array(argArb, { minLength: 0, maxLength: 11 }), as: fc.option(fc.integer({ min: 0, max: 12 })) })
    .map(({ fn, args, as }) => `${as === null ? '' : `as empty_start + ${as}: `}${fn}(${args.join(', ')})`),
);

describe('lab robustness', () => {
  it('never throws on random libsel4 calls', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 40 }), (lines) => {
        const s = new LabSession();
        lines.forEach((l, i) => {
          const r = s.exec(l, i + 1)!;
          expect(r.output.length).toBeGreaterThan(0);
        });
      }),
      { seed: 0x1ab, numRuns: 60 },
    );
  });
});

/** Property tests (fast-check, seeded): random sequences of CNode operations, retype and mapping keep the kernel's
 * invariants: no cap to a dead object, objects inside their untyped, watermark consistent, revoke removes exactly the
 * subtree, and mappings disappear with their caps. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boot, ROOT, type Harness } from './testkit';
import { ObjectType } from './constants';
import { CapKind, MapType, type TableObj } from './objects';
import { descendants } from './mdb';
import { findRootForAsid, listMappings } from './vspace';

const WINDOW = 16;

type Op =
  | { op: 'retype'; ut: number; type: number; size: number; dst: number; n: number }
  | { op: 'copy' | 'move'; src: number; dst: number; rights: number }
  | { op: 'mint' | 'mutate'; src: number; dst: number; rights: number; badge: number }
  | { op: 'delete' | 'revoke' | 'unmap'; slot: number }
  | { op: 'map'; slot: number; page: number };

const slotArb = fc.integer({ min: 0, max: WINDOW - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('retype' as const), ut: fc.oneof(fc.constant(0), slotArb), type: fc.constantFrom(ObjectType.seL4_EndpointObject, ObjectType.seL4_NotificationObject, ObjectType.seL4_X86_4K, ObjectType.seL4_UntypedObject), size: fc.integer({ min: 12, max: 16 }), dst: slotArb, n: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('copy' as const, 'copy' as const, 'move' as const), src: slotArb, dst: slotArb, rights: fc.integer({ min: 0, max: 15 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('mint' as const, 'mutate' as const), src: slotArb, dst: slotArb, rights: fc.integer({ min: 0, max: 15 }), badge: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('delete' as const, 'revoke' as const, 'unmap' as const), slot: slotArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('map' as const), slot: slotArb, page: fc.integer({ min: 0, max: 7 }) }) },
);

function apply(h: Harness, base: number, o: Op): void {
  const c = (i: number): bigint => BigInt(base + i);
  switch (o.op) {
    case 'retype': h.call(c(o.ut), 'UntypedRetype', [o.type, o.size, 0, 0, base + o.dst, o.n], [ROOT]); break;
    case 'copy': h.call(ROOT, 'CNodeCopy', [c(o.dst), 64, c(o.src), 64, o.rights], [ROOT]); break;
    case 'move': h.call(ROOT, 'CNodeMove', [c(o.dst), 64, c(o.src), 64], [ROOT]); break;
    case 'mint': h.call(ROOT, 'CNodeMint', [c(o.dst), 64, c(o.src), 64, o.rights, o.badge], [ROOT]); break;
    case 'mutate': h.call(ROOT, 'CNodeMutate', [c(o.dst), 64, c(o.src), 64, o.badge], [ROOT]); break;
    case 'delete': h.call(ROOT, 'CNodeDelete', [c(o.slot), 64], []); break;
    case 'revoke': {
      const s = h.slotOf(c(o.slot));
      const before = new Set(h.kernel.slots.caps[s] ? descendants(h.kernel, s) : []);
      const others = new Map<number, unknown>();
      for (let i = 0; i < h.kernel.slots.size; i++) if (h.kernel.slots.caps[i] && !before.has(i)) others.set(i, h.kernel.slots.caps[i]);
      h.call(ROOT, 'CNodeRevoke', [c(o.slot), 64], []);
      for (const d of before) expect(h.kernel.slots.caps[d], `descendant slot ${d} survived revoke`).toBeNull();
      for (const [i, cap] of others) expect(h.kernel.slots.caps[i], `non-descendant slot ${i} was removed`).toBe(cap);
      break;
    }
    case 'map': h.call(c(o.slot), 'X86PageMap', [0x500000 + o.page * 0x1000, 3, 0], [3]); break;
    case 'unmap': if (h.kernel.slots.caps[h.slotOf(c(o.slot))]?.kind === CapKind.Frame) h.call(c(o.slot), 'X86PageUnmap', []); break;
  }
}

function checkInvariants(h: Harness, utRegion: { base: bigint; end: bigint }): void {
  const k = h.kernel;
  const s = k.slots;
  for (let i = 0; i < s.size; i++) {
    const cap = s.caps[i];
    if (!cap) continue;
    // no cap to a deleted object
    if (cap.obj >= 0) expect(k.objects[cap.obj]!.alive, `slot ${i} names dead object ${cap.obj}`).toBe(true);
    // MDB list is consistent
    if (s.next[i] >= 0) expect(s.prev[s.next[i]]).toBe(i);
    if (s.owner[i] !== h.rootCNode.id || i < h.slotOf(h.free)) continue;
    // objects inside the untyped they came from (everything in the window comes from one 2^20 untyped)
    expect(cap.paddr >= utRegion.base && cap.paddr + (1n << BigInt(cap.sizeBits)) <= utRegion.end).toBe(true);
    // watermark consistent: children of an untyped lie below its watermark
    if (cap.kind === CapKind.Untyped) {
      expect(cap.freeIndex * 16 <= 2 ** cap.sizeBits).toBe(true);
      const kids = descendants(k, i);
      const top = cap.paddr + BigInt(cap.freeIndex) * 16n;
      for (const d of kids) {
        const dc = s.caps[d]!;
        expect(dc.paddr >= cap.paddr).toBe(true);
        // a full-size untyped copy sets the source's watermark to the end
        expect(dc.paddr + (1n << BigInt(dc.sizeBits)) <= top || dc.kind === CapKind.Untyped).toBe(true);
      }
    }
  }
  // every mapping in the root VSpace belongs to a live frame cap that records it
  const root = findRootForAsid(k, 1);
  const frames = new Map<string, boolean>();
  for (let i = 0; i < s.size; i++) {
    const cap = s.caps[i];
    if (cap?.kind === CapKind.Frame && cap.mapType === MapType.VSpace) frames.set(`${cap.mapVaddr}:${cap.paddr}`, true);
  }
  for (const m of listMappings(k, root)) expect(frames.has(`${m.vaddr}:${m.paddr}`), `mapping ${m.vaddr.toString(16)} has no cap`).toBe(true);
  void (k.objects[root] as TableObj);
}

describe('kernel invariants under random capability operations', () => {
  it('hold after every step (seeded)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 80 }), (ops) => {
        const h = boot();
        const base = h.free;
        const r = h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_UntypedObject, 20, 0, 0, base, 1], [ROOT]);
        expect(r.err).toBe(0);
        const ut = h.kernel.slots.caps[h.slotOf(base)]!;
        const region = { base: ut.paddr, end: ut.paddr + (1n << 20n) };
        for (const o of ops) {
          apply(h, base, o);
          checkInvariants(h, region);
        }
      }),
      { seed: 0x5e14, numRuns: 200 },
    );
  });
});

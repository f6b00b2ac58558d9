import { describe, expect, it } from 'vitest';
import type { CapNode } from '../../core/protocol';
import { capsToSameObject, cspaceOwners, cspaceRows, expandTo, initialCollapsed, pdAtCursor, subtreeEnds, visibleTree } from './model';
import { slotMeaning } from './slotMeaning';
import { builtExample } from './testing';

const node = (slot: number, parent: number, depth: number, extra: Partial<CapNode> = {}): CapNode => ({
  slot, parent, depth, capType: 'Untyped', objectKey: `k:${slot}`, objectName: `o${slot}`, holder: 'initialiser', pd: null, index: slot, rights: '', badge: null, paddr: null, sizeBits: 0, ...extra,
});

// 0 ─┬ 1 ─ 2
//    └ 3
// 4
const forest = [node(10, -1, 0), node(11, 0, 1), node(12, 1, 2, { objectName: 'needle' }), node(13, 0, 1, { objectKey: 'k:11' }), node(14, -1, 0)];

describe('derivation tree rows', () => {
  it('subtree ends cover every descendant', () => {
    expect([...subtreeEnds(forest)]).toEqual([3, 2, 2, 3, 4]);
  });

  it('a collapsed node hides its whole subtree and only it', () => {
    expect(visibleTree(forest, new Set(), '').map((r) => r.node)).toEqual([0, 1, 2, 3, 4]);
    expect(visibleTree(forest, new Set([11]), '').map((r) => r.node)).toEqual([0, 1, 3, 4]);
    expect(visibleTree(forest, new Set([10]), '').map((r) => r.node)).toEqual([0, 4]);
  });

  it('search shows matches with their ancestors, ignoring collapsed nodes', () => {
    const rows = visibleTree(forest, new Set([10]), 'needle');
    expect(rows.map((r) => [r.node, r.match])).toEqual([[0, false], [1, false], [2, true]]);
  });

  it('expanding to a node opens every ancestor', () => {
    expect([...expandTo(forest, new Set([10, 11, 14]), 2)]).toEqual([14]);
  });

  it('caps to the same object are found by key', () => {
    expect([...capsToSameObject(forest, 1)]).toEqual([1, 3]);
  });

  it('big trees start with the untypeds folded', () => {
    expect(initialCollapsed(forest, 3)).toEqual(new Set([10]));
    expect(initialCollapsed(forest, 100).size).toBe(0);
  });
});

describe('slot meanings (microkit.md D.3)', () => {
  const { view, system } = builtExample('ring-buffer');

  it('names the channel peer of a notify slot', () => {
    expect(slotMeaning(10, 'producer', system)).toBe('10+0: notify channel 0 → consumer');
    expect(slotMeaning(74, 'producer', system)).toBe('74+0: PPC channel 0');
    expect(slotMeaning(1, 'producer', system)).toMatch(/^1: input/);
    expect(slotMeaning(9, 'producer', system)).toBeNull();
  });

  it('a PD CSpace table lists its slots in order with SDF names', () => {
    expect(cspaceOwners(view)).toEqual(['producer', 'consumer', 'monitor']);
    const rows = cspaceRows(view, 'producer', system);
    const micro = rows.filter((r) => r.cnode === 'microkit');
    expect(micro.map((r) => r.index)).toEqual([...micro.map((r) => r.index)].sort((a, b) => a - b));
    const notify = rows.find((r) => r.index === 10)!;
    expect(notify).toMatchObject({ capType: 'Notification', meaning: '10+0: notify channel 0 → consumer' });
    expect(notify.objectName).toContain('consumer');
    expect(rows.find((r) => r.index === 3)!.capType).toBe('PML4');
    expect(rows.find((r) => r.index === 3)!.meaning).toBe('3: its VSpace');
    expect(rows.some((r) => r.cnode === 'root' && r.index === 0)).toBe(true);
  });
});

describe('slot meanings of a VMM (x86-vm-basic)', () => {
  const { view, system } = builtExample('x86-vm-basic');
  it('names the PPC target, the vCPU and the caps behind them', () => {
    expect(slotMeaning(75, 'vmm', system)).toBe('74+1: PPC channel 1 → serial');
    const rows = cspaceRows(view, 'vmm', system);
    expect(rows.find((r) => r.index === 75)).toMatchObject({ capType: 'Endpoint', objectName: 'ep_serial' });
    expect(rows.find((r) => r.index === 330)!.meaning).toBe('330+0: vCPU 0');
  });
});

describe('PD at the editor cursor (the graph selects by moving it)', () => {
  const { system } = builtExample('ring-buffer');
  const consumer = system!.protectionDomains.find((p) => p.name === 'consumer')!;
  it('inside a PD element', () => {
    expect(pdAtCursor(system, { line: consumer.pos.line + 1, column: 3 })).toBe('consumer');
  });
  it('before any PD, or after a later top-level element', () => {
    expect(pdAtCursor(system, { line: 1, column: 1 })).toBeNull();
    const ch = system!.channels[0].pos;
    expect(pdAtCursor(system, { line: ch.line, column: ch.column + 2 })).toBeNull();
  });
});

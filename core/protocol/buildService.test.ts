import { describe, expect, it } from 'vitest';
import { findExample } from '../examples';
import { coreBackends } from './backends';
import type { BuildView } from './buildMessages';
import { createCoreService } from './service';

function open(id: string) {
  const e = findExample(id)!;
  const svc = createCoreService(coreBackends);
  svc.handle({ kind: 'workspace.open', workspace: { files: { ...e.files }, board: e.board, main: e.main } });
  return svc;
}

describe('build service', () => {
  it('builds the main system and names every PD cap from the SDF', () => {
    const svc = open('ring-buffer');
    const { result, events } = svc.handle({ kind: 'build.run', bootMode: 'current' });
    expect(result.ok).toBe(true);
    expect(events[0]).toMatchObject({ type: 'diagnostics', path: 'ring.system' });
    const producerCaps = result.caps.filter((c) => c.pd === 'producer' && c.holder === 'cnode_producer');
    const notify = producerCaps.find((c) => c.index === 10)!;
    expect(notify.capType).toBe('Notification');
    expect(notify.objectName).toContain('consumer');
  });

  it('derivation tree: every parent comes before its children and untypeds are roots', () => {
    const { result } = open('ring-buffer').handle({ kind: 'build.run', bootMode: 'current' });
    result.caps.forEach((c, i) => {
      expect(c.parent).toBeLessThan(i);
      if (c.parent >= 0) expect(c.depth).toBe(result.caps[c.parent].depth + 1);
    });
    expect(result.caps.filter((c) => c.capType === 'Untyped' && c.parent === -1).length).toBeGreaterThan(0);
    const frameCopies = result.caps.filter((c) => c.capType === 'Frame' && c.parent >= 0 && result.caps[c.parent].capType === 'Frame');
    expect(frameCopies.length).toBeGreaterThan(0);
  });

  it('revoking the ring frame in the console removes its mappings from both address spaces', () => {
    const svc = open('ring-buffer');
    const before = svc.handle({ kind: 'build.run', bootMode: 'current' }).result;
    const mapped = (v: BuildView, as: string) => v.description!.addressSpaces.find((a) => a.name.includes(as))!.mappings.filter((m) => m.mr === 'ring');
    expect(mapped(before, 'producer')).toHaveLength(1);
    const original = before.caps.find((c) => c.holder === 'initialiser' && c.capType === 'Frame' && c.objectName?.includes('ring'))!;
    const { result } = svc.handle({ kind: 'build.lab', line: `seL4_CNode_Revoke(seL4_CapInitThreadCNode, ${original.index}, 64)`, bootMode: 'current' });
    expect(result.line?.output).toMatch(/^seL4_NoError/);
    expect(mapped(result.view, 'producer')).toHaveLength(0);
    expect(mapped(result.view, 'consumer')).toHaveLength(0);
    expect(result.view.revision).toBe(1);
  });

  it('a bad console line reports an error and changes nothing', () => {
    const svc = open('ring-buffer');
    const before = svc.handle({ kind: 'build.run', bootMode: 'current' }).result;
    const { result } = svc.handle({ kind: 'build.lab', line: 'seL4_CNode_Revoke(', bootMode: 'current' });
    expect(result.line?.ok).toBe(false);
    expect(result.view.caps.length).toBe(before.caps.length);
  });

  it('boot modes place the images differently', () => {
    const svc = open('ring-buffer');
    const cur = svc.handle({ kind: 'build.run', bootMode: 'current' }).result.description!;
    const leg = svc.handle({ kind: 'build.run', bootMode: 'legacy' }).result.description!;
    expect(leg.physicalMemory.some((r) => r.kind === 'pd-images')).toBe(true);
    expect(cur.physicalMemory.some((r) => r.kind === 'pd-images')).toBe(false);
  });

  it('answers allocation questions against the built system', () => {
    const svc = open('ring-buffer');
    svc.handle({ kind: 'build.run', bootMode: 'current' });
    expect(svc.handle({ kind: 'build.canAllocate', bytes: '4096', align: '4096', bootMode: 'current' }).result.ok).toBe(true);
    const huge = svc.handle({ kind: 'build.canAllocate', bytes: String(1n << 40n), align: '4096', bootMode: 'current' }).result;
    expect(huge.ok).toBe(false);
    expect(huge.reason.length).toBeGreaterThan(0);
  });
});

describe('names in the derivation tree', () => {
  it("the initialiser's boot caps carry seL4's names, and so do their copies", () => {
    const { result } = open('ring-buffer').handle({ kind: 'build.run', bootMode: 'current' });
    const tcb = result.caps.find((c) => c.holder === 'initialiser' && c.index === 1)!;
    expect(tcb.objectName).toBe('seL4_CapInitThreadTCB');
    const cnodeCopies = result.caps.filter((c) => c.holder === 'initialiser TCB' && c.capType === 'CNode');
    expect(cnodeCopies.length).toBeGreaterThan(0);
    expect(cnodeCopies[0].objectName).toBe('seL4_CapInitThreadCNode');
  });
});

describe('after a worker restart (no build yet)', () => {
  it('a console line builds first, then runs', () => {
    const svc = open('ring-buffer');
    const { result, events } = svc.handle({ kind: 'build.lab', line: 'bootinfo', bootMode: 'legacy' });
    expect(result.line?.output).toMatch(/^seL4_NoError/);
    expect(result.view.bootMode).toBe('legacy');
    expect(events[0]).toMatchObject({ type: 'diagnostics' });
  });
});

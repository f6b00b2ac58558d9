import { describe, expect, it } from 'vitest';
import { createViewRegistry } from './registry';

const C = () => null;

describe('view registry', () => {
  it('lists the views of an area in order', () => {
    const r = createViewRegistry();
    r.register({ id: 'b', title: 'B', area: 'bottom', order: 2, component: C });
    r.register({ id: 'a', title: 'A', area: 'bottom', order: 1, component: C });
    r.register({ id: 'g', title: 'G', area: 'right', order: 0, component: C });
    expect(r.inArea('bottom').map((v) => v.id)).toEqual(['a', 'b']);
  });

  it('unregisters, bumps its version and notifies', () => {
    const r = createViewRegistry();
    let calls = 0;
    r.subscribe(() => calls++);
    const off = r.register({ id: 'a', title: 'A', area: 'left', order: 0, component: C });
    off();
    expect(r.inArea('left')).toEqual([]);
    expect(r.version()).toBe(2);
    expect(calls).toBe(2);
    expect(() => {
      r.register({ id: 'x', title: 'X', area: 'left', order: 0, component: C });
      r.register({ id: 'x', title: 'X', area: 'left', order: 0, component: C });
    }).toThrow('already registered');
  });

  it('refresh bumps the version and tells subscribers (a badge changed)', () => {
    const r = createViewRegistry();
    let calls = 0;
    r.subscribe(() => calls++);
    r.refresh();
    expect(r.version()).toBe(1);
    expect(calls).toBe(1);
  });
});

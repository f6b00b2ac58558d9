import { describe, expect, it } from 'vitest';
import { createActionRegistry, formatShortcut, matchesQuery, matchesShortcut, type KeyLike } from './registry';

interface Ctx {
  dirty: boolean;
  log: string[];
}

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

function setup() {
  const r = createActionRegistry<Ctx>();
  r.register({ id: 'save', label: 'Save', category: 'File', shortcut: 'Mod+S', enabled: (c) => c.dirty, run: (c, src) => void c.log.push(`save:${src}`) });
  r.register({ id: 'palette', label: 'Show All Commands', category: 'View', shortcut: 'Mod+Shift+P', keywords: ['command'], run: (c) => void c.log.push('palette') });
  return r;
}

describe('action registry', () => {
  it('runs an enabled action and reports where it came from', () => {
    const ctx = { dirty: true, log: [] as string[] };
    expect(setup().run('save', ctx, 'toolbar')).toBe(true);
    expect(ctx.log).toEqual(['save:toolbar']);
  });

  it('does not run disabled or unknown actions', () => {
    const ctx = { dirty: false, log: [] as string[] };
    const r = setup();
    expect(r.run('save', ctx, 'keyboard')).toBe(false);
    expect(r.run('nope', ctx, 'api')).toBe(false);
    expect(r.isEnabled('save', ctx)).toBe(false);
    expect(ctx.log).toEqual([]);
  });

  it('finds the action for a key event, honouring Mod per platform', () => {
    const r = setup();
    const ctx = { dirty: true, log: [] };
    expect(r.forKey(key('P', { ctrlKey: true, shiftKey: true }), ctx, false)?.id).toBe('palette');
    expect(r.forKey(key('p', { metaKey: true, shiftKey: true }), ctx, true)?.id).toBe('palette');
    expect(r.forKey(key('p', { ctrlKey: true, shiftKey: true }), ctx, true)).toBeUndefined();
    expect(r.forKey(key('s', { ctrlKey: true, shiftKey: true }), ctx, false)).toBeUndefined();
    expect(r.forKey(key('s', { ctrlKey: true }), { dirty: false, log: [] }, false)).toBeUndefined();
  });

  it('rejects duplicate ids and malformed shortcuts', () => {
    const r = setup();
    expect(() => r.register({ id: 'save', label: 'x', category: 'x', run: () => {} })).toThrow('already registered');
    expect(() => r.register({ id: 'y', label: 'y', category: 'x', shortcut: 'Hyper+K', run: () => {} })).toThrow('bad shortcut');
  });

  it('notifies subscribers on register and unregister', () => {
    const r = setup();
    let n = 0;
    r.subscribe(() => n++);
    const off = r.register({ id: 'z', label: 'z', category: 'x', run: () => {} });
    off();
    expect(n).toBe(2);
    expect(r.get('z')).toBeUndefined();
  });

  it('formats shortcuts for each platform', () => {
    expect(formatShortcut('Mod+Shift+P', false)).toBe('Ctrl+Shift+P');
    expect(formatShortcut('Mod+Shift+P', true)).toBe('⌘⇧P');
    expect(matchesShortcut('F1', key('F1'), false)).toBe(true);
    // Option+N on a Mac types "˜"; the physical key still matches
    expect(matchesShortcut('Alt+N', key('˜', { altKey: true, code: 'KeyN' }), true)).toBe(true);
    expect(matchesShortcut('Alt+N', key('˜', { altKey: true, code: 'KeyM' }), true)).toBe(false);
  });

  it('filters the palette by word prefixes of label, category and keywords', () => {
    const r = setup();
    const hits = (q: string) => r.all().filter((a) => matchesQuery(a, q)).map((a) => a.id);
    expect(hits('sav')).toEqual(['save']);
    expect(hits('file')).toEqual(['save']);
    expect(hits('show comm')).toEqual(['palette']);
    expect(hits('xyz')).toEqual([]);
    // typed as the label is written, punctuation and all
    expect(hits('show all commands…')).toEqual(['palette']);
  });
});

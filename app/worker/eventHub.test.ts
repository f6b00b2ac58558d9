import { describe, expect, it } from 'vitest';
import { createEventHub } from './eventHub';

describe('core event hub', () => {
  it('delivers each event only to listeners of its type, until they unsubscribe', () => {
    const hub = createEventHub();
    const seen: string[] = [];
    const off = hub.on('diagnostics', (e) => seen.push(`d:${e.path}:${e.diagnostics.length}`));
    hub.on('system', (e) => seen.push(`s:${e.path}:${e.system === null}`));
    hub.emit({ type: 'diagnostics', path: 'a.system', textLength: 0, diagnostics: [] });
    hub.emit({ type: 'system', path: 'a.system', system: null });
    off();
    hub.emit({ type: 'diagnostics', path: 'b.system', textLength: 0, diagnostics: [] });
    expect(seen).toEqual(['d:a.system:0', 's:a.system:true']);
  });

  it('keeps delivering when one listener throws', () => {
    const hub = createEventHub();
    let delivered = 0;
    const original = console.error;
    console.error = () => {};
    hub.on('system', () => {
      throw new Error('bad view');
    });
    hub.on('system', () => delivered++);
    hub.emit({ type: 'system', path: 'a.system', system: null });
    console.error = original;
    expect(delivered).toBe(1);
  });
});

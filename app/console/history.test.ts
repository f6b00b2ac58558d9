import { describe, expect, it } from 'vitest';
import { completeLine, historyStep } from './history';

describe('console history', () => {
  const lines = ['a', 'b', 'c'];
  it('up walks back from the newest line and stops at the oldest', () => {
    let s = { at: null as number | null, draft: '' };
    let text = 'typing';
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = historyStep(lines, s, text, -1);
      s = r.state;
      text = r.text;
      seen.push(text);
    }
    expect(seen).toEqual(['c', 'b', 'a', 'a']);
  });
  it('down past the newest line gives back the draft', () => {
    const up = historyStep(lines, { at: null, draft: '' }, 'typing', -1);
    const down = historyStep(lines, up.state, up.text, 1);
    expect(down.text).toBe('typing');
    expect(down.state.at).toBeNull();
  });
  it('no history: the line stays', () => {
    expect(historyStep([], { at: null, draft: '' }, 'x', -1).text).toBe('x');
  });
  it('examples get the selected slot', () => {
    expect(completeLine('Revoke(cnode, SLOT, 64)', 205)).toBe('Revoke(cnode, 205, 64)');
    expect(completeLine('Revoke(cnode, SLOT, 64)', null)).toBe('Revoke(cnode, SLOT, 64)');
  });
});

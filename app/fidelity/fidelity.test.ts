import { describe, expect, it } from 'vitest';
import { areaOf, fidelityNotes } from './sources';
import { parseMarkdown } from './markdown';

describe('fidelity notes', () => {
  it('collects every SIMPLIFICATIONS.md of core and app, kernel before x86', () => {
    const areas = fidelityNotes().map((n) => n.area);
    for (const a of ['core/sdf', 'core/kernel', 'core/build', 'core/x86', 'core/vmm', 'app']) expect(areas).toContain(a);
    expect(areas.indexOf('core/kernel')).toBeLessThan(areas.indexOf('core/x86'));
  });

  it('names areas by folder', () => {
    expect(areaOf('../../core/x86/asm/SIMPLIFICATIONS.md')).toBe('core/x86/asm');
    expect(areaOf('../SIMPLIFICATIONS.md')).toBe('app');
    expect(areaOf('../caps/SIMPLIFICATIONS.md')).toBe('app/caps');
  });

  it('parses headings, lists, tables and paragraphs', () => {
    const blocks = parseMarkdown('# T\n\nSome *text*\nmore.\n\n- a\n  continued\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n');
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'table']);
    expect(blocks[2]).toEqual({ kind: 'list', items: ['a continued', 'b'] });
    expect(blocks[3]).toEqual({ kind: 'table', header: ['x', 'y'], rows: [['1', '2']] });
  });
});

import { describe, expect, it } from 'vitest';
import { LineMap, MAX_XML_DEPTH, parseXml } from './xml';

describe('xml tree', () => {
  it('keeps the position of every start tag and attribute', () => {
    const src = '<?xml version="1.0"?>\n<system>\n  <memory_region  name = "a" size="0x1000"/>\n</system>';
    const doc = parseXml(src);
    expect(doc.error).toBeNull();
    const mr = doc.root!.children.find((c) => c.kind === 'element')!;
    expect(mr).toMatchObject({ name: 'memory_region', line: 3, column: 3 });
    if (mr.kind !== 'element') throw new Error();
    const lines = new LineMap(src);
    expect(mr.attrs.map((a) => [a.name, a.value, lines.pos(a.start).column, lines.pos(a.valueStart).column, lines.pos(a.valueEnd).column])).toEqual([
      ['name', 'a', 19, 27, 28],
      ['size', '0x1000', 30, 36, 42],
    ]);
  });
  it('keeps text nodes with their start position, merging CDATA', () => {
    const doc = parseXml('<system>\n  hi<![CDATA[x]]><!--c-->there</system>');
    const texts = doc.root!.children.filter((c) => c.kind === 'text');
    expect(texts).toMatchObject([
      { text: '\n  hix', line: 1, column: 9 },
      { text: 'there', line: 2, column: 26 },
    ]);
  });
  it('decodes entities and normalises whitespace in attribute values', () => {
    const d = parseXml('<system a="x&amp;y" b="p\tq" c=\'z\' xmlns:n="u" n:d="1"/>');
    expect(d.root!.attrs.map((a) => [a.name, a.value])).toEqual([
      ['a', 'x&y'],
      ['b', 'p q'],
      ['c', 'z'],
      ['d', '1'],
    ]);
  });
  it('ignores namespaces and namespace declarations', () => {
    const doc = parseXml('<s:system xmlns:s="urn:x" xmlns="urn:y"><s:channel s:foo="1"/></s:system>');
    expect(doc.root!.name).toBe('system');
    expect(doc.root!.attrs).toEqual([]);
    const ch = doc.root!.children[0];
    expect(ch.kind === 'element' && ch.attrs.map((a) => a.name)).toEqual(['foo']);
  });
  it('reports the first well-formedness error at its position', () => {
    const doc = parseXml('<system>\n<a></b></system>');
    expect(doc.root).toBeNull();
    expect(doc.error).toMatchObject({ line: 2, message: expect.stringContaining('close tag') });
  });
  it('reports truncated documents', () => {
    expect(parseXml('<system><protection_domain name="a"').error).not.toBeNull();
    expect(parseXml('').error).not.toBeNull();
    expect(parseXml('not xml at all').error).not.toBeNull();
  });
  it('rejects absurd nesting without overflowing the stack', () => {
    const n = 10_000;
    const doc = parseXml('<system>' + '<a>'.repeat(n) + '</a>'.repeat(n) + '</system>');
    expect(doc.error?.message).toContain(String(MAX_XML_DEPTH));
  });
});

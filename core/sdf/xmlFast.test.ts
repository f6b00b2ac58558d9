import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maximalSystem } from './maximal';
import { parseXmlWithSaxes } from './xml';
import { parseXmlFast } from './xmlFast';

const repoRoot = path.resolve(__dirname, '../..');
const shared = path.resolve(repoRoot, '../shared/conformance');

function sdfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sdfFiles(p));
    else if (/\.(system|xml)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Deterministic small edits that break or bend the syntax in many ways. */
const SNIPPETS = ['<', '>', '/', '"', "'", '=', ' ', '\n', '<!--', '-->', '--', '<a>', '</a>', '<a/>', 'x', ':', '&amp;', ']]>', '<?pi?>', '\t', 'é', '\r\n'];
function mutations(text: string, count: number, seed: number): string[] {
  let s = seed >>> 0;
  const rnd = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const at = rnd(text.length + 1);
    const op = rnd(3);
    const snip = SNIPPETS[rnd(SNIPPETS.length)];
    if (op === 0) out.push(text.slice(0, at) + snip + text.slice(at));
    else if (op === 1) out.push(text.slice(0, at) + text.slice(at + 1 + rnd(8)));
    else out.push(text.slice(0, at) + snip + text.slice(at + snip.length));
  }
  return out;
}

/** The fast reader either declines or builds exactly saxes' tree. */
function expectSameTree(text: string): boolean {
  const fast = parseXmlFast(text);
  if (!fast) return false;
  const ref = parseXmlWithSaxes(text);
  expect(ref.error, text).toBeNull();
  expect(fast, text).toEqual(ref.root);
  return true;
}

describe('fast XML reader', () => {
  const files = sdfFiles(shared);
  it('builds the same tree as saxes for every conformance and example SDF it accepts', () => {
    expect(files.length).toBeGreaterThan(50);
    let accepted = 0;
    for (const f of files) if (expectSameTree(fs.readFileSync(f, 'utf8'))) accepted++;
    // almost all real SDFs are plain XML: the fast path must actually be taken
    expect(accepted).toBeGreaterThan(files.length / 2);
  });
  it('builds the same tree as saxes for the maximal system', () => {
    expect(expectSameTree(maximalSystem({ pds: 5, mapsPerPd: 3 }))).toBe(true);
  });
  it('keeps text, comments and odd spacing exactly as saxes does', () => {
    const docs = [
      '<system/>',
      '<?xml version="1.0"?>\n<!-- c -->\n<system >  hi <!--x--> there<a b = \'1\'  c="2" />tail<a></a ></system>\n<!-- end -->\n',
      '<system><!-- only --></system>',
      '<system>\n<x><y>deep text</y> more</x>\n</system>',
      "<?xml version='1.0' encoding='utf-8' ?><system a=\"x>y\"/>",
    ];
    for (const d of docs) expect(expectSameTree(d), d).toBe(true);
  });
  it('declines what saxes rejects or must decode, so saxes words the error', () => {
    const docs = [
      '',
      'text<system/>',
      '<system>',
      '<system></sys>',
      '<system a="1"a="2"/>',
      '<system a="1" a="2"/>',
      '<system a="&amp;"/>',
      '<system>x ]]> y</system>',
      '<system><!-- a -- b --></system>',
      '<system/><x/>',
      '<n:system xmlns:n="u"/>',
      '<system a="x\ty"/>',
      '<!DOCTYPE system><system/>',
      '<system><![CDATA[x]]></system>',
      '\ufeff<system/>',
      '<system>\r\n</system>',
      '<?xml version="1.1"?><system/>',
    ];
    for (const d of docs) expect(parseXmlFast(d), JSON.stringify(d)).toBeNull();
  });
  it('builds the same tree as saxes, or declines, on thousands of mutated SDFs', () => {
    const bases = files.slice(0, 40).map((f) => fs.readFileSync(f, 'utf8'));
    let accepted = 0;
    bases.forEach((text, i) => {
      for (const m of mutations(text, 60, i + 1)) {
        if (expectSameTree(m)) accepted++;
      }
    });
    expect(accepted).toBeGreaterThan(100);
  });
});

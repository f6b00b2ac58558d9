/** Hostile input: every case ends in a positioned diagnostic, never an exception or a hang. */
import { describe, expect, it } from 'vitest';
import { findBoard } from '../boards';
import { checkSdf } from './checkSdf';
import { completionsAt } from './completion';
import { hoverAt } from './hover';
import { maximalSystem } from './maximal';

const kernel = findBoard('x86_64_generic_vtx')!.kernel;
const check = (text: string) => checkSdf(text, { fileName: 'bad.system', kernel });

function expectPositionedError(text: string) {
  const res = check(text);
  expect(res.system).toBeNull();
  const d = res.diagnostics[0];
  expect(d.severity).toBe('error');
  expect(d.line).toBeGreaterThanOrEqual(1);
  expect(d.column).toBeGreaterThanOrEqual(1);
  return d;
}

const PD = '<protection_domain name="a"><program_image path="a.elf"/></protection_domain>';

describe('bad input', () => {
  it('reports text that is not XML like a strict parser, at a position', () => {
    const d = expectPositionedError('hello, world');
    expect(d.toolMessage).toMatch(/^Could not parse 'bad.system': .+ at 1:\d+$/);
  });
  it('reports an empty document', () => {
    expectPositionedError('');
  });
  it('reports truncated XML at the end', () => {
    const d = expectPositionedError(`<system>\n  ${PD}\n  <memory_region name="x" si`);
    expect(d.line).toBe(3);
  });
  it('reports mismatched tags at the close tag', () => {
    const d = expectPositionedError('<system>\n<channel>\n</end>\n</system>');
    expect(d.line).toBe(3);
  });
  it('reports a root element other than system', () => {
    expect(expectPositionedError('<systen/>').toolMessage).toContain("root element must be 'system'");
  });
  it('reports unknown elements where they are', () => {
    const d = expectPositionedError(`<system>\n  ${PD}\n  <foo/>\n</system>`);
    expect(d.toolMessage).toBe("Error: invalid XML element 'foo': bad.system:3:3");
  });
  it('reports absurd numbers without crashing', () => {
    const huge = '9'.repeat(400);
    const d = expectPositionedError(`<system>\n  <protection_domain name="a" priority="${huge}"><program_image path="a"/></protection_domain>\n</system>`);
    expect(d.message).toContain('number too large');
    expect(expectPositionedError(`<system><protection_domain name="a"><program_image path="a"/><irq pin="${huge}" vector="1" id="1"/></protection_domain></system>`).message).toContain(
      'decimal',
    );
    expect(expectPositionedError(`<system><memory_region name="m" size="0x${'f'.repeat(16)}000"/>${PD}</system>`).message).toContain('too large');
  });
  it('survives 10,000 nested elements', () => {
    const n = 10_000;
    const d = expectPositionedError('<system>' + '<protection_domain name="a">'.repeat(n) + '</protection_domain>'.repeat(n) + '</system>');
    expect(d.message).toContain('nested');
  });
  it('survives deep but legal PD nesting', () => {
    const n = 200;
    let s = '';
    for (let i = 0; i < n; i++) s += `<protection_domain name="p${i}"${i ? ` id="${i % 60}"` : ''}><program_image path="p.elf"/>`;
    s += '</protection_domain>'.repeat(n);
    const res = check(`<system>${s}</system>`);
    expect(res.diagnostics[0].message).toContain('too many protection domains (200)');
  });
  it('handles a 20 MB file in reasonable time', () => {
    const filler = `<!-- ${'x'.repeat(1000)} -->\n`;
    const big = `<system>\n${filler.repeat(20_000)}${PD}\n</system>`;
    expect(big.length).toBeGreaterThan(20_000_000);
    const t0 = performance.now();
    const res = check(big);
    expect(res.system).not.toBeNull();
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
  it('handles a 20 MB file of elements in reasonable time', () => {
    const mr = (i: number) => `<memory_region name="m${i}" size="0x1000" phys_addr="0x${(i * 0x1000).toString(16)}"/>\n`;
    const parts: string[] = [];
    for (let i = 0; i < 300_000; i++) parts.push(mr(i));
    const big = `<system>\n${parts.join('')}${PD}\n<memory_region name="m5" size="0x1000"/></system>`;
    expect(big.length).toBeGreaterThan(20_000_000);
    const t0 = performance.now();
    const res = check(big);
    expect(res.diagnostics[0].toolMessage).toBe("Error: duplicate memory region name 'm5'.");
    expect(performance.now() - t0).toBeLessThan(30_000);
  });
  it('answers completion and hover on garbage', () => {
    const junk = '<<<>>>"\'=<system <protection_domain name="a" <map mr=" <';
    for (let i = 1; i <= junk.length + 1; i++) {
      expect(() => completionsAt(junk, 1, i, kernel)).not.toThrow();
      expect(() => hoverAt(junk, 1, i, kernel)).not.toThrow();
    }
    expect(completionsAt('', 5, 99, kernel)).toBeInstanceOf(Array);
    expect(hoverAt('', 0, 0, kernel)).toBeNull();
  });
  it('validates the maximal system', () => {
    const res = check(maximalSystem());
    expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(res.system!.protectionDomains).toHaveLength(63);
    expect(res.system!.channels).toHaveLength(63 * 31);
  });
});

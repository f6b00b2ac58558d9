/** Seeded random mutations of the example systems and the upstream test files: the validator, completion and
 * hover must never throw, and every diagnostic must carry a position. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../boards';
import { checkSdf } from './checkSdf';
import { completionsAt } from './completion';
import { hoverAt } from './hover';
import { mulberry32 as rng } from '../random';

const shared = path.resolve(__dirname, '../..', '../shared/conformance');
const dir = path.join(shared, 'examples');
const corpus = path.join(shared, 'microkit-sdf/sdf');
const seeds = [
  ...readdirSync(dir).flatMap((sub) => readdirSync(path.join(dir, sub)).map((f) => readFileSync(path.join(dir, sub, f), 'utf8'))),
  ...readdirSync(corpus).map((f) => readFileSync(path.join(corpus, f), 'utf8')),
];

const FRAGMENTS = [
  '<', '>', '/>', '"', "'", '=', '&', '&amp;', '<!--', '-->', '<![CDATA[x]]>', ' ', '\n', 'x',
  '0x', '_', '-1', '99999999999999999999999', '0x1000', '0x200000', 'true', 'maybe',
  '<map mr="a" vaddr="0x1000"/>', '<irq irq="5" id="1"/>', '<irq pin="1" vector="2" id="3"/>', '<end pd="x" id="0"/>',
  '<protection_domain name="z"><program_image path="z"/></protection_domain>', '<memory_region name="m" size="0x1000"/>',
  '<virtual_machine name="vm"><vcpu id="0"/></virtual_machine>', '<domains>', '</system>', '<system>', 'id="62"', 'priority="255"',
];

function mutate(src: string, r: () => number): string {
  let s = src;
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * (s.length + 1));
    const len = Math.floor(r() * 40);
    switch (Math.floor(r() * 6)) {
      case 0: // delete a range
        s = s.slice(0, at) + s.slice(at + len);
        break;
      case 1: // insert a fragment
        s = s.slice(0, at) + FRAGMENTS[Math.floor(r() * FRAGMENTS.length)] + s.slice(at);
        break;
      case 2: // duplicate a range
        s = s.slice(0, at + len) + s.slice(at, at + len) + s.slice(at + len);
        break;
      case 3: // truncate
        s = s.slice(0, at);
        break;
      case 4: {
        // replace a number with another
        const nums = [...s.matchAll(/\b(0x[0-9a-f_]+|\d+)\b/g)];
        if (nums.length) {
          const m = nums[Math.floor(r() * nums.length)];
          const repl = ['0', '1', '62', '255', '0x7fffffffffff', '18446744073709551615', '0x10000000000000000', '-3', '0x1001'][Math.floor(r() * 9)];
          s = s.slice(0, m.index) + repl + s.slice(m.index! + m[0].length);
        }
        break;
      }
      default: {
        // swap an attribute name for another one
        const names = [...s.matchAll(/ ([a-z_]+)=/g)];
        if (names.length > 1) {
          const a = names[Math.floor(r() * names.length)];
          const b = names[Math.floor(r() * names.length)];
          s = s.slice(0, a.index! + 1) + b[1] + s.slice(a.index! + 1 + a[1].length);
        }
      }
    }
  }
  return s;
}

describe('fuzzing', () => {
  it('survives 4000 seeded mutations', () => {
    const r = rng(0x5d1f);
    let rejected = 0;
    for (let i = 0; i < 4000; i++) {
      const src = mutate(seeds[i % seeds.length], r);
      const kernel = BOARDS[i % BOARDS.length].kernel;
      const res = checkSdf(src, { fileName: 'fuzz.system', kernel, readFile: () => new Uint8Array(8) });
      for (const d of res.diagnostics) {
        expect(d.code, d.message).not.toBe('internal');
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
        expect(d.message.length).toBeGreaterThan(0);
      }
      if (res.system === null) {
        rejected++;
        expect(res.diagnostics[0].severity).toBe('error');
      }
      if (i % 10 === 0) {
        const lines = src.split('\n');
        const line = 1 + Math.floor(r() * lines.length);
        const col = 1 + Math.floor(r() * ((lines[line - 1]?.length ?? 0) + 1));
        completionsAt(src, line, col, kernel);
        hoverAt(src, line, col, kernel);
      }
    }
    // the mutations are meant to break things: most should be rejected, some survive
    expect(rejected).toBeGreaterThan(1000);
    expect(rejected).toBeLessThan(4000);
  });
});

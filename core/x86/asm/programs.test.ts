/** Property test on whole programs: random code with labels and jumps in every mode.
 * Decoding the output (iced-x86) instruction by instruction must land exactly on the
 * line map's boundaries, and every branch must reach its label's address. */
import { describe, expect, it } from 'vitest';
import { assemble } from './index';
import { decodeOne } from './testing/iced';
import { Random } from './testing/random';

type Bits = 16 | 32 | 64;

function program(rng: Random, bits: Bits, lines: number): { src: string; jumps: Map<number, string> } {
  const labels = Array.from({ length: 12 }, (_, i) => `L${i}`);
  const placed = new Set<string>();
  const out: string[] = ['org 0x2000'];
  const jumps = new Map<number, string>();
  const acc = { 16: 'ax', 32: 'eax', 64: 'rax' }[bits];
  for (let i = 0; i < lines; i++) {
    const r = rng.next();
    const label = rng.pick(labels);
    if (r < 0.12 && !placed.has(label)) {
      placed.add(label);
      out.push(`${label}:`);
    } else if (r < 0.45) {
      const op = rng.pick(['jmp', 'jz', 'jnc', 'jg', 'call', 'jmp short', 'loop', bits === 64 ? 'jrcxz' : 'jecxz']);
      const short = op === 'jmp short' || op === 'loop' || op.endsWith('cxz');
      // short forms may only reach nearby labels; keep them to the next line's label
      if (short) {
        out.push(`${op} .n${i}`);
        jumps.set(out.length, `.n${i}`);
        out.push(`.n${i}: nop`);
        continue;
      }
      out.push(`${op} ${label}`);
      jumps.set(out.length, label);
    } else if (r < 0.6) out.push(`times ${rng.int(1, 90)} nop`);
    else if (r < 0.75) out.push(`mov ${acc}, ${rng.int(-1000, 30000)}`);
    else if (r < 0.85) out.push(`add ${acc}, ${rng.pick(labels)} - ${rng.pick(labels)}`);
    else out.push(`db ${rng.int(0, 255)}`);
  }
  for (const l of labels) if (!placed.has(l)) out.push(`${l}: hlt`);
  return { src: out.join('\n'), jumps };
}

describe('whole programs decode back to their labels', () => {
  for (const bits of [16, 32, 64] as Bits[]) {
    it(`random programs with forward and backward jumps in ${bits}-bit mode`, () => {
      const rng = new Random(1234 + bits);
      for (let n = 0; n < 25; n++) {
        const { src, jumps } = program(rng, bits, 120);
        const r = assemble(src, { bits });
        expect(r.errors).toEqual([]);
        let qualifier = '';
        for (const entry of r.lineMap) {
          const line = src.split('\n')[entry.line - 1];
          const m = /^(L\d+):/.exec(line);
          if (m) qualifier = m[1];
          if (entry.length === 0 || /^(times|db)/.test(line)) continue;
          const at = entry.address - r.origin;
          const d = decodeOne(bits, r.bytes.slice(at, at + 15), BigInt(entry.address));
          expect(d.length, `${line} @${entry.address}`).toBe(entry.length);
          const target = jumps.get(entry.line);
          if (target) {
            const name = target.startsWith('.') ? qualifier + target : target;
            const branch = d.operands.find((o) => o.kind === 'branch');
            expect(branch && branch.kind === 'branch' ? Number(branch.target) : -1, `${line}`).toBe(r.symbols.get(name));
          }
        }
      }
    });
  }
});

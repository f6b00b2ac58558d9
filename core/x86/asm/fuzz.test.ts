/** Whatever the source, `assemble` returns (never throws) and reports errors in range. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from './index';

const PIECES = [
  'mov', 'add', 'jmp', 'jz', 'push', 'lea', 'times', 'db', 'dw', 'equ', 'align', 'org', 'bits', 'rep', 'lock', 'short', 'near', 'far',
  'byte', 'dword', 'qword', 'rel', 'eax', 'rax', 'al', 'ah', 'r8', 'sil', 'bx', 'si', 'bp', 'cr3', 'ds', 'fs', 'rip',
  '[', ']', ',', ':', '+', '-', '*', '/', '//', '%', '<<', '>>', '(', ')', '~', '$', '$$', '0x10', '1', '-1', '300', '0ffh', '1e12', "'a'", '"s"', '`\\n`',
  'x', '.l', 'x:', '.l:', ';', '\n', '\t', '99999999999999999999999',
];

describe('fuzzing the assembler', () => {
  it('never throws and keeps errors on real lines', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), fc.constantFrom(16, 32, 64), (parts, bits) => {
        const src = parts.join(' ');
        const r = assemble(src, { bits: bits as 16 | 32 | 64 });
        const lines = src.split('\n').length;
        for (const e of r.errors) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines);
          expect(e.column).toBeGreaterThanOrEqual(1);
          expect(e.message.length).toBeGreaterThan(0);
        }
        expect(r.bytes).toBeInstanceOf(Uint8Array);
      }),
      { numRuns: 1500, seed: 42 },
    );
  });
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (src) => {
        expect(() => assemble(src)).not.toThrow();
      }),
      { numRuns: 1500, seed: 7 },
    );
  });
});

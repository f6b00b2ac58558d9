/** Differential test against iced-x86: see testing/differential.ts. */
import { describe, expect, it } from 'vitest';
import { runDifferential } from './testing/differential';

describe('differential against iced-x86', () => {
  for (const bits of [16, 32, 64] as const) {
    it(`every table form in ${bits}-bit mode decodes to what was written`, () => {
      const { checked, failures } = runDifferential(bits);
      expect(failures.slice(0, 30)).toEqual([]);
      expect(checked).toBeGreaterThan(1000);
    });
  }
});

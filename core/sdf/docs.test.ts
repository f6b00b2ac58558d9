import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSdfReference } from './docs';
import { SDF_ELEMENTS } from './schema';

describe('generated SDF reference', () => {
  it('docs/sdf-reference.md is up to date (run `npx tsx scripts/gen-sdf-docs.ts`)', () => {
    const committed = readFileSync(path.resolve(__dirname, '../../docs/sdf-reference.md'), 'utf8');
    expect(committed).toBe(renderSdfReference());
  });
  it('documents every element and attribute of the schema', () => {
    const md = renderSdfReference();
    for (const e of SDF_ELEMENTS) {
      expect(md).toContain(`\`${e.name}\``);
      for (const a of e.attrs) expect(md).toContain(`| \`${a.name}\` |`);
    }
  });
});

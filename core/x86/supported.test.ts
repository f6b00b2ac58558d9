import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allMnemonics } from './decoder';
import { implementedMnemonics } from './exec';
import { supportedMarkdown } from './supported';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'SUPPORTED.md');

describe('SUPPORTED.md', () => {
  it('matches the decoder and interpreter tables', () => {
    const text = supportedMarkdown();
    if (process.env.UPDATE_SUPPORTED) writeFileSync(file, text);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('every decodable mnemonic has semantics', () => {
    const impl = new Set(implementedMnemonics());
    expect(allMnemonics().filter((m) => !impl.has(m))).toEqual([]);
  });
});

/** Whole programs whose bytes NASM 2.16.01 produced (`nasm -f bin`), kept next to their source. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assemble, lineOfAddress } from './index';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const hex = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('fixture programs match NASM byte for byte', () => {
  it('boots from real mode through protected mode to long mode (longmode.asm)', () => {
    const src = readFileSync(path.join(dir, 'longmode.asm'), 'utf8');
    const expected = readFileSync(path.join(dir, 'longmode.nasm.hex'), 'utf8').replace(/\s/g, '');
    const r = assemble(src);
    expect(r.errors).toEqual([]);
    expect(hex(r.bytes)).toBe(expected);
    expect(r.origin).toBe(0x7c00);
    expect(r.symbols.get('lm_entry.next')).toBeDefined();
    // the line map points back at the far jump into long mode
    const jmpLine = src.split('\n').findIndex((l) => l.includes('jmp 0x18:lm_entry')) + 1;
    const entry = r.lineMap.find((e) => e.line === jmpLine)!;
    expect(lineOfAddress(r.lineMap, entry.address)).toBe(jmpLine);
  });
});

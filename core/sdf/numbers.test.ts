import { describe, expect, it } from 'vitest';
import { hex, parseDecimalI64, parseDecimalU64, parseGenericNumber, parseHexI64 } from './numbers';

describe('generic numbers', () => {
  it('accepts decimal, lowercase-0x hex and underscores anywhere', () => {
    expect(parseGenericNumber('4096')).toEqual({ ok: true, value: 4096n });
    expect(parseGenericNumber('0x200_000')).toEqual({ ok: true, value: 0x200000n });
    expect(parseGenericNumber('1_000')).toEqual({ ok: true, value: 1000n });
    expect(parseGenericNumber('_0_x_1_0')).toEqual({ ok: true, value: 16n });
  });
  it('reports the reasons Rust gives', () => {
    expect(parseGenericNumber('0x200_000sd')).toEqual({ ok: false, reason: 'invalid digit found in string' });
    expect(parseGenericNumber('')).toEqual({ ok: false, reason: 'cannot parse integer from empty string' });
    expect(parseGenericNumber('0x')).toEqual({ ok: false, reason: 'cannot parse integer from empty string' });
    expect(parseGenericNumber('0X10')).toEqual({ ok: false, reason: 'invalid digit found in string' });
    expect(parseGenericNumber('-1')).toEqual({ ok: false, reason: 'invalid digit found in string' });
    expect(parseGenericNumber('18446744073709551616')).toEqual({ ok: false, reason: 'number too large to fit in target type' });
    expect(parseGenericNumber('18446744073709551615')).toEqual({ ok: true, value: (1n << 64n) - 1n });
  });
  it('takes the first problem from the left, like Rust', () => {
    expect(parseGenericNumber('99999999999999999999x').ok).toBe(false);
    expect(parseGenericNumber('99999999999999999999x')).toEqual({ ok: false, reason: 'number too large to fit in target type' });
    expect(parseGenericNumber('9x9999999999999999999999')).toEqual({ ok: false, reason: 'invalid digit found in string' });
  });
  it('accepts a leading plus sign like from_str_radix', () => {
    expect(parseGenericNumber('+5')).toEqual({ ok: true, value: 5n });
    expect(parseGenericNumber('+')).toEqual({ ok: false, reason: 'invalid digit found in string' });
  });
});

describe('decimal-only numbers', () => {
  it('parses signed values and rejects hex', () => {
    expect(parseDecimalI64('-1')).toEqual({ ok: true, value: -1n });
    expect(parseDecimalI64('0x20').ok).toBe(false);
    expect(parseDecimalI64('9223372036854775808')).toEqual({ ok: false, reason: 'number too large to fit in target type' });
    expect(parseDecimalI64('-9223372036854775809')).toEqual({ ok: false, reason: 'number too small to fit in target type' });
    expect(parseDecimalU64('-1').ok).toBe(false);
  });
  it('parses PCI hex fields', () => {
    expect(parseHexI64('1f')).toEqual({ ok: true, value: 31n });
    expect(parseHexI64('-1')).toEqual({ ok: true, value: -1n });
    expect(parseHexI64('g').ok).toBe(false);
  });
  it('formats like {:#x}', () => {
    expect(hex(0x9001000n)).toBe('0x9001000');
    expect(hex(0)).toBe('0x0');
  });
  it('gives exact values on both sides of the short-number path (13 digits)', () => {
    for (const d of ['9', 'f']) {
      for (let n = 11; n <= 16; n++) {
        const digits = d.repeat(n);
        const hexValue = BigInt('0x' + digits);
        expect(parseGenericNumber('0x' + digits)).toEqual({ ok: true, value: hexValue });
        if (d === '9') expect(parseGenericNumber(digits)).toEqual({ ok: true, value: BigInt(digits) });
        else expect(parseGenericNumber(digits)).toEqual({ ok: false, reason: 'invalid digit found in string' });
      }
    }
    expect(parseGenericNumber('0x' + 'f'.repeat(17))).toEqual({ ok: false, reason: 'number too large to fit in target type' });
    expect(parseGenericNumber('0x1_0000_0000_0000')).toEqual({ ok: true, value: 0x1000000000000n });
  });
});

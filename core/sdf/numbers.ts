/** Number parsing exactly as the microkit tool does it (§A.0). Rust's integer parsers
 * are mirrored, including their error texts, because those texts end up in messages. */

export const U64_MAX = (1n << 64n) - 1n;
const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

export type NumberParse = { ok: true; value: bigint } | { ok: false; reason: string };

const EMPTY = 'cannot parse integer from empty string';
const INVALID = 'invalid digit found in string';
const TOO_LARGE = 'number too large to fit in target type';
const TOO_SMALL = 'number too small to fit in target type';

function digitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  if (code >= 65 && code <= 90) return code - 55;
  return 99;
}

/** Up to 13 plain digits fit a double exactly (< 2^53) and every target type: the common
 * case, without a BigInt per digit. -1 when the string needs the full parse. */
function quickParse(s: string, radix: number): number {
  if (s.length > 13) return -1;
  let value = 0;
  for (let i = 0; i < s.length; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d >= radix) return -1;
    value = value * radix + d;
  }
  return value;
}

/** Rust `from_str_radix` for an integer type with the given bounds: an optional sign, then
 * digits, scanned left to right so the first problem found decides the error. */
function rustParse(s: string, radix: number, min: bigint, max: bigint): NumberParse {
  if (s.length === 0) return { ok: false, reason: EMPTY };
  const quick = quickParse(s, radix);
  if (quick >= 0) return { ok: true, value: BigInt(quick) };
  let i = 0;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    // a lone sign is an invalid digit; '-' on an unsigned type too
    if (s.length === 1) return { ok: false, reason: INVALID };
    if (s[0] === '-') {
      if (min === 0n) return { ok: false, reason: INVALID };
      negative = true;
    }
    i = 1;
  }
  const r = BigInt(radix);
  let value = 0n;
  for (; i < s.length; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d >= radix) return { ok: false, reason: INVALID };
    value = value * r + (negative ? -BigInt(d) : BigInt(d));
    if (value > max) return { ok: false, reason: TOO_LARGE };
    if (value < min) return { ok: false, reason: TOO_SMALL };
  }
  return { ok: true, value };
}

/** The tool's "generic number": underscores removed anywhere, lowercase `0x` means hex, u64. */
export function parseGenericNumber(raw: string): NumberParse {
  const s = raw.includes('_') ? raw.replace(/_/g, '') : raw;
  if (s.startsWith('0x')) return rustParse(s.slice(2), 16, 0n, U64_MAX);
  return rustParse(s, 10, 0n, U64_MAX);
}

/** Rust `str::parse::<i64>()` (decimal only, optional sign). */
export function parseDecimalI64(raw: string): NumberParse {
  return rustParse(raw, 10, I64_MIN, I64_MAX);
}

/** Rust `str::parse::<u64>()` (decimal only, optional '+'). */
export function parseDecimalU64(raw: string): NumberParse {
  return rustParse(raw, 10, 0n, U64_MAX);
}

/** Rust `i64::from_str_radix(s, 16)` as used for PCI address fields. */
export function parseHexI64(raw: string): NumberParse {
  return rustParse(raw, 16, I64_MIN, I64_MAX);
}

/** Rust's `{:#x}` formatting. */
export function hex(n: bigint | number): string {
  return '0x' + n.toString(16);
}

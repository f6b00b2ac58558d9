/** Splits one source line into tokens with 1-based columns. Knows NASM's
 * identifier characters, number forms, the three string quotes and `;` comments. */
import { MSG, StatementError } from './errors';

export type TokenType = 'id' | 'num' | 'str' | 'op';

export interface Token {
  type: TokenType;
  text: string;
  col: number;
  endCol: number;
  /** numbers: their value; strings: their bytes */
  num?: bigint;
  bytes?: number[];
}

const ID_START = /[A-Za-z_.?@]/;
const ID_CHAR = /[A-Za-z0-9_.?@$#~]/;
const THREE_CHAR_OPS = ['<<<', '>>>'];
const TWO_CHAR_OPS = ['<<', '>>', '//', '%%', '$$', '==', '!=', '<>', '<=', '>=', '&&', '||', '^^'];

export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ';') break;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    // `$name` escapes an identifier (e.g. a label called `eax`); `$1f` is a hex number.
    if (c === '$' && i + 1 < line.length && /[0-9]/.test(line[i + 1])) {
      i++;
      while (i < line.length && /[0-9A-Za-z_]/.test(line[i])) i++;
      out.push(numberToken(line.slice(start, i), start));
      continue;
    }
    if (c === '$' && i + 1 < line.length && ID_START.test(line[i + 1])) {
      i++;
      while (i < line.length && ID_CHAR.test(line[i])) i++;
      out.push({ type: 'id', text: line.slice(start, i), col: start + 1, endCol: i + 1 });
      continue;
    }
    // a lone `?` is the conditional operator; `?name` is an identifier
    if (c === '?' && !ID_CHAR.test(line[i + 1] ?? '')) {
      out.push({ type: 'op', text: '?', col: start + 1, endCol: start + 2 });
      i++;
      continue;
    }
    if (ID_START.test(c)) {
      while (i < line.length && ID_CHAR.test(line[i])) i++;
      out.push({ type: 'id', text: line.slice(start, i), col: start + 1, endCol: i + 1 });
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < line.length && /[0-9A-Za-z_.]/.test(line[i])) i++;
      out.push(numberToken(line.slice(start, i), start));
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const { bytes, end } = readString(line, i);
      out.push({ type: 'str', text: line.slice(start, end), col: start + 1, endCol: end + 1, bytes });
      i = end;
      continue;
    }
    const three = line.slice(i, i + 3);
    if (THREE_CHAR_OPS.includes(three)) {
      out.push({ type: 'op', text: three, col: start + 1, endCol: start + 4 });
      i += 3;
      continue;
    }
    const two = line.slice(i, i + 2);
    if (TWO_CHAR_OPS.includes(two)) {
      out.push({ type: two === '$$' ? 'id' : 'op', text: two, col: start + 1, endCol: start + 3 });
      i += 2;
      continue;
    }
    if ('+-*/%&|^~!()[],:$<>=?'.includes(c)) {
      out.push({ type: c === '$' ? 'id' : 'op', text: c, col: start + 1, endCol: start + 2 });
      i++;
      continue;
    }
    throw new StatementError(MSG.unexpected(c), start + 1, start + 2);
  }
  return out;
}

function numberToken(text: string, start: number): Token {
  const value = parseNumber(text);
  if (value === undefined) throw new StatementError(MSG.invalidNumber(text), start + 1, start + text.length + 1);
  return { type: 'num', text, col: start + 1, endCol: start + text.length + 1, num: value };
}

/** NASM number syntax: 0x/0h/$ hex, trailing h/x hex, 0b/trailing b|y binary,
 * 0o/0q/trailing o|q octal, 0d/trailing d|t decimal; `_` separators allowed. */
export function parseNumber(raw: string): bigint | undefined {
  let t = raw.replace(/_/g, '').toLowerCase();
  let radix = 10;
  if (t.startsWith('$')) {
    radix = 16;
    t = t.slice(1);
  } else if (/^0[xh]./.test(t)) {
    radix = 16;
    t = t.slice(2);
  } else if (/^0[by]./.test(t) && !/^0b[0-9a-f]*h$/.test(t)) {
    radix = 2;
    t = t.slice(2);
  } else if (/^0[oq]./.test(t)) {
    radix = 8;
    t = t.slice(2);
  } else if (/^0[dt]./.test(t) && !/h$/.test(t)) {
    t = t.slice(2);
  } else if (/[hx]$/.test(t)) {
    radix = 16;
    t = t.slice(0, -1);
  } else if (/[by]$/.test(t)) {
    radix = 2;
    t = t.slice(0, -1);
  } else if (/[oq]$/.test(t)) {
    radix = 8;
    t = t.slice(0, -1);
  } else if (/[dt]$/.test(t)) {
    t = t.slice(0, -1);
  }
  const digits = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-f]+$/ }[radix as 2 | 8 | 10 | 16];
  if (!digits.test(t)) return undefined;
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[radix as 2 | 8 | 10 | 16];
  return BigInt(prefix + t);
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, '`': 96, a: 7, b: 8, f: 12, v: 11, e: 27 };

function readString(line: string, at: number): { bytes: number[]; end: number } {
  const quote = line[at];
  const bytes: number[] = [];
  let i = at + 1;
  while (i < line.length && line[i] !== quote) {
    if (quote === '`' && line[i] === '\\' && i + 1 < line.length) {
      const e = line[i + 1];
      if (e === 'x' && /[0-9a-fA-F]/.test(line[i + 2] ?? '')) {
        let j = i + 2;
        while (j < i + 4 && /[0-9a-fA-F]/.test(line[j] ?? '')) j++;
        bytes.push(parseInt(line.slice(i + 2, j), 16));
        i = j;
        continue;
      }
      bytes.push(ESCAPES[e] ?? e.charCodeAt(0));
      i += 2;
      continue;
    }
    pushUtf8(bytes, line.codePointAt(i)!);
    i += line.codePointAt(i)! > 0xffff ? 2 : 1;
  }
  if (i >= line.length) throw new StatementError(MSG.unterminatedString(), at + 1, line.length + 1);
  return { bytes, end: i + 1 };
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

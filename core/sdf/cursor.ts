/** A forgiving scan of a (possibly broken, half-typed) SDF up to a cursor: which
 * elements are open there, and whether the cursor sits in a tag, an attribute name or
 * an attribute value. Completion and hover use it; it never throws. */
import { childKey, type ElementKey, irqVariant } from './schema';

export interface OpenElement {
  tag: string;
  /** schema key, null when the element is not valid at this place */
  key: ElementKey | null;
  /** tags of the child elements seen so far */
  children: string[];
}

export interface TagAttr {
  name: string;
  value: string | null;
  nameStart: number;
  nameEnd: number;
  /** inside the quotes */
  valueStart: number;
  valueEnd: number;
}

export interface TagInfo {
  start: number;
  /** exclusive; the end of the text scanned when the tag is unterminated */
  end: number;
  closing: boolean;
  tag: string;
  nameStart: number;
  nameEnd: number;
  attrs: TagAttr[];
}

export interface CursorScan {
  /** open elements around the cursor, outermost first */
  stack: OpenElement[];
  /** the tag the cursor is in, if any */
  tag: TagInfo | null;
  /** the cursor is inside a comment, CDATA, PI or DOCTYPE */
  inOther: boolean;
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

function localName(q: string): string {
  const i = q.indexOf(':');
  return i >= 0 ? q.slice(i + 1) : q;
}

/** Reads a tag starting at `start` ('<'); stops at '>' outside quotes or before the next '<'. */
export function readTag(text: string, start: number): TagInfo {
  let i = start + 1;
  const closing = text[i] === '/';
  if (closing) i++;
  NAME.lastIndex = i;
  const m = NAME.exec(text);
  const nameStart = i;
  const qname = m ? m[0] : '';
  i += qname.length;
  const attrs: TagAttr[] = [];
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '>' || c === '<') break;
    if (c === '/' || c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    NAME.lastIndex = i;
    const am = NAME.exec(text);
    if (!am) {
      i++;
      continue;
    }
    const a: TagAttr = { name: localName(am[0]), value: null, nameStart: i, nameEnd: i + am[0].length, valueStart: -1, valueEnd: -1 };
    attrs.push(a);
    i = a.nameEnd;
    while (i < n && /\s/.test(text[i])) i++;
    if (text[i] !== '=') continue;
    i++;
    while (i < n && /\s/.test(text[i])) i++;
    const q = text[i];
    if (q !== '"' && q !== "'") continue;
    const close = text.indexOf(q, i + 1);
    const lt = text.indexOf('<', i + 1);
    const stop = close < 0 ? (lt < 0 ? n : lt) : lt >= 0 && lt < close ? lt : close;
    a.valueStart = i + 1;
    a.valueEnd = stop;
    a.value = text.slice(i + 1, stop);
    i = stop === close ? close + 1 : stop;
  }
  const end = text[i] === '>' ? i + 1 : i;
  return { start, end, closing, tag: localName(qname), nameStart, nameEnd: nameStart + qname.length, attrs };
}

const OTHER: [string, string][] = [
  ['<!--', '-->'],
  ['<![CDATA[', ']]>'],
  ['<?', '?>'],
  ['<!', '>'],
];

export function scanTo(text: string, offset: number): CursorScan {
  const stack: OpenElement[] = [];
  const push = (tag: string) => {
    const parent = stack[stack.length - 1];
    let key: ElementKey | null = null;
    if (!parent) key = tag === 'system' ? 'system' : null;
    else if (parent.key) key = childKey(parent.key, tag);
    parent?.children.push(tag);
    stack.push({ tag, key, children: [] });
  };
  let i = 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt < 0 || lt >= offset) return { stack, tag: null, inOther: false };
    const other = OTHER.find(([open]) => text.startsWith(open, lt));
    if (other) {
      const close = text.indexOf(other[1], lt + other[0].length);
      const end = close < 0 ? text.length : close + other[1].length;
      if (offset < end || close < 0) return { stack, tag: null, inOther: true };
      i = end;
      continue;
    }
    const tag = readTag(text, lt);
    const terminated = text[tag.end - 1] === '>';
    if (offset < tag.end || (!terminated && offset <= tag.end)) return { stack, tag, inOther: false };
    if (tag.closing) {
      const at = stack.map((s) => s.tag).lastIndexOf(tag.tag);
      if (at >= 0) stack.length = at;
    } else {
      push(tag.tag);
      if (text[tag.end - 2] === '/') stack.pop();
    }
    i = Math.max(tag.end, lt + 1);
  }
}

/** irq variant of a tag from the attributes typed so far */
export function tagVariant(tag: TagInfo) {
  return irqVariant((n) => tag.attrs.some((a) => a.name === n));
}

/** whether the top element is a protection_domain nested in another */
export function isChildPd(stack: OpenElement[]): boolean {
  const n = stack.length;
  return n >= 2 && stack[n - 1].key === 'protection_domain' && stack[n - 2].key === 'protection_domain';
}

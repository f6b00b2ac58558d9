/** A fast path for `parseXml`: a hand-written reader for the plain XML every real SDF is
 * written in (ASCII, no entities, CDATA, DOCTYPE, namespaces or processing instructions
 * besides a simple XML declaration). It builds exactly the tree the saxes path builds, and
 * gives up (returns null) at the first thing outside that subset — including every
 * well-formedness error — so saxes still decides, and words, everything unusual.
 * saxes costs ~3/4 of a whole check on large files; this reader is several times faster. */
import { SDF_ELEMENTS } from './schema';
import { MAX_XML_DEPTH, type XmlAttr, type XmlElement, type XmlText } from './xml';

/** Anything but tab, newline and printable ASCII without '&' sends the document to saxes. */
const UNUSUAL_CHAR = /[^\t\n\x20-\x25\x27-\x7e]/;
const XML_DECL = /^<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.0\1([ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])(UTF-8|utf-8)\3)?[ \t\n]*\?>/;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9;
}
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}

/** The schema's tag and attribute names by length and first letter: a name read from the
 * document comes back as the schema's (interned) string, so the validator's many lookups
 * and comparisons by name need neither a fresh string nor a fresh hash. */
const KNOWN_NAMES = new Map<number, string[]>();
for (const n of new Set(SDF_ELEMENTS.flatMap((e) => [e.name, ...e.attrs.map((a) => a.name)]))) {
  const key = n.length * 128 + n.charCodeAt(0);
  const list = KNOWN_NAMES.get(key);
  if (list) list.push(n);
  else KNOWN_NAMES.set(key, [n]);
}

class GiveUp {}
const GIVE_UP = new GiveUp();

/** The root element, or null when saxes must parse the document. */
export function parseXmlFast(src: string): XmlElement | null {
  if (UNUSUAL_CHAR.test(src)) return null;
  try {
    return new Reader(src).document();
  } catch (e) {
    if (e === GIVE_UP) return null;
    throw e;
  }
}

class Reader {
  private i = 0;
  // line bookkeeping for increasing offsets
  private lineOffset = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly src: string) {}

  // the last start tag's end kind, and the last lineCol answer (fields, to spare allocations)
  private selfClosing = false;
  private posLine = 1;
  private posColumn = 1;
  /** attributes of the tag being read; each element gets an exactly-sized copy */
  private readonly scratch: XmlAttr[] = [];

  private lineCol(offset: number): void {
    let nl = this.src.indexOf('\n', this.lineOffset);
    while (nl >= 0 && nl < offset) {
      this.line++;
      this.lineStart = nl + 1;
      nl = this.src.indexOf('\n', nl + 1);
    }
    this.lineOffset = offset;
    this.posLine = this.line;
    this.posColumn = offset - this.lineStart + 1;
  }

  document(): XmlElement {
    const src = this.src;
    if (src.startsWith('<?')) {
      const m = XML_DECL.exec(src);
      if (!m) throw GIVE_UP;
      this.i = m[0].length;
    }
    this.misc();
    if (src.charCodeAt(this.i) !== 60 /* < */) throw GIVE_UP;
    const root = this.element();
    this.misc();
    if (this.i !== src.length) throw GIVE_UP;
    return root;
  }

  /** whitespace and comments outside the root */
  private misc(): void {
    const src = this.src;
    for (;;) {
      while (isSpace(src.charCodeAt(this.i))) this.i++;
      if (src.startsWith('<!--', this.i)) this.comment();
      else return;
    }
  }

  private comment(): void {
    const from = this.i + 4;
    const end = this.src.indexOf('-->', from);
    if (end < 0) throw GIVE_UP;
    const body = this.src.slice(from, end);
    if (body.includes('--') || body.endsWith('-')) throw GIVE_UP;
    this.i = end + 3;
  }

  private name(): string {
    const src = this.src;
    const start = this.i;
    if (!isNameStart(src.charCodeAt(start))) throw GIVE_UP;
    let j = start + 1;
    while (isNameChar(src.charCodeAt(j))) j++;
    this.i = j;
    const known = KNOWN_NAMES.get((j - start) * 128 + src.charCodeAt(start));
    if (known) for (const n of known) if (src.startsWith(n, start)) return n;
    return src.slice(start, j);
  }

  /** the start tag at `this.i`, its attributes; leaves `this.i` after the tag and sets `selfClosing` */
  private startTag(): XmlElement {
    const src = this.src;
    const start = this.i;
    this.i++;
    const name = this.name();
    const nameEnd = this.i;
    const attrs = this.scratch;
    let count = 0;
    let selfClosing = false;
    for (;;) {
      const before = this.i;
      while (isSpace(src.charCodeAt(this.i))) this.i++;
      const c = src.charCodeAt(this.i);
      if (c === 62 /* > */) {
        this.i++;
        break;
      }
      if (c === 47 /* / */) {
        if (src.charCodeAt(this.i + 1) !== 62) throw GIVE_UP;
        this.i += 2;
        selfClosing = true;
        break;
      }
      if (this.i === before) throw GIVE_UP; // attributes need whitespace before them
      const aStart = this.i;
      const aName = this.name();
      if (aName.startsWith('xmlns')) throw GIVE_UP;
      while (isSpace(src.charCodeAt(this.i))) this.i++;
      if (src.charCodeAt(this.i) !== 61 /* = */) throw GIVE_UP;
      this.i++;
      while (isSpace(src.charCodeAt(this.i))) this.i++;
      const q = src.charCodeAt(this.i);
      if (q !== 34 && q !== 39) throw GIVE_UP;
      const valueStart = this.i + 1;
      let valueEnd = valueStart;
      for (;;) {
        const v = src.charCodeAt(valueEnd);
        if (v === q) break;
        // the end of the text, '<' (an error), tab and newline (normalised by saxes)
        if (v !== v || v === 60 || v === 9 || v === 10) throw GIVE_UP;
        valueEnd++;
      }
      const value = src.slice(valueStart, valueEnd);
      for (let k = 0; k < count; k++) if (attrs[k].name === aName) throw GIVE_UP;
      this.i = valueEnd + 1;
      attrs[count++] = { name: aName, value, start: aStart, end: this.i, valueStart, valueEnd };
    }
    this.lineCol(start);
    this.selfClosing = selfClosing;
    return { kind: 'element', name, attrs: attrs.slice(0, count), children: [], line: this.posLine, column: this.posColumn, start, nameEnd, tagEnd: this.i };
  }

  /** the element at `this.i` and everything inside it */
  private element(): XmlElement {
    const src = this.src;
    const root = this.startTag();
    if (this.selfClosing) return root;
    const stack: XmlElement[] = [root];
    // the root's text node still open for more text, and whether markup preceded it
    let rootHadMarkup = false;
    for (;;) {
      const textStart = this.i;
      const lt = src.indexOf('<', textStart);
      if (lt < 0) throw GIVE_UP;
      if (lt > textStart) {
        const text = src.slice(textStart, lt);
        if (text.includes(']]>')) throw GIVE_UP;
        if (stack.length === 1) {
          this.lineCol(textStart);
          const firstChild = root.children.length === 0 && !rootHadMarkup;
          const node: XmlText = { kind: 'text', text, line: this.posLine, column: this.posColumn, start: textStart, firstChild };
          root.children.push(node);
        }
        this.i = lt;
      }
      const c = src.charCodeAt(lt + 1);
      if (c === 47 /* / */) {
        this.i = lt + 2;
        const name = this.name();
        while (isSpace(src.charCodeAt(this.i))) this.i++;
        if (src.charCodeAt(this.i) !== 62) throw GIVE_UP;
        this.i++;
        const top = stack.pop()!;
        if (top.name !== name) throw GIVE_UP;
        if (stack.length === 0) return root;
        if (stack.length === 1) rootHadMarkup = true;
      } else if (c === 33 /* ! */) {
        if (!src.startsWith('<!--', lt)) throw GIVE_UP;
        this.comment();
        if (stack.length === 1) rootHadMarkup = true;
      } else {
        if (stack.length >= MAX_XML_DEPTH) throw GIVE_UP;
        const el = this.startTag();
        if (stack.length === 1) rootHadMarkup = true;
        stack[stack.length - 1].children.push(el);
        if (!this.selfClosing) stack.push(el);
      }
    }
  }
}

/** A small, position-keeping XML tree built with saxes: just what the SDF needs.
 * Like the tool's XML parser (roxmltree) it is strict, keeps only local names
 * (namespaces are ignored), drops namespace declarations from the attributes,
 * keeps the root's text nodes (adjacent text and CDATA merged), and reports the first
 * well-formedness error with its position. */
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { parseXmlFast } from './xmlFast';

/** 1-based positions; the end is exclusive. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface XmlAttr {
  /** local name */
  name: string;
  value: string;
  /** UTF-16 offsets of `name="value"` and of the value without quotes (end exclusive) */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

export interface XmlElement {
  kind: 'element';
  /** local name */
  name: string;
  attrs: XmlAttr[];
  children: XmlNode[];
  /** position of the `<` of the start tag (what the tool reports) */
  line: number;
  column: number;
  /** offsets of the `<`, the end of the tag name, and the end of the start tag */
  start: number;
  nameEnd: number;
  tagEnd: number;
}

export interface XmlText {
  kind: 'text';
  text: string;
  line: number;
  column: number;
  start: number;
  /** no element, comment or processing instruction comes before it in its parent */
  firstChild: boolean;
}

export type XmlNode = XmlElement | XmlText;

export interface XmlError {
  /** saxes' message without its leading "line:column: " */
  message: string;
  line: number;
  column: number;
}

export interface XmlDocument {
  root: XmlElement | null;
  error: XmlError | null;
}

/** Deeper documents are rejected (the tool recurses per level; no real SDF nests more than a few). */
export const MAX_XML_DEPTH = 1000;

/** Maps UTF-16 offsets to 1-based line/column. */
export class LineMap {
  private starts: number[] = [0];
  constructor(text: string) {
    let i = text.indexOf('\n');
    while (i >= 0) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }
  pos(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
  span(start: number, end: number): Span {
    const a = this.pos(start);
    const b = this.pos(end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
  offset(line: number, column: number): number {
    const l = Math.min(Math.max(line, 1), this.starts.length);
    return this.starts[l - 1] + column - 1;
  }
}

class Stop extends Error {}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** The attributes of a well-formed start tag (saxes has checked it), read from the source
 * so each keeps its offsets. Values that need entity decoding or whitespace normalisation
 * take saxes' decoded value. Namespace declarations are dropped and prefixes removed. */
function readAttrs(src: string, from: number, tagEnd: number, decoded: Record<string, SaxesAttributeNS | string>): XmlAttr[] {
  const out: XmlAttr[] = [];
  let i = from;
  while (i < tagEnd) {
    let c = src.charCodeAt(i);
    while (isSpace(c) || c === 47 /* / */) c = src.charCodeAt(++i);
    if (c === 62 /* > */ || i >= tagEnd) break;
    const start = i;
    while (c !== 61 /* = */ && !isSpace(c) && i < tagEnd) c = src.charCodeAt(++i);
    const qname = src.slice(start, i);
    while (c !== 34 && c !== 39 && i < tagEnd) c = src.charCodeAt(++i);
    const valueStart = i + 1;
    const valueEnd = src.indexOf(c === 34 ? '"' : "'", valueStart);
    if (valueEnd < 0 || i >= tagEnd) break;
    i = valueEnd + 1;
    if (qname === 'xmlns' || qname.startsWith('xmlns:')) continue;
    let value = src.slice(valueStart, valueEnd);
    if (value.indexOf('&') >= 0 || /[\t\n\r]/.test(value)) {
      const d = decoded[qname];
      value = typeof d === 'string' ? d : (d?.value ?? value);
    }
    const colon = qname.indexOf(':');
    out.push({ name: colon >= 0 ? qname.slice(colon + 1) : qname, value, start, end: i, valueStart, valueEnd });
  }
  return out;
}

/** Line/column of increasing offsets without searching (tags arrive in document order). */
class LineCursor {
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  constructor(private readonly src: string) {}
  pos(offset: number): { line: number; column: number } {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
      this.lineStart = 0;
    }
    let i = this.src.indexOf('\n', this.offset);
    while (i >= 0 && i < offset) {
      this.line++;
      this.lineStart = i + 1;
      i = this.src.indexOf('\n', i + 1);
    }
    this.offset = offset;
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}

export function parseXml(src: string): XmlDocument {
  const root = parseXmlFast(src);
  return root ? { root, error: null } : parseXmlWithSaxes(src);
}

/** The reference reader: every document the fast path declines, with saxes' error messages. */
export function parseXmlWithSaxes(src: string): XmlDocument {
  const lines = new LineCursor(src);
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let error: XmlError | null = null;
  let markupEnd = 0;
  // the text node that text/CDATA may still be appended to
  let openText: XmlText | null = null;
  // a comment or PI directly inside the root (so later text is not its first child)
  let rootHadMarkup = false;

  const fail = (message: string, line: number, column: number) => {
    if (!error) error = { message, line, column };
    throw new Stop();
  };
  // Only the root's own text matters (the tool checks text directly inside <system> and
  // ignores it deeper down), so deeper text is not kept.
  const addText = (t: string) => {
    if (stack.length !== 1) return;
    const parent = stack[0];
    if (openText) {
      openText.text += t;
    } else {
      const p = lines.pos(markupEnd);
      const firstChild = parent.children.length === 0 && !rootHadMarkup;
      openText = { kind: 'text', text: t, line: p.line, column: p.column, start: markupEnd, firstChild };
      parent.children.push(openText);
    }
  };
  const markup = () => {
    // saxes reports some events just before their closing '>'
    let p = parser.position;
    if (src[p - 1] !== '>') p = src.indexOf('>', p) + 1;
    markupEnd = p;
    openText = null;
    if (stack.length === 1) rootHadMarkup = true;
  };

  parser.on('text', addText);
  parser.on('cdata', addText);
  // At most six handlers: saxes slows down fourfold with more (its parser object turns
  // into a slow dictionary). Errors arrive as exceptions; doctype and xmldecl can only
  // precede the root, where text positions don't matter.
  parser.on('comment', markup);
  parser.on('processinginstruction', markup);
  parser.on('opentag', (tag: SaxesTagNS) => {
    const tagEnd = parser.position;
    const start = src.lastIndexOf('<', tagEnd - 1 - (tag.isSelfClosing ? 1 : 0));
    const p = lines.pos(start);
    if (stack.length >= MAX_XML_DEPTH) fail(`elements are nested more than ${MAX_XML_DEPTH} levels deep`, p.line, p.column);
    const nameEnd = start + 1 + tag.name.length;
    const attrs = readAttrs(src, nameEnd, tagEnd, tag.attributes);
    const el: XmlElement = { kind: 'element', name: tag.local, attrs, children: [], line: p.line, column: p.column, start, nameEnd, tagEnd };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    markup();
    if (!tag.isSelfClosing) stack.push(el);
  });
  parser.on('closetag', (tag) => {
    markup();
    if (!tag.isSelfClosing) stack.pop();
  });

  try {
    parser.write(src).close();
  } catch (e) {
    if (!(e instanceof Stop)) {
      const text = e instanceof Error ? e.message : String(e);
      const m = /^(\d+):(\d+): (.*)$/s.exec(text);
      if (m) error = { message: m[3].replace(/\.$/, ''), line: Number(m[1]), column: Number(m[2]) + 1 };
      else {
        const p = new LineMap(src).pos(parser.position);
        error = { message: text, line: p.line, column: p.column };
      }
    }
  }
  return { root: error ? null : root, error };
}

export function attr(el: XmlElement, name: string): XmlAttr | undefined {
  for (const a of el.attrs) if (a.name === name) return a;
  return undefined;
}

export function childElements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.kind === 'element') out.push(c);
  return out;
}

/** A small, position-keeping XML tree built with saxes: just what the SDF needs.
 * Like the tool's XML parser (roxmltree) it is strict, keeps only local names
 * (namespaces are ignored), drops namespace declarations from the attributes,
 * keeps text nodes (adjacent text and CDATA merged), and reports the first
 * well-formedness error with its position. */
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';

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
  /** `name="value"` */
  span: Span;
  /** just the value, without quotes */
  valueSpan: Span;
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
  /** `<name` */
  nameSpan: Span;
  /** the whole start tag */
  startTagSpan: Span;
}

export interface XmlText {
  kind: 'text';
  text: string;
  line: number;
  column: number;
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

const ATTR_RE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Finds each attribute's source span inside a start tag's raw text. */
function attrSpans(src: string, tagStart: number, tagEnd: number, lines: LineMap): Map<string, { span: Span; valueSpan: Span }> {
  const out = new Map<string, { span: Span; valueSpan: Span }>();
  const raw = src.slice(tagStart, tagEnd);
  const nameEnd = raw.search(/[\s/>]/);
  ATTR_RE.lastIndex = nameEnd < 0 ? raw.length : nameEnd;
  let m: RegExpExecArray | null;
  while ((m = ATTR_RE.exec(raw)) !== null) {
    const start = tagStart + m.index;
    const end = start + m[0].length;
    const value = m[2] ?? m[3] ?? '';
    out.set(m[1], { span: lines.span(start, end), valueSpan: lines.span(end - 1 - value.length, end - 1) });
  }
  return out;
}

export function parseXml(src: string, lines: LineMap = new LineMap(src)): XmlDocument {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let error: XmlError | null = null;
  let markupEnd = 0;
  // the text node that text/CDATA may still be appended to
  let openText: XmlText | null = null;

  const fail = (message: string, line: number, column: number) => {
    if (!error) error = { message, line, column };
    throw new Stop();
  };
  const addText = (t: string) => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    if (openText) {
      openText.text += t;
    } else {
      const p = lines.pos(markupEnd);
      openText = { kind: 'text', text: t, line: p.line, column: p.column };
      parent.children.push(openText);
    }
  };
  const markup = () => {
    // saxes reports some events just before their closing '>'
    let p = parser.position;
    if (src[p - 1] !== '>') p = src.indexOf('>', p) + 1;
    markupEnd = p;
    openText = null;
  };

  parser.on('error', (e) => {
    const m = /^(\d+):(\d+): (.*)$/s.exec(e.message);
    if (m) fail(m[3], Number(m[1]), Number(m[2]) + 1);
    else fail(e.message, parser.line, parser.column + 1);
  });
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('comment', markup);
  parser.on('processinginstruction', markup);
  parser.on('doctype', markup);
  parser.on('xmldecl', markup);
  parser.on('opentag', (tag: SaxesTagNS) => {
    const tagEnd = parser.position;
    const tagStart = src.lastIndexOf('<', tagEnd - 1 - (tag.isSelfClosing ? 1 : 0));
    const start = lines.pos(tagStart);
    if (stack.length >= MAX_XML_DEPTH) fail(`elements are nested more than ${MAX_XML_DEPTH} levels deep`, start.line, start.column);
    const spans = attrSpans(src, tagStart, tagEnd, lines);
    const attrs: XmlAttr[] = [];
    const none = lines.span(tagStart, tagStart + 1 + tag.name.length);
    for (const a of Object.values(tag.attributes) as SaxesAttributeNS[]) {
      if (a.name === 'xmlns' || a.prefix === 'xmlns') continue;
      const s = spans.get(a.name);
      attrs.push({ name: a.local, value: a.value, span: s?.span ?? none, valueSpan: s?.valueSpan ?? none });
    }
    const el: XmlElement = {
      kind: 'element',
      name: tag.local,
      attrs,
      children: [],
      line: start.line,
      column: start.column,
      nameSpan: lines.span(tagStart, tagStart + 1 + tag.name.length),
      startTagSpan: lines.span(tagStart, tagEnd),
    };
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
      const p = lines.pos(parser.position);
      error = { message: e instanceof Error ? e.message : String(e), line: p.line, column: p.column };
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

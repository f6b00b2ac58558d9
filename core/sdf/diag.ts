/** Building diagnostics with the tool's exact wording and location formats. The
 * validator stops an element at its first error by throwing `SdfFail`, exactly as the
 * tool's `?` does; the caller records it and moves on to the next independent element. */
import type { Diagnostic } from './api';
import { LineMap, type Span, type XmlAttr, type XmlElement } from './xml';

export class SdfFail extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.toolMessage);
  }
}

type Anchor = XmlElement | { line: number; column: number; span?: Span };
type Focus = XmlAttr | XmlElement | Span | { line: number; column: number } | undefined;

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private lineMap: LineMap | null = null;
  constructor(
    readonly fileName: string,
    private readonly text: string,
  ) {}

  private get lines(): LineMap {
    this.lineMap ??= new LineMap(this.text);
    return this.lineMap;
  }

  private anchorSpan(a: Anchor): Span {
    if ('kind' in a) return this.lines.span(a.start, a.nameEnd);
    return a.span ?? { line: a.line, column: a.column, endLine: a.line, endColumn: a.column + 1 };
  }

  private focusSpan(f: Focus): Span | undefined {
    if (!f) return undefined;
    if ('kind' in f) return this.lines.span(f.start, f.tagEnd);
    if ('valueStart' in f) return this.lines.span(f.start, f.end);
    if ('endLine' in f) return f;
    return { line: f.line, column: f.column, endLine: f.line, endColumn: f.column + 1 };
  }

  loc(a: { line: number; column: number }): string {
    return `${this.fileName}:${a.line}:${a.column}`;
  }

  make(code: string, toolMessage: string, message: string, anchor: Anchor, focus?: Focus, severity: Diagnostic['severity'] = 'error'): Diagnostic {
    const s = this.anchorSpan(anchor);
    const d: Diagnostic = { severity, message, toolMessage, line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn, code };
    const f = this.focusSpan(focus);
    if (f) d.focus = f;
    return d;
  }

  /** `Error: <msg> on element '<tag>': <loc>` */
  value(code: string, el: XmlElement, msg: string, focus?: Focus): SdfFail {
    const message = `${msg} on element '${el.name}'`;
    return new SdfFail(this.make(code, `Error: ${message}: ${this.loc(el)}`, message, el, focus));
  }

  /** `<prefix><msg><sep><loc>` where the location is another element's. */
  located(code: string, msg: string, el: Anchor, opts: { sep?: ': ' | ' @ '; prefix?: string; focus?: Focus } = {}): SdfFail {
    const { sep = ': ', prefix = 'Error: ' } = opts;
    return new SdfFail(this.make(code, `${prefix}${msg}${sep}${this.loc(el)}`, msg, el, opts.focus));
  }

  /** A message without a location suffix (the diagnostic still points somewhere useful). */
  bare(code: string, toolMessage: string, anchor: Anchor, focus?: Focus, message?: string): SdfFail {
    message ??= toolMessage.startsWith('Error: ') ? toolMessage.slice(7) : toolMessage;
    return new SdfFail(this.make(code, toolMessage, message, anchor, focus));
  }

  push(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  warn(code: string, message: string, anchor: Anchor, focus?: Focus): void {
    this.diagnostics.push(this.make(code, `WARNING: ${message}`, message, anchor, focus, 'warning'));
  }

  /** Runs one independent piece; records its first error. Returns false when it failed. */
  guard(fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (e) {
      if (e instanceof SdfFail) {
        this.diagnostics.push(e.diagnostic);
        return false;
      }
      throw e;
    }
  }

  get errorCount(): number {
    let n = 0;
    for (const d of this.diagnostics) if (d.severity === 'error') n++;
    return n;
  }
}

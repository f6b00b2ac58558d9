/** The contract between the SDF language service (core/sdf) and its users:
 * the CLI `check`, the worker, and the editor. */

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** The message as the `microkit` tool words it, without the leading "Error: " and
   * without the trailing location (the location is in line/column). */
  message: string;
  /** The complete text the real tool would print, e.g.
   * "Error: invalid attribute 'foo' on element 'map': hello.system:4:9". */
  toolMessage: string;
  /** 1-based position of the offending element or attribute. */
  line: number;
  column: number;
  /** 1-based, exclusive end of the range to underline (same line if unknown). */
  endLine: number;
  endColumn: number;
  /** Stable identifier of the rule, e.g. "B.5.vaddr-overlap", for docs and filtering. */
  code: string;
  /** A narrower span for the editor's marker when the fault is one attribute or a child
   * element (line/column stay where the tool reports the error). */
  focus?: { line: number; column: number; endLine: number; endColumn: number };
}

export interface CompletionItem {
  label: string;
  kind: 'element' | 'attribute' | 'value';
  /** text to insert (may be a snippet with $1 placeholders) */
  insertText: string;
  isSnippet: boolean;
  detail: string;
  documentation: string;
}

export interface HoverInfo {
  /** Markdown */
  contents: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

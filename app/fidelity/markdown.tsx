/** A small Markdown renderer for the project's own notes (headings, paragraphs, lists,
 * tables, `code`, **bold**): enough for SIMPLIFICATIONS.md without a dependency. */
import type { ReactNode } from 'react';

export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'code'; text: string };

const cells = (line: string) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());

export function parseMarkdown(md: string): Block[] {
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
    } else if (line.startsWith('```')) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
      i++;
      blocks.push({ kind: 'code', text: body.join('\n') });
    } else if (/^#{1,6}\s/.test(line)) {
      const level = line.match(/^#+/)![0].length;
      blocks.push({ kind: 'heading', level, text: line.slice(level).trim() });
      i++;
    } else if (line.trim().startsWith('|')) {
      const header = cells(line);
      const rows: string[][] = [];
      for (i++; i < lines.length && lines[i].trim().startsWith('|'); i++) {
        if (!/^\s*\|?\s*:?-{2,}/.test(lines[i])) rows.push(cells(lines[i]));
      }
      blocks.push({ kind: 'table', header, rows });
    } else if (/^\s*[-*]\s/.test(line)) {
      const items: string[] = [];
      while (i < lines.length && lines[i].trim()) {
        if (/^\s*[-*]\s/.test(lines[i]) && !/^\s{4,}/.test(lines[i])) items.push(lines[i].replace(/^\s*[-*]\s/, ''));
        else items[items.length - 1] += ' ' + lines[i].trim();
        i++;
      }
      blocks.push({ kind: 'list', items });
    } else {
      const body: string[] = [];
      while (i < lines.length && lines[i].trim() && !/^(#|\||```|\s*[-*]\s)/.test(lines[i])) body.push(lines[i++].trim());
      blocks.push({ kind: 'paragraph', text: body.join(' ') });
    }
  }
  return blocks;
}

/** `code` and **bold**; everything else is plain text (React escapes it). */
export function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(`[^`]+`|\*\*[^*]+\*\*)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const t = m[0];
    out.push(t.startsWith('`') ? <code key={m.index}>{t.slice(1, -1)}</code> : <strong key={m.index}>{t.slice(2, -2)}</strong>);
    last = m.index + t.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ source }: { source: string }) {
  return (
    <>
      {parseMarkdown(source).map((b, k) => {
        switch (b.kind) {
          case 'heading': {
            const H = (`h${Math.min(b.level + 2, 6)}`) as 'h3';
            return <H key={k}>{inline(b.text)}</H>;
          }
          case 'paragraph':
            return <p key={k}>{inline(b.text)}</p>;
          case 'list':
            return (
              <ul key={k}>
                {b.items.map((it, j) => (
                  <li key={j}>{inline(it)}</li>
                ))}
              </ul>
            );
          case 'code':
            return <pre key={k}>{b.text}</pre>;
          case 'table':
            return (
              <table key={k} className="md-table">
                <thead>
                  <tr>{b.header.map((h, j) => <th key={j}>{inline(h)}</th>)}</tr>
                </thead>
                <tbody>
                  {b.rows.map((r, j) => (
                    <tr key={j}>{r.map((c, n) => <td key={n}>{inline(c)}</td>)}</tr>
                  ))}
                </tbody>
              </table>
            );
        }
      })}
    </>
  );
}

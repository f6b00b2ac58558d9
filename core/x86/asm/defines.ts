/** The one piece of NASM's preprocessor we support: single-line `%define NAME text`
 * (no parameters) and `%undef NAME`. Uses are replaced token by token, keeping the
 * column of the name they replace so diagnostics still point into the source line. */
import { MSG, StatementError } from './errors';
import { tokenize, type Token } from './lexer';

const MAX_DEPTH = 16;

export class Defines {
  private readonly map = new Map<string, Token[]>();

  /** Handles a `%...` line. Returns false if it is not a preprocessor line at all. */
  directive(text: string): boolean {
    const m = /^\s*(%\w*)\s*(.*)$/.exec(text);
    if (!m) return false;
    const col = text.indexOf('%') + 1;
    const word = m[1].toLowerCase();
    if (word === '%define' || word === '%idefine' || word === '%undef') {
      const body = /^([A-Za-z_.?@$][\w.?@$#~]*)(\(?)\s*(.*)$/.exec(stripComment(m[2]));
      if (!body) throw new StatementError(MSG.defineName(), col, col + m[1].length);
      if (body[2]) throw new StatementError(MSG.preprocessor('%define with parameters'), col, text.length + 1);
      if (word === '%undef') this.map.delete(body[1]);
      else this.map.set(body[1], tokenize(body[3]));
      return true;
    }
    throw new StatementError(MSG.preprocessor(m[1]), col, col + m[1].length);
  }

  expand(tokens: Token[], depth = 0, first?: Token): Token[] {
    if (this.map.size === 0) return tokens;
    if (depth > MAX_DEPTH) throw new StatementError(MSG.defineLoop(), first?.col ?? 1, first?.endCol);
    let changed = false;
    const out: Token[] = [];
    for (const t of tokens) {
      const body = t.type === 'id' ? this.map.get(t.text) : undefined;
      if (!body) {
        out.push(t);
        continue;
      }
      changed = true;
      first ??= t;
      for (const b of body) out.push({ ...b, col: t.col, endCol: t.endCol });
    }
    return changed ? this.expand(out, depth + 1, first) : out;
  }
}

/** Drops a trailing `;` comment that is not inside quotes. */
function stripComment(s: string): string {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === ';') return s.slice(0, i).trimEnd();
  }
  return s.trimEnd();
}

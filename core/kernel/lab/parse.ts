/** Lab-script syntax: one libsel4-style C statement per line.
 *   stmt   := ['as' NAME ':'] (decl | expr) [';']   | 'bootinfo'
 *   decl   := [TYPE] NAME '=' expr        (TYPE: seL4_CPtr, seL4_Word, seL4_MessageInfo_t, ... is ignored)
 *   expr   := C expressions over integers: literals (dec, 0x, 0b, U/L suffixes), names, a[i], calls, &name,
 *             { e, ... } (register structs), unary - ~ !, binary * / % + - << >> & ^ | == != < > <= >=, ( )
 * A trailing `# expect TOKENS` lists tokens the line's result must contain; `#` alone starts a comment. */

export type Expr =
  | { k: 'num'; v: bigint; col: number }
  | { k: 'name'; name: string; col: number }
  | { k: 'index'; base: string; index: Expr; col: number }
  | { k: 'member'; base: Expr; name: string; col: number }
  | { k: 'elem'; base: Expr; index: Expr; col: number }
  | { k: 'call'; fn: string; args: Expr[]; col: number }
  | { k: 'addr'; name: string; col: number }
  | { k: 'list'; items: Expr[]; col: number }
  | { k: 'un'; op: string; e: Expr; col: number }
  | { k: 'bin'; op: string; a: Expr; b: Expr; col: number };

export interface Stmt {
  line: number;
  text: string;
  as?: { name: Expr; col: number };
  assign?: string;
  expr?: Expr;
  bootinfo?: boolean;
  expect?: string[];
}

export class LabSyntaxError extends Error {
  constructor(public line: number, public col: number, msg: string) {
    super(`${line}:${col}: ${msg}`);
  }
}

const TYPE_NAMES = new Set(['seL4_BootInfo', 'seL4_UntypedDesc', 'seL4_CPtr', 'seL4_Word', 'seL4_Uint64', 'seL4_Uint32', 'seL4_MessageInfo_t', 'seL4_CapRights_t', 'seL4_Error', 'int', 'unsigned', 'long', 'seL4_SlotPos', 'seL4_Bool', 'uint64_t', 'word_t', 'seL4_CNode_CapData_t', 'seL4_UserContext', 'seL4_VCPUContext', 'const']);

interface Tok {
  t: 'num' | 'id' | 'op' | 'end';
  v: string;
  col: number;
}

function tokenize(src: string, line: number): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
    const col = i + 1;
    if (/[0-9]/.test(ch)) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9_]+)([uUlL]*)/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[1].replace(/_/g, ''), col });
      i += m[0].length;
      if (i < src.length && /[A-Za-z_]/.test(src[i])) throw new LabSyntaxError(line, i + 1, `invalid number suffix '${src[i]}'`);
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0], col });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['<<', '>>', '==', '!=', '<=', '>=', '&&', '||', '->'].includes(two)) {
      out.push({ t: 'op', v: two, col });
      i += 2;
      continue;
    }
    if ('()[]{},;:=+-*/%&|^~!<>.'.includes(ch)) {
      out.push({ t: 'op', v: ch, col });
      i++;
      continue;
    }
    throw new LabSyntaxError(line, col, `unexpected character '${ch}'`);
  }
  out.push({ t: 'end', v: '', col: src.length + 1 });
  return out;
}

const BIN_PREC: Record<string, number> = { '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10 };

class Parser {
  p = 0;
  constructor(private toks: Tok[], private line: number) {}
  peek(): Tok { return this.toks[this.p]; }
  next(): Tok { return this.toks[this.p++]; }
  err(t: Tok, msg: string): never { throw new LabSyntaxError(this.line, t.col, msg); }
  expectOp(v: string): Tok {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) this.err(t, `expected '${v}' but found ${t.t === 'end' ? 'end of line' : `'${t.v}'`}`);
    return t;
  }
  isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  expr(minPrec = 1): Expr {
    let a = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t.t === 'op' ? BIN_PREC[t.v] : undefined;
      if (prec === undefined || prec < minPrec) return a;
      this.next();
      const b = this.expr(prec + 1);
      a = { k: 'bin', op: t.v, a, b, col: t.col };
    }
  }
  unary(): Expr {
    const t = this.peek();
    if (t.t === 'op' && (t.v === '-' || t.v === '~' || t.v === '!')) {
      this.next();
      return { k: 'un', op: t.v, e: this.unary(), col: t.col };
    }
    if (t.t === 'op' && t.v === '&') {
      this.next();
      const n = this.next();
      if (n.t !== 'id') this.err(n, "expected a variable name after '&'");
      return { k: 'addr', name: n.v, col: t.col };
    }
    return this.primary();
  }
  primary(): Expr {
    let e = this.atom();
    // postfix: ->name, .name, [index] (bootinfo structures)
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && (t.v === '->' || t.v === '.')) {
        this.next();
        const n = this.next();
        if (n.t !== 'id') this.err(n, `expected a field name after '${t.v}'`);
        e = { k: 'member', base: e, name: n.v, col: n.col };
      } else if (t.t === 'op' && t.v === '[' && e.k === 'member') {
        this.next();
        const index = this.expr();
        this.expectOp(']');
        e = { k: 'elem', base: e, index, col: t.col };
      } else return e;
    }
  }
  atom(): Expr {
    const t = this.next();
    if (t.t === 'num') return { k: 'num', v: BigInt(t.v), col: t.col };
    if (t.t === 'op' && t.v === '(') {
      // a C cast like (seL4_Word)x is accepted and ignored
      const n = this.peek();
      if (n.t === 'id' && TYPE_NAMES.has(n.v) && this.toks[this.p + 1]?.v === ')') {
        this.p += 2;
        return this.unary();
      }
      const e = this.expr();
      this.expectOp(')');
      return e;
    }
    if (t.t === 'op' && t.v === '{') {
      const items: Expr[] = [];
      if (!this.isOp('}')) {
        for (;;) {
          items.push(this.expr());
          if (this.isOp(',')) { this.next(); continue; }
          break;
        }
      }
      this.expectOp('}');
      return { k: 'list', items, col: t.col };
    }
    if (t.t === 'id') {
      if (this.isOp('(')) {
        this.next();
        const args: Expr[] = [];
        if (!this.isOp(')')) {
          for (;;) {
            args.push(this.expr());
            if (this.isOp(',')) { this.next(); continue; }
            break;
          }
        }
        this.expectOp(')');
        return { k: 'call', fn: t.v, args, col: t.col };
      }
      if (this.isOp('[')) {
        this.next();
        const index = this.expr();
        this.expectOp(']');
        return { k: 'index', base: t.v, index, col: t.col };
      }
      return { k: 'name', name: t.v, col: t.col };
    }
    this.err(t, t.t === 'end' ? 'unexpected end of line' : `unexpected '${t.v}'`);
  }
}

/** Split a line into code and comment; returns the expect tokens if the comment is `# expect ...`. */
function splitComment(raw: string): { code: string; expect?: string[] } {
  const i = raw.indexOf('#');
  let code = i < 0 ? raw : raw.slice(0, i);
  // C comments are accepted too: `// ...` and `/* ... */` within the line
  code = code.replace(/\/\*.*?\*\//g, (m) => ' '.repeat(m.length));
  const sl = code.indexOf('//');
  if (sl >= 0) code = code.slice(0, sl);
  if (i < 0) return { code };
  const comment = raw.slice(i + 1).trim();
  const m = /^expect\b(.*)$/.exec(comment);
  return { code, expect: m ? m[1].trim().split(/\s+/).filter(Boolean) : undefined };
}

export function parseLine(raw: string, line: number): Stmt | null {
  const { code, expect } = splitComment(raw);
  if (!code.trim()) return null;
  const toks = tokenize(code, line);
  const ps = new Parser(toks, line);
  const st: Stmt = { line, text: raw.trim(), expect };
  if (toks[0].t === 'id' && toks[0].v === 'as' && toks[1]?.t !== 'op') {
    ps.next();
    const nameTok = ps.peek();
    st.as = { name: ps.expr(), col: nameTok.col };
    ps.expectOp(':');
  } else if (toks[0].t === 'id' && toks[0].v === 'as' && toks[1]?.t === 'op' && toks[1].v === '(') {
    // as(NAME): form
    ps.next();
    ps.expectOp('(');
    const nameTok = ps.peek();
    st.as = { name: ps.expr(), col: nameTok.col };
    ps.expectOp(')');
    ps.expectOp(':');
  }
  const first = ps.peek();
  if (first.t === 'id' && first.v === 'bootinfo' && ps['toks'][ps.p + 1].t === 'end') {
    st.bootinfo = true;
    return st;
  }
  // declarations: TYPE* NAME = expr, or TYPE* NAME; (initialised to 0)
  let typed = false;
  while (ps.peek().t === 'id' && TYPE_NAMES.has(ps.peek().v) && (ps['toks'][ps.p + 1].t === 'id' || ps['toks'][ps.p + 1].v === '*')) {
    ps.next();
    typed = true;
    while (ps.isOp('*')) ps.next();
  }
  const a = ps.peek();
  const b = ps['toks'][ps.p + 1];
  if (typed && a.t === 'id' && (b.t === 'end' || (b.t === 'op' && b.v === ';'))) {
    st.assign = a.v;
    st.expr = { k: 'num', v: 0n, col: a.col };
    return st;
  }
  if (a.t === 'id' && b.t === 'op' && b.v === '=') {
    ps.next();
    ps.next();
    st.assign = a.v;
  }
  st.expr = ps.expr();
  if (ps.isOp(';')) ps.next();
  const end = ps.peek();
  if (end.t !== 'end') ps.err(end, `unexpected '${end.v}' after the statement`);
  return st;
}

export function parseScript(text: string): { stmts: Stmt[]; errors: LabSyntaxError[] } {
  const stmts: Stmt[] = [];
  const errors: LabSyntaxError[] = [];
  text.split('\n').forEach((raw, i) => {
    try {
      const s = parseLine(raw, i + 1);
      if (s) stmts.push(s);
    } catch (e) {
      if (e instanceof LabSyntaxError) errors.push(e);
      else throw e;
    }
  });
  return { stmts, errors };
}

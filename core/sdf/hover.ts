/** Hover: the meaning, type, default and range of the element or attribute under the cursor. */
import type { KernelConfig } from '../boards';
import type { HoverInfo } from './api';
import { attrDetail, attrDoc } from './completion';
import { type OpenElement, scanTo } from './cursor';
import { attrSpec, childKey, type ElementKey, SDF_SCHEMA, usableAttributes } from './schema';
import { LineMap } from './xml';

function keyOf(stack: OpenElement[], tag: string): ElementKey | null {
  const top = stack[stack.length - 1];
  if (!top) return tag === 'system' ? 'system' : null;
  return top.key ? childKey(top.key, tag) : null;
}

export function hoverAt(text: string, line: number, column: number, kernel: KernelConfig): HoverInfo | null {
  const lines = new LineMap(text);
  const offset = lines.offset(line, column);
  if (offset < 0 || offset > text.length) return null;
  const scan = scanTo(text, offset);
  const tag = scan.tag;
  if (!tag || scan.inOther) return null;
  // for a closing tag the element is the top of the stack
  const stack = tag.closing ? scan.stack.slice(0, -1) : scan.stack;
  const key = keyOf(stack, tag.tag);
  if (!key) return null;
  const spec = SDF_SCHEMA[key];
  const range = (s: number, e: number) => {
    const a = lines.pos(s);
    const b = lines.pos(e);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
  if (offset >= tag.start && offset <= tag.nameEnd) {
    const attrs = usableAttributes(key, { arch: kernel.arch, isChild: key === 'protection_domain' && stack[stack.length - 1]?.key === 'protection_domain' });
    const md = [
      `**<${spec.name}>**`,
      spec.doc,
      attrs.length ? `Attributes: ${attrs.map((a) => `\`${a.name}\``).join(', ')}` : 'No attributes.',
      spec.children.length ? `Children: ${spec.children.map((c) => `\`${SDF_SCHEMA[c].name}\``).join(', ')}` : '',
    ].filter((x) => x !== '');
    return { contents: md.join('\n\n'), ...range(tag.start, tag.nameEnd) };
  }
  const a = tag.attrs.find((x) => offset >= x.nameStart && offset <= Math.max(x.nameEnd, x.valueEnd + 1));
  if (!a) return null;
  const as = attrSpec(key, a.name);
  if (!as) return { contents: `\`${a.name}\` is not an attribute of \`<${spec.name}>\`.`, ...range(a.nameStart, a.nameEnd) };
  const md = [`**${as.name}** (${attrDetail(as)})`, attrDoc(as)];
  // on a reference, show the element it names
  if (as.type === 'ref' && as.ref && a.value && offset >= a.valueStart) {
    const target = findDeclaration(text, as.ref, a.value);
    md.push(target ? `\`${target}\`` : `No \`<${as.ref}>\` named \`${a.value}\` in this file.`);
  }
  return { contents: md.join('\n\n'), ...range(a.nameStart, a.valueEnd >= 0 ? a.valueEnd + 1 : a.nameEnd) };
}

/** The start tag of the element of kind `element` whose name is `name`, if declared. */
function findDeclaration(text: string, element: string, name: string): string | null {
  const re = new RegExp(`<(?:[\\w.-]+:)?${element}\\b[^>]*?>`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const n = /\bname\s*=\s*["']([^"']*)["']/.exec(m[0]);
    if (n && n[1] === name) return m[0].replace(/\s+/g, ' ');
  }
  return null;
}

/** Completion from the schema table: only the elements and attributes valid at the
 * cursor for the board's architecture and kernel, and values for attribute types. */
import type { KernelConfig } from '../boards';
import type { CompletionItem } from './api';
import { isChildPd, type OpenElement, scanTo, tagVariant, type TagInfo } from './cursor';
import { attrSpec, childKey, type AttrSpec, type ElementKey, type ElementSpec, SDF_SCHEMA, usableAttributes } from './schema';
import { LineMap } from './xml';

/** Whether an element may be used with this kernel at all. */
export function elementAvailable(spec: ElementSpec, k: KernelConfig): boolean {
  if (spec.usableOn && !spec.usableOn.includes(k.arch)) return false;
  for (const req of spec.requires ?? []) {
    if (req === 'hypervisor' && !k.hypervisor) return false;
    if (req === 'iommu' && !k.iommu) return false;
    if (req === 'single-core' && k.cores !== 1) return false;
  }
  return true;
}

function keyOfTag(stack: OpenElement[], tag: string): ElementKey | null {
  const top = stack[stack.length - 1];
  if (!top) return tag === 'system' ? 'system' : null;
  return top.key ? childKey(top.key, tag) : null;
}

function elementDoc(spec: ElementSpec): string {
  return spec.doc;
}

function elementInsert(spec: ElementSpec, withLt: boolean): { text: string; snippet: boolean } {
  const lt = withLt ? '<' : '';
  if (spec.snippet) return { text: `${lt}${spec.name}${spec.snippet}`, snippet: true };
  if (spec.children.length > 0) return { text: `${lt}${spec.name}>\n\t$0\n</${spec.name}>`, snippet: true };
  return { text: `${lt}${spec.name} />`, snippet: false };
}

function elementItems(stack: OpenElement[], k: KernelConfig, withLt: boolean): CompletionItem[] {
  const top = stack[stack.length - 1];
  const keys: ElementKey[] = !top ? ['system'] : top.key ? [...SDF_SCHEMA[top.key].children] : [];
  const items: CompletionItem[] = [];
  for (const key of keys) {
    const spec = SDF_SCHEMA[key];
    if (!elementAvailable(spec, k)) continue;
    const count = top ? top.children.filter((c) => c === spec.name).length : 0;
    if ((spec.occurs === 'one' || spec.occurs === 'optional') && count > 0) continue;
    if (spec.occurs === 'two' && count >= 2) continue;
    const ins = elementInsert(spec, withLt);
    items.push({ label: spec.name, kind: 'element', insertText: ins.text, isSnippet: ins.snippet, detail: `<${spec.name}>`, documentation: elementDoc(spec) });
  }
  return items;
}

export function attrDetail(a: AttrSpec): string {
  const parts = [a.type === 'ref' ? `name of a ${a.ref}` : a.type];
  if (a.required === true) parts.push('required');
  else if (a.required === 'child') parts.push('required on child PDs');
  if (a.default !== undefined) parts.push(`default ${a.default}`);
  return parts.join(', ');
}

export function attrDoc(a: AttrSpec): string {
  const lines = [a.doc];
  if (a.range) lines.push(`Range: ${a.range}.`);
  if (a.usableOn || a.archs) lines.push(`Architectures: ${(a.usableOn ?? a.archs)!.join(', ')}.`);
  return lines.join('\n\n');
}

/** Names declared in the document for reference-typed attributes. */
function declaredNames(text: string, element: string): string[] {
  const out = new Set<string>();
  const re = new RegExp(`<(?:[\\w.-]+:)?${element}\\b[^>]*?\\bname\\s*=\\s*["']([^"'<]*)["']`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.add(m[1]);
  return [...out];
}

function valueItems(text: string, a: AttrSpec, k: KernelConfig): CompletionItem[] {
  let values: string[] = [];
  if (a.values) values = [...a.values];
  else if (a.type === 'ref' && a.ref) values = declaredNames(text, a.ref);
  else if (a.type === 'perms') values = ['r', 'rw', 'rx', 'rwx'];
  else if (a.type === 'iomap_perms') values = ['r', 'w', 'rw'];
  else if (a.name === 'page_size') values = k.pageSizes.map((p) => '0x' + p.toString(16));
  else if (a.type === 'duration') values = ['1000 us', '1 ticks'];
  return values.map((v) => ({ label: v, kind: 'value', insertText: v, isSnippet: false, detail: attrDetail(a), documentation: attrDoc(a) }));
}

export function completionsAt(text: string, line: number, column: number, kernel: KernelConfig): CompletionItem[] {
  const offset = Math.min(Math.max(new LineMap(text).offset(line, column), 0), text.length);
  const scan = scanTo(text, offset);
  if (scan.inOther) return [];
  const tag: TagInfo | null = scan.tag;
  if (!tag) return elementItems(scan.stack, kernel, true);
  if (tag.closing) {
    // `</` closes the innermost open element
    const top = scan.stack[scan.stack.length - 1];
    if (!top || offset > tag.nameEnd) return [];
    return [{ label: top.tag, kind: 'element', insertText: `${top.tag}>`, isSnippet: false, detail: `</${top.tag}>`, documentation: 'Close the open element.' }];
  }
  // typing the tag name
  if (offset <= tag.nameEnd) return elementItems(scan.stack, kernel, false);
  const key = keyOfTag(scan.stack, tag.tag);
  if (!key) return [];
  const inValue = tag.attrs.find((a) => a.valueStart >= 0 && offset >= a.valueStart && offset <= a.valueEnd);
  if (inValue) {
    const spec = attrSpec(key, inValue.name);
    return spec ? valueItems(text, spec, kernel) : [];
  }
  const inName = tag.attrs.find((a) => offset >= a.nameStart && offset <= a.nameEnd);
  // after `name=` but before the quote, or inside something else: nothing sensible
  const prev = text.slice(tag.nameEnd, offset);
  if (!inName && /=\s*$/.test(prev)) return [];
  const isChild = key === 'protection_domain' && isChildPd([...scan.stack, { tag: tag.tag, key, children: [] }]);
  const variant = key === 'irq' ? (tagVariant(tag) ?? undefined) : undefined;
  const present = new Set(tag.attrs.filter((a) => a !== inName).map((a) => a.name));
  // a PD's domain= is only allowed (and then required) once <domains> is declared
  if (key === 'protection_domain' && !/<(?:[\w.-]+:)?domains[\s>]/.test(text)) present.add('domain');
  return usableAttributes(key, { arch: kernel.arch, isChild, variant })
    .filter((a) => !present.has(a.name))
    .map((a) => ({ label: a.name, kind: 'attribute', insertText: `${a.name}="$1"`, isSnippet: true, detail: attrDetail(a), documentation: attrDoc(a) }));
}

/** Renders docs/sdf-reference.md from the schema table (run `npx tsx scripts/gen-sdf-docs.ts`). */
import { type AttrSpec, type ElementSpec, SDF_ELEMENTS, SDF_SCHEMA } from './schema';

const ALL = ['aarch64', 'riscv64', 'x86_64'];

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function archs(list: readonly string[] | undefined): string {
  return !list || list.length === ALL.length ? 'all' : list.join(', ');
}

function attrRow(a: AttrSpec): string {
  const variantOnly = a.variants !== undefined && a.variants.length < 3;
  const req = a.required === true ? (variantOnly ? 'in its variant' : 'yes') : a.required === 'child' ? 'child PDs' : 'no';
  const type = a.type === 'ref' ? `name of a \`${a.ref}\`` : a.values ? a.values.map((v) => `\`${v}\``).join(' | ') : a.type;
  const extra = [a.childOnly ? 'child PDs only.' : '', a.variants && a.variants.length < 3 ? `irq variant: ${a.variants.join(', ')}.` : '', a.legacy ? 'Legacy.' : '']
    .filter(Boolean)
    .join(' ');
  return `| \`${a.name}\` | ${cell(type)} | ${req} | ${cell(a.default ?? '')} | ${cell(a.range ?? '')} | ${archs(a.usableOn ?? a.archs)} | ${cell(a.doc + (extra ? ' ' + extra : ''))} |`;
}

function occurs(e: ElementSpec): string {
  return { one: 'exactly one', optional: 'at most one', many: 'any number', 'one-or-more': 'one or more', two: 'exactly two', root: 'the root' }[e.occurs];
}

function tree(key: ElementSpec['key'], depth: number, seen: Set<string>, out: string[]): void {
  const e = SDF_SCHEMA[key];
  out.push(`${'  '.repeat(depth)}- \`${e.name}\` (${occurs(e)})`);
  if (seen.has(key)) return;
  const next = new Set(seen).add(key);
  for (const c of e.children) tree(c, depth + 1, next, out);
}

export function renderSdfReference(): string {
  const out: string[] = [
    '# SDF reference',
    '',
    '<!-- Generated from core/sdf/schema.ts by `npx tsx scripts/gen-sdf-docs.ts`. Do not edit by hand. -->',
    '',
    'The elements and attributes of a Microkit System Description File as the validator, completion and hover know them.',
    'Numbers are decimal or `0x` hex with optional `_` unless the type says `decimal`.',
    '',
    '## Element tree',
    '',
  ];
  tree('system', 0, new Set(), out);
  for (const e of SDF_ELEMENTS) {
    const title = e.key === 'vm_map' ? '`map` (inside `virtual_machine`)' : e.key === 'map' ? '`map` (inside `protection_domain`)' : `\`${e.name}\``;
    out.push('', `## ${title}`, '', e.doc, '');
    const facts = [`Occurs: ${occurs(e)}.`];
    if (e.usableOn) facts.push(`Architectures: ${e.usableOn.join(', ')}.`);
    if (e.requires) facts.push(`Requires: ${e.requires.join(', ')} kernel.`);
    if (e.children.length) facts.push(`Children: ${e.children.map((c) => `\`${SDF_SCHEMA[c].name}\``).join(', ')}.`);
    out.push(facts.join(' '), '');
    if (e.attrs.length === 0) {
      out.push(e.key === 'system' ? 'Attributes are not checked.' : 'No attributes.');
      continue;
    }
    out.push('| attribute | type | required | default | range | architectures | meaning |', '|---|---|---|---|---|---|---|');
    for (const a of e.attrs) out.push(attrRow(a));
  }
  out.push('');
  return out.join('\n');
}

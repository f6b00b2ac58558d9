/** Rules for workspace file names: flat relative paths with a known extension. */
import { KNOWN_EXTENSIONS } from '../../core/protocol';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Returns why `name` cannot be used, or null when it can. */
export function fileNameProblem(name: string, existing: readonly string[]): string | null {
  if (name.trim() === '') return 'The file name is empty.';
  if (!NAME.test(name)) return 'Use letters, digits, "_", "-" and "." only (no folders).';
  if (!KNOWN_EXTENSIONS.some((ext) => name.endsWith(ext))) return `The name must end in ${KNOWN_EXTENSIONS.join(', ')}.`;
  if (existing.includes(name)) return `A file named '${name}' already exists.`;
  return null;
}

/** Files sorted for display: system descriptions first, then programs, then guest sources. */
export function sortedPaths(paths: readonly string[]): string[] {
  const rank = (p: string) => KNOWN_EXTENSIONS.findIndex((ext) => p.endsWith(ext));
  return [...paths].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The starting text of a new file, so a new PD program already has the entry points. */
export function newFileTemplate(name: string): string {
  if (name.endsWith('.system')) return '<?xml version="1.0" encoding="UTF-8"?>\n<system>\n</system>\n';
  if (name.endsWith('.js'))
    return `// ${name}: a protection domain program\n\nexport default {\n  async init(mk) {\n    mk.dbg_puts(\`\${mk.name}: init\\n\`);\n  },\n\n  async notified(mk, ch) {},\n};\n`;
  if (name.endsWith('.asm')) return `; ${name}\nbits 64\n\nstart:\n    hlt\n`;
  return '';
}

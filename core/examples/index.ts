/** The example systems shipped with the app: one folder each, holding a `.system`
 * file, PD programs (`*.js`), guest sources (`*.asm`) and a `meta.json`. Vite (and
 * Vitest) inline the files at build time, so this module is pure data at runtime. */

export interface Example {
  /** folder name, stable: used in URLs and tests */
  id: string;
  title: string;
  /** one line for the gallery */
  description: string;
  /** board name as in core/boards */
  board: string;
  /** workspace-relative path -> file text */
  files: Record<string, string>;
  /** the system description to open first */
  main: string;
}

interface ExampleMeta {
  title: string;
  description: string;
  board: string;
  main: string;
  /** position in the gallery */
  order: number;
}

const META = import.meta.glob<ExampleMeta>('./*/meta.json', { import: 'default', eager: true });
const SOURCES = import.meta.glob<string>(['./*/*.system', './*/*.js', './*/*.asm'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** The example the app opens when there is no saved workspace. */
export const DEFAULT_EXAMPLE_ID = 'x86-vm-basic';

function folderOf(key: string): { folder: string; file: string } {
  const [, folder, file] = key.split('/');
  return { folder: folder ?? '', file: file ?? '' };
}

function load(): Example[] {
  const byFolder = new Map<string, Record<string, string>>();
  for (const [key, text] of Object.entries(SOURCES)) {
    const { folder, file } = folderOf(key);
    const files = byFolder.get(folder) ?? {};
    files[file] = text;
    byFolder.set(folder, files);
  }
  return Object.entries(META)
    .map(([key, meta]) => {
      const id = folderOf(key).folder;
      const files = byFolder.get(id) ?? {};
      if (!(meta.main in files)) throw new Error(`example '${id}': main file '${meta.main}' is missing`);
      return { order: meta.order, example: { id, title: meta.title, description: meta.description, board: meta.board, files, main: meta.main } };
    })
    .sort((a, b) => a.order - b.order || a.example.id.localeCompare(b.example.id))
    .map((e) => e.example);
}

export const EXAMPLES: readonly Example[] = load();

export function findExample(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}

export function defaultExample(): Example {
  const e = findExample(DEFAULT_EXAMPLE_ID);
  if (!e) throw new Error(`default example '${DEFAULT_EXAMPLE_ID}' is missing`);
  return e;
}

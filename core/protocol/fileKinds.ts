/** What a workspace file is, by its extension: one table for the core and the UI. */
export type FileKind = 'system' | 'program' | 'asm' | 'other';

const BY_EXTENSION: Record<string, FileKind> = {
  '.system': 'system',
  '.js': 'program',
  '.asm': 'asm',
};

export function fileKind(path: string): FileKind {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 && BY_EXTENSION[path.slice(dot).toLowerCase()]) || 'other';
}

/** Extensions a new file may have, for the "new file" dialog. */
export const KNOWN_EXTENSIONS = Object.keys(BY_EXTENSION);

/** Which Monaco language each workspace file uses, and model URIs. */
import { fileKind } from '../../core/protocol';

export const ASM_LANGUAGE = 'x86asm';
export const SDF_LANGUAGE = 'xml';

export function languageOf(path: string): string {
  switch (fileKind(path)) {
    case 'system':
      return SDF_LANGUAGE;
    case 'program':
      return 'javascript';
    case 'asm':
      return ASM_LANGUAGE;
    default:
      return 'plaintext';
  }
}

/** Models are named file:///<path>; the path is the workspace path. */
export function pathOfUri(uri: { scheme: string; path: string }): string | null {
  return uri.scheme === 'file' ? uri.path.replace(/^\//, '') : null;
}

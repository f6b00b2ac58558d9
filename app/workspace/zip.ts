/** Workspace export/import as a zip: the files as they are, plus `workspace.json`
 * naming the board and the main system description. A zip without that manifest
 * (made by hand) still imports: the board defaults and the first `.system` is main. */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { DEFAULT_BOARD } from '../../core/boards';
import type { WorkspaceSnapshot } from '../../core/protocol';

export const MANIFEST = 'workspace.json';

interface Manifest {
  format: 1;
  board: string;
  main: string;
}

export function workspaceToZip(ws: WorkspaceSnapshot): Uint8Array {
  const manifest: Manifest = { format: 1, board: ws.board, main: ws.main };
  const entries: Record<string, Uint8Array> = { [MANIFEST]: strToU8(JSON.stringify(manifest, null, 2) + '\n') };
  for (const [path, text] of Object.entries(ws.files)) entries[path] = strToU8(text);
  return zipSync(entries, { level: 6, mtime: new Date(2000, 0, 1) });
}

export function workspaceFromZip(bytes: Uint8Array): WorkspaceSnapshot {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch {
    throw new Error('This file is not a zip archive.');
  }
  const files: Record<string, string> = {};
  for (const [path, data] of Object.entries(entries)) {
    if (path === MANIFEST || path.endsWith('/')) continue;
    files[path.split('/').pop()!] = strFromU8(data);
  }
  const manifest = entries[MANIFEST] ? (JSON.parse(strFromU8(entries[MANIFEST])) as Partial<Manifest>) : {};
  const main = manifest.main && manifest.main in files ? manifest.main : Object.keys(files).find((p) => p.endsWith('.system'));
  if (!main) throw new Error('The zip contains no .system file.');
  return { files, board: manifest.board ?? DEFAULT_BOARD, main };
}

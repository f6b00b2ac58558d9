/** Share links: the whole workspace, compressed, in the URL fragment (no server).
 * Format `#v<N>:<payload>`. Links are forever: every version ever written keeps a
 * decoder, and old versions are migrated forward to today's workspace shape. */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import type { WorkspaceSnapshot } from '../../core/protocol';

/** The version `encodeShareLink` writes. */
export const SHARE_LINK_VERSION = 1;

/** v1 payload: base64url(deflate(JSON)) of this object. Never change it; add v2 instead. */
interface ShareV1 {
  board: string;
  main: string;
  /** [path, text] in display order */
  files: [string, string][];
}

const DECODERS: Record<number, (payload: string) => WorkspaceSnapshot> = {
  1: (payload) => {
    const v1 = JSON.parse(strFromU8(inflateSync(fromBase64Url(payload)))) as ShareV1;
    if (typeof v1.board !== 'string' || typeof v1.main !== 'string' || !Array.isArray(v1.files)) throw new Error('malformed v1 share link');
    return { board: v1.board, main: v1.main, files: Object.fromEntries(v1.files.map(([p, t]) => [String(p), String(t)])) };
  },
};

/** The fragment (without '#') for a workspace. */
export function encodeShareLink(ws: WorkspaceSnapshot): string {
  const v1: ShareV1 = { board: ws.board, main: ws.main, files: Object.entries(ws.files) };
  return `v${SHARE_LINK_VERSION}:${toBase64Url(deflateSync(strToU8(JSON.stringify(v1)), { level: 9 }))}`;
}

/** Whether a fragment looks like a share link at all (`#v<N>:...`). */
export function isShareLink(fragment: string): boolean {
  return /^#?v\d+:/.test(fragment);
}

/** Decodes a fragment of any version; throws with a readable message otherwise. */
export function decodeShareLink(fragment: string): WorkspaceSnapshot {
  const m = /^#?v(\d+):(.*)$/s.exec(fragment.trim());
  if (!m) throw new Error('This link does not contain a workspace.');
  const version = Number(m[1]);
  const decode = DECODERS[version];
  if (!decode) throw new Error(`This link was made by a newer version of Microkit Studio (link format v${version}).`);
  try {
    return decode(m[2]!);
  } catch (e) {
    throw new Error(`This link is damaged and cannot be opened (${e instanceof Error ? e.message : String(e)}).`);
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** An in-memory CliIO for running commands in tests: files by path, captured output. */
import path from 'node:path';
import type { CliIO } from './io';

export function memoryIO(files: Record<string, string | Uint8Array>, opts: { mergeStderr?: boolean } = {}) {
  const out: string[] = [];
  const err = opts.mergeStderr ? out : [];
  const written: Record<string, string> = {};
  const file = (p: string) => files[path.normalize(p)];
  const io: CliIO = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readFile: (p) => {
      const f = file(p);
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
    readText: (p) => {
      const f = file(p);
      return typeof f === 'string' ? f : new TextDecoder().decode(f);
    },
    writeFile: (p, d) => void (written[p] = typeof d === 'string' ? d : new TextDecoder().decode(d)),
    exists: (p) => path.normalize(p) in files,
    listDir: (p) => {
      const dir = `${path.normalize(p).replace(/\/$/, '')}/`;
      const names = Object.keys(files).filter((f) => f.startsWith(dir)).map((f) => f.slice(dir.length).split('/')[0]);
      return names.length ? [...new Set(names)].sort() : undefined;
    },
    cwd: '/',
  };
  return { io, out, err, written };
}

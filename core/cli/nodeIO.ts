import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIO } from './io';

export function nodeIO(): CliIO {
  const cwd = process.cwd();
  const abs = (p: string) => path.resolve(cwd, p);
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readFile: (p) => new Uint8Array(readFileSync(abs(p))),
    readText: (p) => readFileSync(abs(p), 'utf8'),
    writeFile: (p, d) => writeFileSync(abs(p), d),
    exists: (p) => existsSync(abs(p)),
    listDir: (p) => (existsSync(abs(p)) && statSync(abs(p)).isDirectory() ? readdirSync(abs(p)).sort() : undefined),
    cwd,
  };
}

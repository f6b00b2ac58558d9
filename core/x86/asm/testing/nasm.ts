/** Node-only bridge to a locally installed NASM (`nasm` on PATH), for the optional
 * byte-for-byte comparison in nasm.test.ts. Nothing else depends on it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function nasmAvailable(): boolean {
  try {
    execFileSync('nasm', ['-v'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Assembles with `nasm -f bin`; returns the binary and the listing's bytes per source line. */
export function nasmAssemble(source: string): { bytes: Uint8Array; lines: Map<number, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'asm-nasm-'));
  try {
    const src = path.join(dir, 'a.asm');
    writeFileSync(src, source);
    execFileSync('nasm', ['-f', 'bin', '-w-all', '-o', path.join(dir, 'a.bin'), '-l', path.join(dir, 'a.lst'), src], { stdio: 'pipe' });
    const lines = new Map<number, string>();
    for (const l of readFileSync(path.join(dir, 'a.lst'), 'utf8').split('\n')) {
      // a long instruction continues on further listing lines with the same line number
      const m = /^\s*(\d+)\s+[0-9A-F]{8}\s+([0-9A-F]+)-?(\s|$)/.exec(l);
      if (m) lines.set(Number(m[1]), (lines.get(Number(m[1])) ?? '') + m[2].toLowerCase());
    }
    return { bytes: new Uint8Array(readFileSync(path.join(dir, 'a.bin'))), lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

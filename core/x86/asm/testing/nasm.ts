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

/** The source lines (1-based) NASM reports errors on. NASM stops before its final pass when
 * the first pass already failed, so lines it rejects are blanked and the rest tried again. */
export function nasmErrorLines(source: string): Set<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'asm-nasm-'));
  const bad = new Set<number>();
  const lines = source.split('\n');
  try {
    for (let round = 0; round < 10; round++) {
      const src = path.join(dir, 'a.asm');
      writeFileSync(src, lines.map((l, i) => (bad.has(i + 1) ? '' : l)).join('\n'));
      try {
        execFileSync('nasm', ['-f', 'bin', '-w-all', '-o', path.join(dir, 'a.bin'), src], { stdio: 'pipe' });
        return bad;
      } catch (e) {
        const stderr = String((e as { stderr?: Buffer }).stderr ?? '');
        const found = [...stderr.matchAll(/a\.asm:(\d+): error/g)].map((m) => Number(m[1])).filter((n) => !bad.has(n));
        if (found.length === 0) return bad;
        for (const n of found) bad.add(n);
      }
    }
    return bad;
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
      // relocated fields are shown in brackets or parentheses: [1234] (5678)
      const m = /^\s*(\d+)\s+[0-9A-F]{8}\s+([0-9A-F[\]()]+)-?(\s|$)/.exec(l);
      if (m) lines.set(Number(m[1]), (lines.get(Number(m[1])) ?? '') + m[2].replace(/[[\]()]/g, '').toLowerCase());
    }
    return { bytes: new Uint8Array(readFileSync(path.join(dir, 'a.bin'))), lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the Chromium benchmarks share: Debian's Chromium with the flags this machine needs, and a
 * `vite preview` of dist/ on a free loopback port. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { Workspace } from './workloads';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `outDir`: another build than dist/ (e.g. an unminified one for profiling) */
export async function startPreview(port: number, outDir?: string): Promise<ChildProcess> {
  const args = ['vite', 'preview', '--port', String(port), '--host', '127.0.0.1', '--strictPort', ...(outDir ? ['--outDir', outDir] : [])];
  const child = spawn('npx', args, { cwd: ROOT, stdio: 'ignore', detached: true });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stopPreview(child);
  throw new Error('vite preview did not start');
}

export function stopPreview(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
}

/** The benches serve the production build: build dist/ when it is missing. */
export function ensureDist(): void {
  if (existsSync(path.join(ROOT, 'dist/index.html'))) return;
  if (spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'ignore' }).status !== 0) throw new Error('vite build failed');
}

/** Load the app, open a workspace, show one of its tabs and build the system: the run is ready at step 0. */
export async function openAndBuild(page: Page, port: number, ws: Workspace, tab: string): Promise<void> {
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForSelector('[data-testid="core-status"][data-status="ready"]', { timeout: 60_000 });
  await page.evaluate(`window.__studio.workspace.getState().open(${JSON.stringify({ files: ws.files, board: ws.board, main: ws.main })})`);
  await page.click(`[data-testid="tab-${tab}"]`);
  await page.click('[data-action="sim.build"]');
  await page.waitForFunction(`document.querySelector('[data-testid="run-position"]')?.textContent.includes('Step 0')`, undefined, { timeout: 60_000 });
}

/** The IDE while a VM runs at full speed (issue 9): frames per second of the page and the simulation's speed in
 * the worker against the same run headless in Node. The workload is the serial guest made to print forever (its
 * final HLT becomes a jump back to the start), so every character is an I/O exit through the VMM. Starts its own
 * `vite preview` on a free port (building dist/ first if it is missing) and drives Chromium via playwright-core. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createSimulation } from '../core/sim';
import type { BenchRow } from './run';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, freePort, ROOT, startPreview, stopPreview } from './browser';

const RUN_MS = 5000;

function serialForever(): { files: Record<string, string>; main: string; board: string } {
  const dir = path.join(ROOT, 'core/examples/x86-vm-serial');
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f !== 'meta.json') files[f] = readFileSync(path.join(dir, f), 'utf8');
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { main: string; board: string };
  const guest = files['guest.asm'].replace(/\.done:\s*\n\s*cli\s*\n\s*hlt[^\n]*/, '.done:\n    jmp start');
  if (guest === files['guest.asm']) throw new Error('the serial guest changed shape: update the bench workload');
  files['guest.asm'] = guest;
  return { files, main: meta.main, board: meta.board };
}

/** Trace events per second of the same workload in Node, for about RUN_MS. */
async function headlessRate(ws: ReturnType<typeof serialForever>): Promise<number> {
  const sim = createSimulation({ files: ws.files, system: ws.main }, { board: ws.board, keepEvents: 0 });
  // the service listens to every event (exit log, consoles, timeline): the headless figure listens too, cheaply
  sim.subscribe(() => {});
  await sim.run({ maxEvents: 20_000 }); // warm up
  const start = sim.snapshot().events;
  const t0 = performance.now();
  while (performance.now() - t0 < RUN_MS) await sim.run({ maxEvents: 20_000 });
  return ((sim.snapshot().events - start) * 1000) / (performance.now() - t0);
}

const eventsShown = (text: string | null): number => Number(text?.match(/event (\d+)/)?.[1] ?? NaN);

export default async function (): Promise<BenchRow[]> {
  if (!existsSync(path.join(ROOT, 'dist/index.html'))) {
    if (spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'ignore' }).status !== 0) throw new Error('vite build failed');
  }
  const ws = serialForever();
  const headless = await headlessRate(ws);
  const port = await freePort();
  const preview = await startPreview(port);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForSelector('[data-testid="core-status"][data-status="ready"]', { timeout: 60_000 });
    await page.evaluate(`window.__studio.workspace.getState().open(${JSON.stringify({ files: ws.files, board: ws.board, main: ws.main })})`);
    // the VM-exit log is the busiest view while running
    if (!process.env.UI_RUN_QUIET) await page.click('[data-testid="tab-vm-exits"]');
    else await page.click('[data-testid="tab-run"]');
    await page.click('[data-action="sim.build"]');
    await page.waitForFunction(`document.querySelector('[data-testid="run-position"]')?.textContent.includes('Step 0')`, undefined, { timeout: 60_000 });
    await page.evaluate(`(() => {
      window.__frames = 0;
      window.__stop = false;
      const tick = () => { window.__frames++; if (!window.__stop) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    const t0 = Date.now();
    await page.click('[data-action="sim.run"]');
    await page.waitForTimeout(RUN_MS);
    await page.click('[data-action="sim.pause"]');
    await page.waitForFunction(`document.querySelector('[data-testid="run-position"]')?.textContent.includes('paused')`, undefined, { timeout: 30_000 });
    const ms = Date.now() - t0;
    const frames = (await page.evaluate('(window.__stop = true, window.__frames)')) as number;
    const events = eventsShown(await page.textContent('[data-testid="run-position"]'));
    const inUi = (events * 1000) / ms;
    return [
      { name: 'UI frames per second while the serial guest runs', value: (frames * 1000) / ms, unit: 'fps', target: '> 30' },
      { name: 'simulation speed headless (Node)', value: headless, unit: 'events/s' },
      { name: 'simulation speed in the worker with the UI live', value: inUi, unit: 'events/s' },
      { name: 'speed kept in the UI (worker / headless)', value: (100 * inUi) / headless, unit: '%', target: '>= 80' },
    ];
  } finally {
    await browser.close();
    stopPreview(preview);
  }
}

/** The IDE while a VM runs at full speed (issue 9): frames per second of the page and the simulation's speed in
 * the worker against the same run headless in Node. The workload is the serial guest made to print forever (its
 * final HLT becomes a jump back to the start), so every character is an I/O exit through the VMM. Starts its own
 * `vite preview` on a free port (building dist/ first if it is missing) and drives Chromium via playwright-core. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import type { BenchRow } from './run';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, ensureDist, freePort, openAndBuild, ROOT, startPreview, stopPreview } from './browser';
import { serialForever, type Workspace } from './workloads';

const ROUNDS = 5;
const ROUND_MS = 3000;
/** after loading, the editor's language workers start (a few seconds of CPU); a person reads before pressing Run */
const SETTLE_MS = 3000;

/** The same workload in Node, in a process of its own (bench/headlessSimProcess.ts), warm across rounds. */
async function headlessRunner(ws: Workspace): Promise<{ run: (ms: number) => Promise<number>; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/headlessSimProcess.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const ask = async (msg: unknown): Promise<string> => {
    child.stdin!.write(`${JSON.stringify(msg)}\n`);
    const r = await replies.next();
    if (r.done) throw new Error('the headless process ended');
    return r.value;
  };
  await ask(ws);
  return { run: async (ms) => Number(await ask(ms)), stop: () => child.kill() };
}

/** bench/bareSimWorker.ts bundled into one script, to start as a worker from a blob on a blank page */
async function bareWorkerCode(): Promise<string> {
  const out = await build({ configFile: false, logLevel: 'silent', build: { write: false, minify: true, lib: { entry: path.join(ROOT, 'bench/bareSimWorker.ts'), formats: ['iife'], name: 'bare' } } });
  const first = (Array.isArray(out) ? out[0] : out) as { output: { code?: string }[] };
  const code = first.output[0]?.code;
  if (!code) throw new Error('could not bundle the bare worker');
  return code;
}

/** A page with nothing but the bare worker; each call runs it for `ms` and gives its events/s. */
async function bareRunner(page: Page, port: number, ws: Workspace): Promise<(ms: number) => Promise<number>> {
  await page.route('**/bare', (r) => r.fulfill({ body: '<!doctype html><title>bare</title>', contentType: 'text/html' }));
  await page.goto(`http://127.0.0.1:${port}/bare`);
  await page.evaluate((code) => {
    const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
    (window as unknown as { __bare: (m: unknown) => Promise<number> }).__bare = (m) =>
      new Promise((resolve) => {
        w.onmessage = (e) => resolve(e.data as number);
        w.postMessage(m);
      });
  }, await bareWorkerCode());
  return (ms) => page.evaluate((m) => (window as unknown as { __bare: (m: unknown) => Promise<number> }).__bare(m), { ...ws, ms });
}

const eventsShown = (text: string | null): number => Number(text?.match(/event (\d+)/)?.[1] ?? NaN);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export default async function (): Promise<BenchRow[]> {
  ensureDist();
  const ws = serialForever();
  const headless = await headlessRunner(ws);
  const port = await freePort();
  const preview = await startPreview(port);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const bare = await bareRunner(await context.newPage(), port, ws);
    const page = await context.newPage();
    // the VM-exit log is the busiest view while running
    await openAndBuild(page, port, ws, process.env.UI_RUN_QUIET ? 'run' : 'vm-exits');
    const position = '[data-testid="run-position"]';
    await page.waitForTimeout(SETTLE_MS);
    // frames counted by a requestAnimationFrame loop, live only during the UI's rounds (it costs the page a frame
    // each vsync, which would otherwise be taken from the Node rounds)
    const countFrames = `(() => {
      window.__frames = 0;
      window.__stop = false;
      const tick = () => { window.__frames++; if (!window.__stop) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`;
    // rounds of the UI running and of Node running, one after the other, so both see the same drift in this
    // machine's load; each UI round is measured over a steady window (after warm-up, away from the clicks)
    const ui: number[] = [], node: number[] = [], inBrowser: number[] = [], fps: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      node.push(await headless.run(ROUND_MS));
      inBrowser.push(await bare(ROUND_MS));
      await page.evaluate(countFrames);
      await page.click('[data-action="sim.run"]');
      await page.waitForTimeout(round === 0 ? 1500 : 500);
      const e0 = eventsShown(await page.textContent(position));
      await page.evaluate('window.__frames = 0');
      const t0 = Date.now();
      await page.waitForTimeout(ROUND_MS);
      const e1 = eventsShown(await page.textContent(position));
      const ms = Date.now() - t0;
      fps.push((((await page.evaluate('(window.__stop = true, window.__frames)')) as number) * 1000) / ms);
      ui.push(((e1 - e0) * 1000) / ms);
      await page.click('[data-action="sim.pause"]');
      await page.waitForFunction(`document.querySelector('${position}')?.textContent.includes('paused')`, undefined, { timeout: 30_000 });
    }
    const inUi = median(ui), inNode = median(node), inBare = median(inBrowser);
    return [
      { name: 'UI frames per second while the serial guest runs', value: median(fps), unit: 'fps', target: '> 30' },
      { name: 'simulation speed headless (Node)', value: inNode, unit: 'events/s', note: `rounds: ${node.map((x) => Math.round(x / 1000)).join(', ')} k` },
      { name: 'simulation speed in the worker with the UI live', value: inUi, unit: 'events/s' },
      { name: 'simulation speed headless in a bare Chromium worker', value: inBare, unit: 'events/s', note: "the browser's engine runs this workload faster than Node 20's" },
      { name: 'speed kept in the UI against the bare worker', value: (100 * inUi) / inBare, unit: '%', note: `rounds: ${ui.map((u, i) => Math.round((100 * u) / inBrowser[i])).join(', ')} %` },
      { name: 'speed kept in the UI (worker / headless)', value: (100 * inUi) / inNode, unit: '%', target: '>= 80', note: `rounds: ${ui.map((u, i) => Math.round((100 * u) / node[i])).join(', ')} %` },
    ];
  } finally {
    headless.stop();
    await browser.close();
    stopPreview(preview);
  }
}

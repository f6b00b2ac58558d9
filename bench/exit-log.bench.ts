/** The VM-exit log with a million exits and more (issue 9: "a million entries stay scrollable"): the serial guest
 * runs in the app until the log holds EXITS exits, then the log is scrolled to the top, the end and positions in
 * between, and each time we measure how long until the rows for that position are on screen and check they are the
 * right ones (row n of the log at position n / total of the scrollbar). */
import { chromium } from 'playwright-core';
import type { BenchRow } from './run';
import { CHROMIUM, CHROMIUM_ARGS, ensureDist, freePort, openAndBuild, startPreview, stopPreview } from './browser';
import { serialForever } from './workloads';

const EXITS = Number(process.env.EXIT_LOG_EXITS ?? 1_000_000);
const JUMPS = 20;

export default async function (): Promise<BenchRow[]> {
  ensureDist();
  const ws = serialForever();
  const port = await freePort();
  const preview = await startPreview(port);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
    await openAndBuild(page, port, ws, 'vm-exits');
    await page.evaluate(`document.documentElement.style.setProperty('--bottom-height', '380px')`);
    const total = async () => Number((await page.locator('[data-testid="exit-filter"] option').first().textContent())!.replace(/\D/g, ''));
    const t0 = Date.now();
    await page.click('[data-action="sim.run"]');
    while ((await total()) < EXITS) await page.waitForTimeout(500);
    await page.click('[data-action="sim.pause"]');
    await page.waitForFunction(`document.querySelector('[data-testid="run-position"]')?.textContent.includes('paused')`, undefined, { timeout: 60_000 });
    const runSeconds = (Date.now() - t0) / 1000;
    const n = await total();
    await page.waitForTimeout(500);

    // jump the scrollbar to a fraction of its length; wait until the row there is drawn inside the window
    // (a string, not a function: tsx would add helpers to a function that the page does not have)
    const jump = (fraction: number): Promise<{ ms: number; row: number }> =>
      page.evaluate(`new Promise((resolve) => {
        const box = document.querySelector('[data-testid="exit-list"]');
        const t = performance.now();
        box.scrollTop = ${fraction} * (box.scrollHeight - box.clientHeight);
        const want = Math.round(${fraction} * ${n - 1});
        const check = () => {
          const b = box.getBoundingClientRect();
          const ids = [...box.querySelectorAll('.vmexits-rows .exit-row')]
            .filter((e) => { const r = e.getBoundingClientRect(); return r.bottom > b.top + 22 && r.top < b.bottom; })
            .map((e) => Number(e.getAttribute('data-exit')));
          if (ids.length && Math.min(...ids) <= want && Math.max(...ids) >= want - ids.length) resolve({ ms: performance.now() - t, row: Math.min(...ids) });
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      })`);
    const times: number[] = [];
    for (let i = 0; i < JUMPS; i++) times.push((await jump(((i * 7) % JUMPS) / (JUMPS - 1))).ms);
    const end = await jump(1);
    const lastShown = (await page.evaluate(`Math.max(...[...document.querySelectorAll('.vmexits-rows .exit-row')].map((e) => Number(e.getAttribute('data-exit'))))`)) as number;
    times.sort((a, b) => a - b);
    return [
      { name: `VM exits in the log (the serial guest ran ${runSeconds.toFixed(0)} s in the app)`, value: n, unit: 'exits', target: '>= 1,000,000' },
      { name: 'scrollbar jump to rows on screen, median', value: times[times.length >> 1], unit: 'ms' },
      { name: 'scrollbar jump to rows on screen, worst of 20', value: times[times.length - 1], unit: 'ms' },
      { name: 'the end of the scrollbar shows the last exit', value: lastShown === n - 1 && end.ms >= 0 ? 1 : 0, unit: '(1 = yes)', note: `last row drawn: ${lastShown.toLocaleString('en')} of ${n.toLocaleString('en')}` },
    ];
  } finally {
    await browser.close();
    stopPreview(preview);
  }
}

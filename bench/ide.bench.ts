/** The IDE in Chromium (playwright-core): first load of the production build until the system is
 * editable, the initial JavaScript size, and with a 63-PD system of ten thousand caps how long the
 * capability, memory and console views take to render and how smoothly the map zooms and the tree
 * scrolls. Starts its own `vite preview` on a free port (building dist/ first if it is missing). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { encodeShareLink } from '../app/workspace/shareLink';
import type { BenchRow } from './run';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, ensureDist, freePort, ROOT, startPreview, stopPreview } from './browser';

const DIST = path.join(ROOT, 'dist');

/** 63 PDs in a chain of channels; each maps a 256 KiB region of its own and a 320 KiB region they all share. */
export function largeSystem(pds = 63): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<system>', '    <memory_region name="shared" size="0x50000" />'];
  for (let i = 0; i < pds; i++) lines.push(`    <memory_region name="own_${i}" size="0x40000" />`);
  for (let i = 0; i < pds; i++) {
    lines.push(`    <protection_domain name="pd${i}" priority="${100 + (i % 100)}">`);
    lines.push(`        <program_image path="pd${i}.elf" />`);
    lines.push(`        <map mr="own_${i}" vaddr="0x4000000" perms="rw" />`);
    lines.push(`        <map mr="shared" vaddr="0x8000000" perms="r" />`);
    lines.push('    </protection_domain>');
  }
  for (let i = 0; i + 1 < pds; i++) lines.push(`    <channel><end pd="pd${i}" id="1" /><end pd="pd${i + 1}" id="2" /></channel>`);
  lines.push('</system>', '');
  return lines.join('\n');
}

function initialJs(): { raw: number; gzip: number; files: number } {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  for (const s of new Set(srcs)) {
    const buf = readFileSync(path.join(DIST, s.replace(/^\.?\//, '')));
    raw += buf.length;
    gzip += gzipSync(buf).length;
  }
  return { raw, gzip, files: new Set(srcs).size };
}

async function freshPage(browser: Browser, url: string): Promise<{ page: Page; ms: number }> {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await ctx.newPage();
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector('[data-testid="editor"][data-ready="true"]', { timeout: 60_000 });
  return { page, ms: Date.now() - t0 };
}

/** ms from a click on a tab until `selector` is in the page and two frames have been painted. */
async function tabRender(page: Page, tab: string, selector: string): Promise<number> {
  const t0 = Date.now();
  await page.click(`[data-testid="tab-${tab}"]`);
  await page.waitForSelector(selector, { timeout: 60_000 });
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  return Date.now() - t0;
}

/** Frame intervals while `drive` runs: the 95th percentile and the longest, in ms. */
async function frames(page: Page, drive: () => Promise<void>): Promise<{ p95: number; max: number; n: number }> {
  // a string, not a function: tsx names inner functions with a helper the page does not have
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    const tick = (t) => { window.__frames.push(t); if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await drive();
  const ts = (await page.evaluate('(window.__stop = true, window.__frames)')) as number[];
  const gaps = ts.slice(1).map((t, i) => t - ts[i]).sort((a, b) => a - b);
  return { p95: gaps[Math.floor(gaps.length * 0.95)] ?? 0, max: gaps[gaps.length - 1] ?? 0, n: gaps.length };
}

export default async function (): Promise<BenchRow[]> {
  ensureDist();
  const rows: BenchRow[] = [];
  const js = initialJs();
  rows.push({ name: 'initial JavaScript (entry + preloads, Monaco lazy)', value: js.raw / 1024, unit: 'KiB', note: `${(js.gzip / 1024).toFixed(0)} KiB gzip, ${js.files} files` });

  const port = await freePort();
  const preview = await startPreview(port);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const base = `http://127.0.0.1:${port}/`;
    const loads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { page, ms } = await freshPage(browser, base);
      loads.push(ms);
      await page.context().close();
    }
    loads.sort((a, b) => a - b);
    rows.push({ name: 'first load until the system is editable (median of 3)', value: loads[1], unit: 'ms', target: '< 2000' });

    const text = largeSystem();
    const link = encodeShareLink({ files: { 'large.system': text }, board: 'x86_64_generic_vtx', main: 'large.system' });
    const { page } = await freshPage(browser, `${base}#${link}`);
    const t0 = Date.now();
    // the build runs in the worker as soon as the system parses; the Capabilities tab counts its caps
    await page.waitForFunction(`Number(document.querySelector('[data-testid="tab-caps"]')?.textContent?.replace(/\\D/g, '') ?? 0) > 0`, null, { timeout: 120_000, polling: 50 });
    const caps = Number((await page.textContent('[data-testid="tab-caps"]'))?.replace(/\D/g, ''));
    rows.push({ name: `63 PDs: build + cap tree after the editor is up (${caps} caps)`, value: Date.now() - t0, unit: 'ms' });

    rows.push({ name: 'capabilities view render (CSpace table + derivation tree)', value: await tabRender(page, 'caps', '[data-testid="tree-row"]'), unit: 'ms', target: '< 1000' });
    await page.fill('[data-testid="tree-search"]', '');
    // open every untyped so the tree has all its rows, then scroll through it
    await page.fill('[data-testid="tree-search"]', 'Frame');
    await page.waitForSelector('[data-testid="tree-row"]');
    const scroll = await frames(page, async () => {
      for (let i = 1; i <= 30; i++) await page.evaluate(`document.querySelector('[data-testid="tree-rows"]').scrollTop = document.querySelector('[data-testid="tree-rows"]').scrollHeight * ${i / 30}`);
    });
    rows.push({ name: 'derivation tree scroll (searched "Frame"): p95 frame', value: scroll.p95, unit: 'ms', note: `max ${scroll.max.toFixed(0)} ms over ${scroll.n} frames` });

    rows.push({ name: 'memory view render (physical map + address space)', value: await tabRender(page, 'memory', '[data-testid="as-table"]'), unit: 'ms', target: '< 1000' });
    const box = (await (await page.$('[data-testid="phys-map"]'))!.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const zoomFrames = await frames(page, async () => {
      for (let i = 0; i < 20; i++) await page.mouse.wheel(0, -300);
      for (let i = 0; i < 10; i++) {
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * 0.5 - i * 20, box.y + box.height * 0.5);
        await page.mouse.up();
      }
      for (let i = 0; i < 20; i++) await page.mouse.wheel(0, 300);
    });
    rows.push({ name: 'physical map zoom/pan: p95 frame', value: zoomFrames.p95, unit: 'ms', target: '< 50 (smooth)', note: `max ${zoomFrames.max.toFixed(0)} ms over ${zoomFrames.n} frames` });

    rows.push({ name: 'console view render', value: await tabRender(page, 'console', '[data-testid="console-input"]'), unit: 'ms', target: '< 1000' });
    const t1 = Date.now();
    await page.fill('[data-testid="console-input"]', 'bootinfo');
    await page.press('[data-testid="console-input"]', 'Enter');
    await page.waitForSelector('[data-testid="console-entry"]');
    rows.push({ name: 'console line round trip (with the new cap tree)', value: Date.now() - t1, unit: 'ms' });
    await page.context().close();
  } finally {
    await browser.close();
    stopPreview(preview);
  }
  return rows;
}

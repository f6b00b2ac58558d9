/** Where the CPU goes while the IDE runs the serial guest: CPU seconds per Chromium process (and per thread of the
 * renderer) over the run, from /proc. A profiling aid for bench/ui-run, not a bench: `npx tsx bench/prof/uiRunCpu.ts [tab]`. */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, freePort, openAndBuild, startPreview, stopPreview } from '../browser';
import { serialForever } from '../workloads';

const tab = process.argv[2] ?? 'vm-exits';
const TICK = 100; // USER_HZ

function ticks(pid: string): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
}
function threads(pid: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const comm = readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim();
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(`${comm}#${t}`, Number(stat[11]) + Number(stat[12]));
    } catch { /* gone */ }
  }
  return out;
}
function chromiumPids(): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (!cmd.includes('chrom')) continue;
      const type = cmd.match(/--type=([a-z-]+)/)?.[1] ?? 'browser';
      out.set(p, type);
    } catch { /* gone */ }
  }
  return out;
}

const ws = serialForever();

const port = await freePort();
const preview = await startPreview(port, process.env.OUT_DIR);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
try {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await page.addInitScript(() => {
    const counts: Record<string, number> = {};
    (window as unknown as { __posts: Record<string, number> }).__posts = counts;
    const orig = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, m: unknown, ...rest: unknown[]) {
      const k = (m as { request?: { kind?: string }; kind?: string; type?: string })?.request?.kind ?? (m as { kind?: string })?.kind ?? (m as { type?: string })?.type ?? JSON.stringify(m).slice(0, 40);
      counts[k] = (counts[k] ?? 0) + 1;
      return (orig as (...a: unknown[]) => void).call(this, m, ...rest);
    } as typeof Worker.prototype.postMessage;
  });
  await openAndBuild(page, port, ws, tab);
  console.log('workers: ' + page.workers().map((w) => w.url().split('/').pop()).join(' '));
  if (process.env.IDLE) {
    await page.waitForTimeout(Number(process.env.IDLE) * 1000);
    const ps = [...chromiumPids()].filter(([, t]) => t === 'renderer').map(([p]) => p);
    const th0 = ps.map((p) => threads(p));
    await page.waitForTimeout(3000);
    ps.forEach((p, i) => { for (const [k, v] of threads(p)) { const d = v - (th0[i].get(k) ?? 0); if (d > 0) console.log(`  idle ${k}: ${(d / TICK / 3 * 100).toFixed(1)}%`); } });
  }
  const pids = chromiumPids();
  const before = new Map([...pids.keys()].map((p) => [p, ticks(p)]));
  const thBefore = new Map([...pids].filter(([, t]) => t === 'renderer').map(([p]) => [p, threads(p)]));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const m0 = Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]));
  if (process.env.PROFILE) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start'); }
  const t0 = Date.now();
  await page.click('[data-action="sim.run"]');
  if (process.env.TRACE) {
    await page.waitForTimeout(1000);
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'cc', 'toplevel', 'disabled-by-default-v8.gc'] });
    await page.waitForTimeout(3000);
    const buf = await browser.stopTracing();
    const events = (JSON.parse(buf.toString()) as { traceEvents: { name: string; ph: string; dur?: number; tid: number; pid: number; args?: { name?: string } }[] }).traceEvents;
    const names = new Map<number, string>();
    for (const e of events) if (e.name === 'thread_name' && e.args?.name) names.set(e.tid, e.args.name);
    // self time per (thread, event name) of complete events: approximate by total duration of depth-0-ish events
    const tot = new Map<string, number>();
    for (const e of events) if (e.ph === 'X' && e.dur) { const k = `${names.get(e.tid) ?? e.tid} | ${e.name}`; tot.set(k, (tot.get(k) ?? 0) + e.dur); }
    for (const [k, v] of [...tot].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(`${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  } else await page.waitForTimeout(5000);
  const ms = Date.now() - t0;
  const m1 = Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]));
  for (const k of ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'LayoutCount', 'RecalcStyleCount', 'JSHeapUsedSize', 'Nodes']) console.log(`${k}: ${(m1[k] - m0[k]).toFixed(3)} (now ${m1[k]})`);
  if (process.env.PROFILE) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[]; samples: number[]; timeDeltas: number[] } };
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const counts = new Map<number, number>();
    for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
    for (const [id, c] of counts) { const n = byId.get(id)!; const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + c); }
    const total = profile.samples.length;
    for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(100 * c / total).toFixed(1)}% ${k}`);
  }
  for (const [p, t] of pids) console.log(`${t.padEnd(10)} ${p}: ${((ticks(p) - before.get(p)!) / TICK / (ms / 1000) * 100).toFixed(1)}% of a core`);
  for (const [p, th] of thBefore) {
    const now = threads(p);
    for (const [k, v] of now) {
      const d = v - (th.get(k) ?? 0);
      if (d > 0) console.log(`  ${p} ${k}: ${(d / TICK / (ms / 1000) * 100).toFixed(1)}%`);
    }
  }
  console.log('posts', JSON.stringify(await page.evaluate('window.__posts')));
  const shot = path.join(tmpdir(), 'ui-run-cpu.png');
  await page.screenshot({ path: shot });
  console.log('screenshot while running:', shot);
  await page.click('[data-action="sim.pause"]');
  console.log(await page.textContent('[data-testid="run-position"]'));
  for (let k = 0; k < 3; k++) {
    const ps = [...chromiumPids()].filter(([, t]) => t === 'renderer').map(([p]) => p);
    const th0 = ps.map((p) => threads(p));
    await page.waitForTimeout(1000);
    ps.forEach((p, i) => { for (const [k2, v] of threads(p)) { const d = v - (th0[i].get(k2) ?? 0); if (d > 0) console.log(`  after pause ${k}s ${k2}: ${(d / TICK * 100).toFixed(1)}%`); } });
  }
} finally {
  await browser.close();
  stopPreview(preview);
}

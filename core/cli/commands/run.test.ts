import { describe, expect, it } from 'vitest';
import { memoryIO as memIO } from '../memoryIO';
import run, { parseDuration } from './run';


const SYSTEM = `<system>
  <protection_domain name="hi" priority="10">
    <program_image path="hi.elf" />
  </protection_domain>
</system>`;

describe('cli run', { timeout: 30_000 }, () => {
  it('prints each PD\'s output prefixed by its name and a summary', async () => {
    const { io, out } = memIO({ 'sys/a.system': SYSTEM, 'sys/hi.js': `export default { async init(mk) { mk.dbg_puts('one\\ntwo\\n'); } };` });
    expect(await run(['sys/a.system'], io)).toBe(0);
    const text = out.join('');
    expect(text).toContain('[monitor] MON|INFO: Microkit Monitor started!\n[hi] one\n[hi] two\n');
    expect(text).toMatch(/--- idle: \d+ events/);
  });

  it('prints the JSON summary and writes the trace as JSON lines', async () => {
    const { io, out, written } = memIO({ 'a.system': SYSTEM, 'hi.js': `export default { async init(mk) { mk.dbg_puts('hey\\n'); } };` });
    expect(await run(['a.system', '--json', '--trace', 't.jsonl'], io)).toBe(0);
    const j = JSON.parse(out.join(''));
    expect(j).toMatchObject({ output: { hi: 'hey\n' }, console: 'MON|INFO: Microkit Monitor started!\nhey\n', faults: [], stoppedBecause: 'idle' });
    expect(j.events).toBeGreaterThan(3);
    const trace = written['t.jsonl'].trim().split('\n').map((l) => JSON.parse(l));
    expect(trace).toHaveLength(j.events);
    expect(trace.some((e) => e.kind === 'output' && e.pd === 'hi')).toBe(true);
  });

  it('fails with the tool\'s message for a missing program and exits 2 on usage errors', async () => {
    const { io, err } = memIO({ 'a.system': SYSTEM });
    expect(await run(['a.system'], io)).toBe(1);
    expect(err.join('')).toContain("unable to find program image: 'hi.elf'");
    expect(await run([], io)).toBe(2);
    expect(await run(['a.system', '--max-events', 'x'], io)).toBe(2);
  });
  it('stops a system that never goes idle after its simulated-time budget (--max-time, 1 s by default)', async () => {
    const forever = `<system>
  <protection_domain name="a" priority="10"><program_image path="a.elf" /></protection_domain>
  <protection_domain name="b" priority="10"><program_image path="b.elf" /></protection_domain>
  <channel><end pd="a" id="0" /><end pd="b" id="0" /></channel>
</system>`;
    const back = `async notified(mk, ch) { await mk.notify(ch); }`;
    const { io, out } = memIO({ 'f.system': forever, 'a.js': `export default { async init(mk) { await mk.notify(0); }, ${back} };`, 'b.js': `export default { async init(mk) {}, ${back} };` });
    expect(await run(['f.system', '--json', '--max-time', '20us'], io)).toBe(0);
    expect(JSON.parse(out.join('')).stoppedBecause).toBe('max-time');
    expect(await run(['f.system', '--max-time', 'soon'], io)).toBe(2);
    expect([parseDuration('1s'), parseDuration('250ms'), parseDuration('40us'), parseDuration('5000'), parseDuration('2 h')]).toEqual([1e9, 2.5e8, 40_000, 5000, NaN]);
  });
});

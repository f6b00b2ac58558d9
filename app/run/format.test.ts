import { describe, expect, it } from 'vitest';
import { breakpointLabel, faultSource, runTroubles, formatTime, hex, parseNumber, positionLabel } from './format';

describe('run formatting', () => {
  it('writes simulated time in the unit that reads best', () => {
    expect(formatTime(850)).toBe('850 ns');
    expect(formatTime(12_345)).toBe('12.35 µs');
    expect(formatTime(3_200_000)).toBe('3.200 ms');
    expect(formatTime(2_500_000_000)).toBe('2.5000 s');
  });

  it('says where the run is and why it stopped', () => {
    const p = { steps: 65, guestInstructions: 0, events: 322, time: 67_026, stoppedBecause: 'breakpoint' as const, hit: 'VM exit EPT violation in guest', hitExit: 3, atExit: 3, running: false };
    expect(positionLabel(p)).toBe('Step 65 · event 322 · 67.03 µs — breakpoint: VM exit EPT violation in guest');
    expect(positionLabel({ ...p, running: true })).toMatch(/running$/);
    expect(positionLabel({ ...p, steps: 500, replayingTo: 2000 })).toMatch(/— replaying to step 2000 \(25 %; F6 stops here\)$/);
    expect(positionLabel({ ...p, stoppedBecause: 'idle' })).toMatch(/finished/);
    expect(positionLabel(null)).toBe('Not started');
    expect(hex(-0x7ffffffff000)).toBe('0xffff800000001000');
    expect(positionLabel({ ...p, stoppedBecause: 'paused', hit: null, hitExit: null, atExit: null })).toMatch(/— paused$/);
    expect(positionLabel({ ...p, stoppedBecause: 'paused', hit: null, hitExit: null, atExit: 3 })).toMatch(/— at VM exit 4$/);
    expect(positionLabel({ ...p, steps: 0, events: 0, time: 0, stoppedBecause: null, hit: null, hitExit: null, atExit: null })).toBe('Step 0 · event 0 · 0 ns — ready to run');
    expect(positionLabel({ ...p, guestInstructions: 1234 })).toMatch(/^Step 65 · event 322 · 67\.03 µs · guest instruction 1234 — /);
  });

  it('names breakpoints with exit reason names and conditions', () => {
    expect(breakpointLabel({ kind: 'vm-exit', reason: 48 })).toBe('VM exit: EPT violation');
    expect(breakpointLabel({ kind: 'vm-exit', reason: 30, port: 0x3f8 })).toBe('VM exit: I/O instruction on port 0x3f8');
    expect(breakpointLabel({ kind: 'channel', pd: 'pong', ch: 0 })).toBe('pong: channel 0');
    expect(breakpointLabel({ kind: 'guest-rip', rip: 0x10a1 })).toBe('guest RIP 0x10a1');
  });

  it('reads hex and decimal numbers and rejects anything else', () => {
    expect(parseNumber('0x3F8')).toBe(0x3f8);
    expect(parseNumber(' 42 ')).toBe(42);
    expect(parseNumber('0xffff800000001000')).toBe(-0x7ffffffff000);
    expect(hex(parseNumber('0xffff800000001000')!)).toBe('0xffff800000001000');
    expect(parseNumber('0x1ffff800000001000')).toBeNull();
    expect(parseNumber('COM1')).toBeNull();
  });

  it('finds the source location in a PD program fault', () => {
    expect(faultSource("JavaScript TypeError: Cannot read properties of null (reading 'boom') (at hello.js:5:23)")).toEqual({ path: 'hello.js', line: 5, column: 23 });
    expect(faultSource('watchdog: hello ran 5000000 loop iterations without entering the kernel; stopped')).toBeNull();
    expect(faultSource(null)).toBeNull();
  });

  it('says what went wrong beside the position', () => {
    const fault = { time: 550, pd: 'hello', handler: 'monitor', text: 'boom' };
    expect(runTroubles({ faults: [], exitCounts: { 'I/O instruction': 3 } })).toEqual([]);
    expect(runTroubles({ faults: [], exitCounts: { 'Triple fault': 1 } })).toEqual(['a guest triple-faulted']);
    expect(runTroubles({ faults: [fault], exitCounts: {} })).toEqual(['fault in hello']);
    expect(runTroubles({ faults: [fault, fault], exitCounts: {} })).toEqual(['2 faults']);
  });
});

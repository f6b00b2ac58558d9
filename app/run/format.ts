/** How the run views write times, addresses, positions and breakpoints: one place, so every view agrees. */
import { hexAddress, type SimBreakpoint, type SimPosition, type SimView, type SystemDescription } from '../../core/protocol';
import { EXIT, EXIT_REASONS } from '../../core/x86';
import { pdChannels, pdIrqs } from './names';

/** Simulated nanoseconds as a readable time: "850 ns", "12.35 µs", "3.200 ms". */
export function formatTime(ns: number): string {
  if (ns < 1000) return `${Math.round(ns)} ns`;
  if (ns < 1_000_000) return `${(ns / 1000).toFixed(2)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(3)} ms`;
  return `${(ns / 1_000_000_000).toFixed(4)} s`;
}

/** kernel-half guest addresses come as negative numbers (the exact signed view): written in two's complement */
export const hex = (n: number, width = 0): string => `0x${hexAddress(n).padStart(width, '0')}`;

/** "Step 65 · event 322 · 67.03 µs — breakpoint: VM exit EPT violation in guest" */
export function positionLabel(p: SimPosition | null | undefined): string {
  if (!p) return 'Not started';
  const guest = p.guestInstructions > 0 ? ` · guest instruction ${p.guestInstructions}` : '';
  const where = `Step ${p.steps} · event ${p.events} · ${formatTime(p.time)}${guest}`;
  if (p.running) return `${where} — running`;
  if (p.replayingTo != null) return `${where} — replaying to step ${p.replayingTo} (${Math.floor((100 * p.steps) / Math.max(1, p.replayingTo))} %; F6 stops here)`;
  switch (p.stoppedBecause) {
    case 'breakpoint':
      return `${where} — breakpoint: ${p.hit ?? 'hit'}`;
    case 'idle':
      return `${where} — finished (nothing left to run)`;
    case 'max-events':
      return `${where} — stopped after the event budget`;
    case 'max-time':
      return `${where} — stopped after the simulated-time budget`;
    case 'monitor-failed':
      return `${where} — the monitor failed`;
    case 'paused':
      // a position chosen in the exit log (or the timeline) shows the VCPU as that exit left it
      return p.atExit !== null ? `${where} — at VM exit ${p.atExit + 1}` : `${where} — paused`;
    default:
      return p.steps === 0 ? `${where} — ready to run` : where;
  }
}

/** A breakpoint in words; with the system description, channels and IRQs are named ("pong: channel 0 (ping)"). */
export function breakpointLabel(b: SimBreakpoint, system: SystemDescription | null = null): string {
  switch (b.kind) {
    case 'entry':
      return `${b.pd}: ${b.entry ?? 'any'} entry`;
    case 'channel': {
      const peer = pdChannels(system, b.pd).find((c) => c.id === b.ch)?.peer;
      return `${b.pd}: channel ${b.ch}${peer ? ` (${peer})` : ''}`;
    }
    case 'fault':
      return b.pd ? `fault in ${b.pd}` : 'any fault';
    case 'irq': {
      const source = b.pd && b.id !== undefined ? pdIrqs(system, b.pd).find((i) => i.id === b.id)?.source : undefined;
      return `IRQ${b.id !== undefined ? ` ${b.id}` : ''}${b.pd ? ` of ${b.pd}` : ''}${source ? ` (${source})` : ''}`;
    }
    case 'vm-exit': {
      const cond = b.port !== undefined ? ` on port ${hex(b.port)}` : b.msr !== undefined ? ` on MSR ${hex(b.msr)}` : b.gpa !== undefined ? ` at ${hex(b.gpa)}` : '';
      return `VM exit: ${EXIT_REASONS[b.reason] ?? `reason ${b.reason}`}${cond}${b.vm ? ` (${b.vm})` : ''}`;
    }
    case 'guest-rip':
      return `guest RIP ${hex(b.rip)}${b.vm ? ` (${b.vm})` : ''}`;
    case 'guest-line':
      return `guest line ${b.file}:${b.line}`;
  }
}

/** Parse a number typed by the user: 0x.. hex or decimal; null when it is neither. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  // kernel-half addresses (0xffff8000_00001000) to the exact signed view the core holds guest addresses in
  if (/^0x[0-9a-f]{1,16}$/i.test(t)) return Number(BigInt.asIntN(64, BigInt(t)));
  if (/^\d+$/.test(t)) return Number(t);
  return null;
}

/** Where a PD program's fault happened, as the monitor's text gives it ("… (at hello.js:5:23)"), or null. */
export function faultSource(text: string | null): { path: string; line: number; column: number } | null {
  const m = text?.match(/\(at ([^\s():]+):(\d+):(\d+)\)/);
  return m ? { path: m[1], line: Number(m[2]), column: Number(m[3]) } : null;
}

/** What went wrong in the run so far, shown beside the position in every run view (the position alone said
 * "finished" after a guest triple fault or a PD fault). */
export function runTroubles(view: Pick<SimView, 'faults' | 'exitCounts'> | null): string[] {
  if (!view) return [];
  const out: string[] = [];
  const triple = view.exitCounts[EXIT_REASONS[EXIT.TRIPLE_FAULT]] ?? 0;
  if (triple > 0) out.push(triple === 1 ? 'a guest triple-faulted' : `${triple} guest triple faults`);
  if (view.faults.length > 0) out.push(view.faults.length === 1 ? `fault in ${view.faults[0].pd}` : `${view.faults.length} faults`);
  return out;
}

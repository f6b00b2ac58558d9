/** `run FILE.system [--board NAME] [--max-events N] [--max-time T (default 1s simulated)] [--json] [--trace OUT.jsonl]`: run a Microkit system on the
 * simulator. Prints each PD's debug output prefixed by its name and each board serial line's output (x86: COM1)
 * prefixed `COM1| `, then a summary; `--json` prints {"output", "console", "serial", "events", "faults",
 * "stoppedBecause"} ("serial": text by device name). Exit 0 when the system ran, 1 when it could not be
 * loaded (invalid SDF, missing program), 2 for usage errors. */
import path from 'node:path';
import { createSimulation, WorkspaceError, type TraceEvent } from '../../sim';
import { vmReports, vmSummaryLines, vmTraceLines } from '../../microkit';
import { type CliCommand, type CliIO, EXIT_FAIL, EXIT_OK, EXIT_USAGE } from '../io';
import { openSystemCommand } from '../systemCommand';

const USAGE = 'usage: run FILE.system [--board NAME] [--max-events N] [--max-time T] [--json] [--trace OUT.jsonl]';
/** simulated time a run may take unless told otherwise: every example ends within milliseconds, and a guest that
 * never stops (a spin loop) ends in seconds of wall time instead of minutes */
const DEFAULT_MAX_TIME = '1s';
const TIME_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9 };

/** "1s", "250ms", "40us", "5000ns" (or a bare number of ns) → ns; NaN when unreadable */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)?$/.exec(text.trim());
  return m ? Number(m[1]) * TIME_UNITS[m[2] ?? 'ns'] : NaN;
}

/** The files a system refers to: program images (as .js) and prefill files, read relative to the system file. */
function readWorkspace(io: CliIO, file: string): Record<string, string> {
  const dir = path.dirname(file);
  const name = path.basename(file);
  const text = io.readText(file);
  const files: Record<string, string> = { [name]: text };
  for (const m of text.matchAll(/\b(?:path|prefill_path)\s*=\s*"([^"]*)"/g)) {
    const js = m[1].replace(/\.elf$/i, '.js');
    for (const rel of [m[1], js, js.slice(js.lastIndexOf('/') + 1)]) {
      const full = path.join(dir, rel);
      if (!(rel in files) && io.exists(full)) {
        try {
          files[rel] = io.readText(full);
        } catch {
          /* unreadable: reported as missing by the loader */
        }
      }
    }
  }
  // guest images a VMM program loads with mk.vmm (vm.loadImage('guest.asm'))
  for (const js of Object.values(files)) {
    for (const m of js.matchAll(/['"]([\w./-]+\.asm)['"]/g)) {
      const full = path.join(dir, m[1]);
      if (!(m[1] in files) && io.exists(full)) files[m[1]] = io.readText(full);
    }
  }
  return files;
}

function jsonReplacer(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `0x${v.toString(16)}` : v;
}

const run: CliCommand = async (args, io) => {
  const opened = openSystemCommand(args, io, { usage: USAGE, flags: ['--json'], options: ['--max-events', '--max-time', '--trace'] });
  if (typeof opened === 'number') return opened;
  const { parsed, file, board } = opened;
  const maxEvents = Number(parsed.options.get('--max-events') ?? 1_000_000);
  if (!Number.isInteger(maxEvents) || maxEvents <= 0) {
    io.stderr(`error: --max-events needs a positive integer\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const maxTime = parseDuration(parsed.options.get('--max-time') ?? DEFAULT_MAX_TIME);
  if (!(maxTime > 0)) {
    io.stderr(`error: --max-time needs a positive duration such as 2s, 500ms or 40us\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const json = parsed.flags.has('--json');
  const tracePath = parsed.options.get('--trace');

  const traceLines: string[] = [];
  const partial = new Map<string, string>();
  const serialPartial = new Map<string, string>();
  const onEvent = (e: TraceEvent): void => {
    if (tracePath) traceLines.push(JSON.stringify(e, jsonReplacer));
    if (!json && (e.kind === 'output' || e.kind === 'kernel-message')) {
      const who = e.kind === 'output' ? e.pd : 'kernel';
      const text = (partial.get(who) ?? '') + e.text;
      const lines = text.split('\n');
      partial.set(who, lines.pop()!);
      for (const l of lines) io.stdout(`[${who}] ${l}\n`);
    } else if (!json && e.kind === 'device-output') {
      const lines = ((serialPartial.get(e.device) ?? '') + e.text).split('\n');
      serialPartial.set(e.device, lines.pop()!);
      for (const l of lines) io.stdout(`${e.device}| ${l}\n`);
    }
  };
  let sim;
  try {
    sim = createSimulation({ files: readWorkspace(io, file), system: path.basename(file) }, { board, maxEvents, keepEvents: 0, onEvent, traceVm: !!tracePath });
  } catch (e) {
    if (e instanceof WorkspaceError) {
      io.stderr(`${e.message}\n`);
      return EXIT_FAIL;
    }
    throw e;
  }
  const stopped = await sim.run({ maxEvents, maxTime });
  const snap = sim.snapshot();
  // x86 VMs (core/microkit/vcpu.ts): every recorded VM exit joins the trace, each VM's report joins the JSON
  if (tracePath) traceLines.push(...vmTraceLines(sim.state.kernel));
  if (tracePath) io.writeFile(tracePath, traceLines.join('\n') + (traceLines.length ? '\n' : ''));
  if (json) {
    const vms = vmReports(sim.state.kernel);
    io.stdout(JSON.stringify({ output: snap.output, console: snap.console, serial: snap.serial, events: snap.events, faults: snap.faults, stoppedBecause: stopped, ...(vms.length ? { vms } : {}) }, jsonReplacer, 2) + '\n');
    return EXIT_OK;
  }
  for (const [who, rest] of partial) if (rest) io.stdout(`[${who}] ${rest}\n`);
  for (const [device, rest] of serialPartial) if (rest) io.stdout(`${device}| ${rest}\n`);
  io.stdout(`--- ${stopped}: ${snap.events} events, ${snap.steps} kernel entries, ${(snap.time / 1000).toFixed(1)} µs simulated\n`);
  for (const l of vmSummaryLines(sim.state.kernel)) io.stdout(l);
  for (const f of snap.faults) io.stdout(`--- fault: ${f.pd} (label ${f.label}) handled by ${f.handler}${f.address ? `, address ${f.address}` : ''}${f.text ? `: ${f.text}` : ''}\n`);
  return EXIT_OK;
};

export default run;

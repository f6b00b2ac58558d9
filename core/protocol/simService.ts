/** The core side of the simulation requests: one live simulation of the main system, driven in slices so the
 * worker stays responsive (pause arrives between slices), with throttled `sim.progress` events while running and
 * full pictures when stopped. VM-exit breakpoints are checked by the recorder (a hit pauses the run right after the
 * step that caused it); guest-RIP breakpoints by the engine, before the instruction. Step back (one kernel event or
 * one guest instruction) and "go to" replay deterministically from the start. */
import { findBoard } from '../boards';
import { vmReports } from '../microkit';
import { createSimulation, WorkspaceError, type Breakpoint, type Simulation, type StopReason } from '../sim';
import { exitName } from '../vmm';
import { VMCS } from '../x86';
import { hexNum } from './deviceNames';
import type { CoreEvent, WorkspaceSnapshot } from './messages';
import type { ExitPage, ExitRow, SimBreakpoint, SimRequests, SimView } from './simMessages';
import { GuestLines } from './guestLines';
import { SimRecorder } from './simRecorder';
import { atExit, findVcpu, instructionAt, readGuestPhysical, vcpuView } from './vcpuState';

export type SimRequestKind = keyof SimRequests;
export type SimRequest = { [K in SimRequestKind]: { kind: K } & SimRequests[K]['payload'] }[SimRequestKind];

export interface SimServiceOptions {
  /** unasked events (progress while running) */
  emit?: (e: CoreEvent) => void;
  /** a monotonic clock in ms, only for throttling progress (the simulation never sees it) */
  clock?: () => number;
  /** give the host a turn (a macrotask in a worker) so pause can arrive */
  yieldNow?: () => Promise<void>;
  /** at most this many progress events per second while running */
  progressPerSecond?: number;
}

export interface SimService {
  handle(req: SimRequest, ws: WorkspaceSnapshot): { result: unknown; events: CoreEvent[] };
}

const RATE_BUCKETS = 120;
/** consoles in a picture: the latest characters of each (the views show the end) */
const CONSOLE_TAIL = 64 * 1024;
const ORDER_TAIL = 600;
/** while running, pictures are smaller (what a console shows without scrolling): less to copy to the UI 20 times a second */
const RUNNING_TAIL = 8 * 1024;
const RUNNING_ORDER_TAIL = 150;
const tail = (rec: Record<string, string>, n: number): Record<string, string> =>
  Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, v.length > n ? v.slice(v.length - n) : v]));
const MAX_PAGE = 2000;

export function createSimService(opts: SimServiceOptions = {}): SimService {
  const clock = opts.clock ?? (() => 0);
  const minGap = 1000 / (opts.progressPerSecond ?? 20);
  const yieldNow = opts.yieldNow ?? (() => Promise.resolve());
  let sim: Simulation | null = null;
  let rec: SimRecorder | null = null;
  let error: string | null = null;
  let breakpoints: SimBreakpoint[] = [];
  let files: Record<string, string> = {};
  const lines = new GuestLines();
  let running = false;
  let replayingTo: number | null = null;
  let stopped: StopReason = null;
  let hit: { text: string; exit: number | null } | null = null;
  /** per VM: register values at the last position the VCPU view was asked at, and at the one before */
  const previousRegs = new Map<string, { step: string; values: Map<string, string>; before: Map<string, string> | null }>();
  /** one control at a time: a second run while running waits its turn */
  let queue: Promise<unknown> = Promise.resolve();

  function load(ws: WorkspaceSnapshot): void {
    sim = null;
    rec = null;
    error = null;
    stopped = null;
    hit = null;
    previousRegs.clear();
    files = ws.files;
    const board = findBoard(ws.board);
    if (!board) throw new Error(`unknown board '${ws.board}'`);
    try {
      sim = createSimulation({ files: ws.files, system: ws.main }, { board, keepEvents: 0 });
    } catch (e) {
      if (e instanceof WorkspaceError) {
        error = e.message;
        return;
      }
      throw e;
    }
    const r = new SimRecorder(sim);
    rec = r;
    sim.subscribe((e) => r.record(e));
    applyBreakpoints();
  }

  function applyBreakpoints(): void {
    if (!sim || !rec) return;
    sim.clearBreakpoints();
    for (const b of breakpoints) {
      if (b.kind === 'vm-exit') continue;
      if (b.kind === 'guest-line') {
        const rip = lines.address(sim.state.kernel, files, b.file, b.line);
        if (rip !== null) sim.addBreakpoint({ kind: 'guest-rip', rip });
      } else sim.addBreakpoint(b.kind === 'guest-rip' ? { kind: 'guest-rip', rip: b.rip } : (b as Breakpoint));
    }
    rec.breakpoints = breakpoints.filter((b) => b.kind === 'vm-exit');
  }

  function need(ws: WorkspaceSnapshot): Simulation {
    if (!sim && !error) load(ws);
    if (!sim) throw new Error(error ?? 'the system could not be loaded');
    return sim;
  }

  function view(): SimView {
    if (!sim || !rec) {
      return {
        loaded: false, error, threads: [], cores: [], output: {}, serial: {}, order: [], exitTotal: 0, exitCounts: {}, vms: [], faults: [], guestLine: null,
        position: { steps: 0, guestInstructions: 0, events: 0, time: 0, stoppedBecause: null, hit: null, hitExit: null, atExit: null, running: false, replayingTo: null },
      };
    }
    const chars = running ? RUNNING_TAIL : CONSOLE_TAIL;
    const s = sim.snapshot();
    const exitCounts: Record<string, number> = {};
    for (const [r, n] of [...rec.exits.countsByReason()].sort((a, b) => a[0] - b[0])) exitCounts[exitName(r)] = n;
    return {
      loaded: true, error: null,
      position: { steps: s.steps, guestInstructions: s.guestInstructions, events: s.events, time: s.time, stoppedBecause: stopped, hit: hit?.text ?? null, hitExit: hit?.exit ?? null, atExit: rec.captured?.exit ?? null, running, replayingTo },
      threads: s.threads.map((t) => ({ name: t.name, state: t.state, priority: t.priority, core: t.core, running: t.running })),
      cores: s.cores,
      output: tail(rec.output, chars), serial: tail(rec.serial, chars),
      order: rec.chunks.slice(-(running ? RUNNING_ORDER_TAIL : ORDER_TAIL)).map((c) => ({ ...c, text: c.text.length > chars ? c.text.slice(c.text.length - chars) : c.text })),
      exitTotal: rec.exits.length, exitCounts, vms: [...rec.vmNames], guestLine: running ? null : currentLine(),
      faults: s.faults.map((f) => ({ time: f.time, pd: f.pd, handler: f.handler, text: f.text })),
    };
  }

  /** the source line of the (first) VM's current RIP, or of the exit the VCPU view shows */
  function currentLine(): { file: string; line: number } | null {
    const h = sim && findVcpu(sim);
    if (!h || !h.x86) return null;
    const shown = atExit(h, rec!.captured);
    return lines.lineAt(sim!.state.kernel, files, Number(shown.obj.vmcs.get(VMCS.GUEST_RIP) ?? 0n));
  }

  /** what stopped the run, in words */
  function describeStop(s: Simulation, r: SimRecorder): void {
    if (r.hit) {
      hit = { text: r.hit.text, exit: r.hit.exit };
      stopped = 'breakpoint';
      return;
    }
    const b = s.snapshot().breakpointHit;
    if (stopped === 'breakpoint' && b?.kind === 'guest-breakpoint') {
      const vm = s.state.pds.find((p) => p.tcb.id === b.tcb)?.pd.virtualMachine?.name ?? '';
      const at = lines.lineAt(s.state.kernel, files, b.rip);
      hit = { text: `guest RIP ${hexNum(b.rip)}${at ? ` (${at.file}:${at.line})` : ''} in ${vm}`, exit: null };
    } else if (stopped === 'breakpoint' && b) {
      const last = r.exits.length - 1;
      hit = { text: r.describe(b), exit: last >= 0 ? last : null };
    }
  }

  /** A turn for the host between steps of a long run or replay: every few ms of work the worker yields (so pause
   * and other requests arrive), and at most progressPerSecond times a second a progress picture goes out. */
  function hostTurns(): () => Promise<void> {
    let last = clock();
    let lastYield = last;
    return async () => {
      const now = clock();
      if (now - lastYield < 8) return;
      if (now - last >= minGap && opts.emit) {
        last = now;
        opts.emit({ type: 'sim.progress', view: view() });
      }
      await yieldNow();
      lastYield = clock();
    };
  }

  async function run(ws: WorkspaceSnapshot, maxEvents: number | undefined, untilExit = false): Promise<SimView> {
    const s = need(ws);
    applyBreakpoints(); // guest lines move with where the VMM loaded their image
    const r = rec!;
    r.stopOnAnyExit = untilExit;
    r.hit = null;
    r.captured = null;
    r.armed = true;
    hit = null;
    running = true;
    const host = hostTurns();
    try {
      stopped = await s.run({
        maxEvents: maxEvents ?? 50_000_000,
        yieldEvery: 1,
        yield: async () => {
          if (r.hit) s.pause();
          await host();
        },
      });
    } finally {
      running = false;
      r.stopOnAnyExit = false;
    }
    describeStop(s, r);
    return view();
  }

  async function replayTo(ws: WorkspaceSnapshot, step: number, exit: number | null = null): Promise<SimView> {
    const s = need(ws);
    const r = rec!;
    r.clear();
    r.armed = false;
    r.captureExit = exit;
    replayingTo = Math.max(0, step);
    try {
      await s.goTo(replayingTo, { every: 64, yield: hostTurns() });
    } finally {
      replayingTo = null;
    }
    r.armed = true;
    r.captureExit = null;
    stopped = 'paused';
    hit = null;
    return view();
  }

  /** one guest instruction forward or back; the VCPU view then shows the live state */
  async function instructionStep(ws: WorkspaceSnapshot, back: boolean): Promise<SimView> {
    const s = need(ws);
    const r = rec!;
    r.hit = null;
    r.captured = null;
    hit = null;
    if (back) {
      r.clear();
      r.armed = false;
      await s.stepBackInstruction();
      r.armed = true;
      stopped = 'paused';
    } else stopped = (await s.stepInstruction()) ? 'paused' : 'idle';
    return view();
  }

  /** decoded instructions by VM and RIP for the current position (guest code rarely changes; see SIMPLIFICATIONS) */
  let decoded = new Map<string, string>();
  let decodedAt = -1;
  function instructionText(vm: string, rip: number): string {
    const step = sim!.stepCount();
    if (step < decodedAt || decoded.size > 50_000) decoded = new Map();
    decodedAt = step;
    const key = `${vm}:${rip}`;
    let text = decoded.get(key);
    if (text === undefined) {
      const h = findVcpu(sim!, vm);
      text = h ? instructionAt(h, rip).text : '';
      decoded.set(key, text);
    }
    return text;
  }

  /** an exit the VCPU was not entered after: still in the VMM, or, for a VM's last exit, what stopped the VM */
  function stillOpen(i: number, vm: string): string {
    const x = rec!.exits;
    let last = x.length - 1;
    while (last > i && rec!.vmNames[x.vm[last]] !== vm) last--;
    if (last !== i) return 'in the VMM';
    const report = vmReports(sim!.state.kernel).find((r) => r.name === vm);
    return report?.state === 'stopped' ? `VM stopped: ${report.error ?? 'by its VMM'}` : 'in the VMM';
  }

  function exitRow(i: number): ExitRow {
    const x = rec!.exits;
    const vm = rec!.vmNames[x.vm[i]] ?? '';
    const reason = x.reason[i];
    const ins = { text: instructionText(vm, x.rip[i]) };
    const resumed = x.resumedAt[i];
    return {
      index: i, seq: x.seq[i], time: x.time[i], step: x.step[i], core: x.core[i], vm, reason, reasonName: exitName(reason),
      qualification: x.qualification[i], decoded: rec!.describeQualification(reason, x.qualification[i], x.gpa[i], { eax: x.eax[i], ecx: x.ecx[i], edx: x.edx[i] }),
      gpa: x.gpa[i], rip: x.rip[i], instructionLength: x.ilen[i], instruction: ins?.text ?? '',
      handled: resumed < 0 ? stillOpen(i, vm) : resumed === x.rip[i] ? `re-entered at ${hexNum(resumed)}` : `resumed at ${hexNum(resumed)}`,
      handledNs: x.handledNs[i],
    };
  }

  function exits(from: number, count: number, reason?: number, fromEnd = false): ExitPage {
    if (!rec || !sim) return { total: 0, from: 0, all: 0, rows: [], rate: { bucketNs: 1, counts: [] } };
    const f = rec.exits.filtered(reason);
    const n = Math.min(count, MAX_PAGE);
    const start = Math.max(0, Math.min(fromEnd ? f.total - n : from, f.total));
    const end = Math.min(f.total, start + n);
    const rows: ExitRow[] = [];
    for (let n = start; n < end; n++) rows.push(exitRow(f.at(n)));
    const last = rec.exits.length - 1;
    return { total: f.total, from: start, all: rec.exits.length, rows, rate: rec.exits.rate(last >= 0 ? rec.exits.time[last] : 0, RATE_BUCKETS) };
  }

  /** controls run one after another; the reply is the control's view */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = queue.then(fn, fn);
    queue = p.catch(() => undefined);
    return p;
  }

  return {
    handle(req, ws) {
      switch (req.kind) {
        case 'sim.load':
          return { result: serial(async () => (load(ws), view())), events: [] };
        case 'sim.run':
          return { result: serial(() => run(ws, req.maxEvents, req.untilExit)), events: [] };
        case 'sim.pause':
          sim?.pause();
          return { result: null, events: [] };
        case 'sim.step':
          return {
            result: serial(async () => {
              const s = need(ws);
              rec!.hit = null;
              rec!.captured = null;
              hit = null;
              stopped = (await s.step()) ? 'paused' : 'idle';
              describeStop(s, rec!);
              return view();
            }),
            events: [],
          };
        case 'sim.stepBack':
          return { result: serial(() => replayTo(ws, need(ws).stepCount() - 1)), events: [] };
        case 'sim.stepInstruction':
          return { result: serial(() => instructionStep(ws, false)), events: [] };
        case 'sim.stepBackInstruction':
          return { result: serial(() => instructionStep(ws, true)), events: [] };
        case 'sim.goTo':
          return { result: serial(() => replayTo(ws, req.step, req.exit ?? null)), events: [] };
        case 'sim.reset':
          return { result: serial(async () => (load(ws), view())), events: [] };
        case 'sim.setBreakpoints':
          breakpoints = req.breakpoints.map((b) => ({ ...b }));
          applyBreakpoints();
          return { result: null, events: [] };
        case 'sim.view':
          return { result: view(), events: [] };
        case 'sim.exits':
          return { result: exits(req.from, req.count, req.reason, req.tail), events: [] };
        case 'sim.vcpu': {
          const found = sim ? findVcpu(sim, req.vm) : null;
          if (!found) return { result: null, events: [] };
          const h = atExit(found, rec!.captured);
          // the position: kernel entries and guest instructions (an instruction step back can keep the step count)
          const step = `${sim!.stepCount()}:${sim!.snapshot().guestInstructions}`;
          const prev = previousRegs.get(h.vm);
          const before = !prev ? null : prev.step === step ? prev.before : prev.values;
          const values = new Map<string, string>();
          const result = vcpuView(h, before, values);
          previousRegs.set(h.vm, { step, values, before });
          return { result, events: [] };
        }
        case 'sim.memory': {
          const h = sim ? findVcpu(sim, req.vm) : null;
          const out: (number | null)[] = [];
          for (let i = 0; i < Math.min(req.length, 4096); i++) out.push(h ? readGuestPhysical(h, req.gpa + i) : null);
          return { result: out, events: [] };
        }
        case 'sim.timeline': {
          if (!rec || !sim) return { result: { cores: 1, end: 0, segments: [], marks: [] }, events: [] };
          const snap = sim.snapshot();
          return { result: { cores: snap.cores.length, end: snap.time, segments: rec.segments.map((x) => ({ ...x })), marks: rec.marks }, events: [] };
        }
      }
    },
  };
}

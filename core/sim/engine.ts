/** The deterministic engine: picks the core whose simulated clock is earliest, lets the kernel schedule a thread on
 * it, runs that thread's slice (its JS up to the next kernel entry, then the syscall), charges the cost table, fires
 * due device events, records every trace event, and stops on breakpoints. The same workspace gives the same run,
 * event for event: all ordering comes from the kernel model, the cost table and microtask order. */
import type { Board } from '../boards';
import { advanceTime, chargeTime, isSchedulable, schedule, raiseIrq, ThreadState, THREAD_STATE_NAMES, type GuestRunner, type KernelEvent } from '../kernel';
import { BuildError, buildSystemState, FAULT_SLICE, irqLineKey, MicrokitRuntime, type IrqBinding, type RuntimeEvent, type SystemState } from '../microkit';
import { COSTS, sliceCost } from './costs';
import { PortBus } from './devices/portBus';
import { serialConsole, serialSource } from './devices/serialConsole';
import { SIM_SERIAL, SIM_TIMER } from './devices/table';
import { TimerDevice } from './devices/timer';
import type { Breakpoint, DeviceEvent, FaultRecord, TraceEvent } from './trace';
import { loadWorkspace, WorkspaceError, type Workspace } from './workspace';

export interface SimulationOptions {
  board?: string | Board;
  /** default limit for run(): stop after this many trace events */
  maxEvents?: number;
  /** keep about this many of the latest trace events in `events` (default 200,000; 0 = none; subscribers see all) */
  keepEvents?: number;
  tickLimit?: number;
  /** runs x86 guests for VMM PDs (the kernel's GuestRunner hook; without one a guest never exits) */
  guestRunner?: GuestRunner;
  /** record every VM exit of every VM (CLI run --trace) */
  traceVm?: boolean;
  /** receives every trace event, boot events included (also after reset) */
  onEvent?: (e: TraceEvent) => void;
}

/** A guest runner the engine can step by instructions and stop at guest RIPs (core/vmm's X86GuestRunner). */
export interface SteppableGuestRunner extends GuestRunner {
  /** instructions the next run may execute (0: do not enter) */
  budget: number;
  /** instructions the last run executed */
  lastInstructions: number;
  breakpoints: ReadonlySet<number>;
  skipBreakpoint: boolean;
  breakpointHit: number | null;
  /** the last run ended in a VM exit (or HLT) rather than at its budget or a breakpoint */
  lastExited: boolean;
}

const NO_RIPS: ReadonlySet<number> = new Set();
/** kernel entries a guest-instruction step may take to reach the guest again (the VMM handling an exit, waiting) */
const INSTRUCTION_STEP_LIMIT = 100_000;

/** max-time: the run reached its `maxTime` of simulated time */
export type StopReason = 'idle' | 'max-events' | 'max-time' | 'breakpoint' | 'paused' | 'monitor-failed' | null;

export interface ThreadSnapshot {
  name: string;
  tcb: number;
  state: string;
  priority: number;
  core: number;
  running: boolean;
}

export interface CoreSnapshot {
  core: number;
  /** simulated ns this core has reached */
  time: number;
  /** name of the thread it runs, null when idle */
  current: string | null;
}

export interface SimSnapshot {
  time: number;
  cores: CoreSnapshot[];
  steps: number;
  events: number;
  stoppedBecause: StopReason;
  breakpointHit: TraceEvent | null;
  threads: ThreadSnapshot[];
  output: Record<string, string>;
  console: string;
  /** what each board serial device transmitted (x86: "COM1"), by device name; empty when none did */
  serial: Record<string, string>;
  faults: FaultRecord[];
  /** guest instructions retired so far (all VCPUs): with `steps`, the position for instruction stepping */
  guestInstructions: number;
}

/** lets a long replay share its thread: a turn for the host every few steps */
export interface ReplayHost {
  yield(): Promise<void>;
  /** steps between turns (default 256) */
  every?: number;
}

export interface Simulation {
  /** one slice: one thread runs to its next kernel entry; false when nothing can ever run again */
  step(): Promise<boolean>;
  /** run until idle, a breakpoint, pause(), `maxEvents` more trace events, or `maxTime` ns of simulated time */
  run(opts?: { maxEvents?: number; maxTime?: number; yieldEvery?: number; yield?: () => Promise<void> }): Promise<StopReason>;
  runFor(events: number): Promise<StopReason>;
  pause(): void;
  /** go back one step (deterministic replay from the start) */
  stepBack(): Promise<void>;
  /** replay from the start to the given step count (the state right after that kernel entry); breakpoints ignored.
   * With a host, the replay gives it a turn every `every` steps (progress, messages), and pause() ends it early at
   * the step it reached (a consistent position: replays only repeat history) */
  goTo(steps: number, host?: ReplayHost): Promise<void>;
  /** run kernel entries until a guest has been entered for exactly one instruction (it retires it, or exits at it);
   * false when there is no guest to step or nothing can run */
  stepInstruction(): Promise<boolean>;
  /** replay to the moment the previous guest instruction was retired (the slice it was in ends there) */
  stepBackInstruction(): Promise<void>;
  reset(): void;
  addBreakpoint(b: Breakpoint): void;
  clearBreakpoints(): void;
  subscribe(fn: (e: TraceEvent) => void): () => void;
  snapshot(): SimSnapshot;
  /** kernel entries so far, cheaply (inside a listener: the step the event belongs to) */
  stepCount(): number;
  readonly events: TraceEvent[];
  readonly state: SystemState;
}

class Engine implements Simulation {
  state!: SystemState;
  private runtime!: MicrokitRuntime;
  private timer!: TimerDevice;
  private pendingIrq: IrqBinding | null = null;
  private coreTime: number[] = [];
  private chargeNs: number[] = [];
  private lastThread: number[] = [];
  private now = 0;
  /** the kernel's µs clock, mirrored as a number */
  private kernelUs = 0;
  private curCore = 0;
  private seq = 0;
  private steps = 0;
  private pauseRequested = false;
  private stopped: StopReason = null;
  private bpHit: TraceEvent | null = null;
  private breakpoints: Breakpoint[] = [];
  private listeners: ((e: TraceEvent) => void)[] = [];
  private outputs: Record<string, string> = {};
  private consoleText = '';
  private serialText: Record<string, string> = {};
  private faults: FaultRecord[] = [];
  private nameOfTcb = new Map<number, string>();
  /** guest budgets that differ from the runner's default, by step index: part of the history a replay repeats */
  private budgets = new Map<number, number>();
  private defaultBudget = -1;
  private guestRetired = 0;
  /** set while stepping one guest instruction / while replaying back to a retired-instruction count */
  private oneInstruction = false;
  /** while replaying back one instruction: the step whose guest run ends at `retiredTarget` */
  private capStep = -1;
  private retiredTarget = -1;
  /** the last guest entry that did something: its step index and the retired count one instruction before its end */
  private lastEntry: { index: number; before: number; back: number } | null = null;
  /** the next guest entry continues from a guest breakpoint */
  private resumeGuest = false;
  private guestRips: ReadonlySet<number> = NO_RIPS;
  events: TraceEvent[] = [];
  private readonly keep: number;

  constructor(private readonly ws: Workspace, private readonly opts: SimulationOptions) {
    this.keep = opts.keepEvents ?? 200_000;
    if (opts.onEvent) this.listeners.push(opts.onEvent);
    this.restart();
  }

  reset(): void {
    this.budgets.clear();
    this.restart();
  }

  private restart(): void {
    const loaded = loadWorkspace(this.ws, this.opts.board);
    let state: SystemState;
    try {
      state = buildSystemState(loaded.system, loaded.board);
    } catch (e) {
      if (e instanceof BuildError) throw new WorkspaceError(e.message, e.diagnostics);
      throw e;
    }
    if (this.opts.guestRunner) state.kernel.guestRunner = this.opts.guestRunner;
    this.state = state;
    this.runtime = new MicrokitRuntime(state, loaded.programs, { tickLimit: this.opts.tickLimit, files: this.ws.files, systemPath: this.ws.system, traceVm: this.opts.traceVm });
    const cores = state.kernel.cores;
    this.coreTime = new Array(cores).fill(0);
    this.chargeNs = new Array(cores).fill(0);
    this.lastThread = new Array(cores).fill(-1);
    this.now = 0;
    this.kernelUs = 0;
    this.seq = 0;
    this.steps = 0;
    this.guestRetired = 0;
    this.lastEntry = null;
    this.stopped = null;
    this.bpHit = null;
    this.pauseRequested = false;
    this.outputs = {};
    this.consoleText = '';
    this.serialText = {};
    this.faults = [];
    this.events = [];
    this.pendingIrq = null;
    this.nameOfTcb = new Map([[state.monitor.tcb.id, 'monitor'], ...state.pds.map((p) => [p.tcb.id, p.pd.name] as [number, string])]);
    const placement = SIM_TIMER[state.system.arch];
    this.timer = new TimerDevice(placement.base, {
      now: () => this.now,
      raise: () => this.raiseLine(irqLineKey(placement.line)),
    });
    state.memory.devices.push(this.timer);
    this.attachPortDevices(state);
    state.kernel.hook = (e) => this.record(e);
    this.runtime.onEvent = (e) => this.record(e);
  }

  /** x86: the board's port-I/O bus (its UARTs) behind the kernel's IOPort invocations; other boards have none. */
  private attachPortDevices(state: SystemState): void {
    const serials = SIM_SERIAL[state.system.arch];
    if (!serials.length) return;
    const bus = new PortBus();
    const pds = state.pds.map((p) => p.pd);
    for (const at of serials) bus.attach(serialConsole(at, serialSource(at, pds), (e) => this.record(e)));
    state.kernel.ioBus = bus;
  }

  private raiseLine(key: string): void {
    const b = this.state.irqs.find((i) => irqLineKey(i.line) === key) ?? null;
    const delivered = this.deliver(b);
    // level-triggered: a line that finds its IRQ masked stays asserted until the driver clears the device
    this.pendingIrq = delivered ? null : b;
    this.record({ kind: 'timer-fired', irqDelivered: delivered });
  }

  private deliver(b: IrqBinding | null): boolean {
    if (!b) return false;
    // the interrupt is taken on the core of the PD that owns it
    this.state.kernel.execCore = this.state.pds[b.pdIndex].tcb.core;
    return raiseIrq(this.state.kernel, b.kernelIrq);
  }

  /** Re-deliver a still-asserted timer line once its IRQ is unmasked (acked). */
  private retryPendingIrq(): void {
    const b = this.pendingIrq;
    if (!b) return;
    if (this.timer.status === 0) this.pendingIrq = null;
    else if (this.state.kernel.irqMasked[b.kernelIrq] === 0 && this.deliver(b)) this.pendingIrq = null;
  }

  private record(e: KernelEvent | RuntimeEvent | DeviceEvent): void {
    const seq = this.seq++;
    const ev = e as TraceEvent;
    if (ev.kind === 'output' || ev.kind === 'kernel-message') {
      const who = ev.kind === 'output' ? ev.pd : 'kernel';
      this.outputs[who] = (this.outputs[who] ?? '') + ev.text;
      this.consoleText += ev.text;
    } else if (ev.kind === 'device-output') {
      this.serialText[ev.device] = (this.serialText[ev.device] ?? '') + ev.text;
    } else if (ev.kind === 'fault') {
      const pdIndex = this.state.pdOfTcb.get(ev.tcb) ?? -1;
      const pd = this.state.pds[pdIndex];
      const parent = pd && pd.pd.parentIndex !== null ? this.state.pds[pd.pd.parentIndex].pd.name : 'monitor';
      const text = this.runtime.jsFaults.get(pdIndex)?.replace(/^MON\|ERROR: /, '').trimEnd() ?? null;
      const own = this.runtime.contextOf(ev.tcb)?.fault;
      const address = own && own.kind === 'vm' ? `0x${own.vaddr.toString(16)}` : null;
      this.faults.push({ time: this.now, pd: this.nameOfTcb.get(ev.tcb) ?? String(ev.tcb), label: ev.label, handler: parent, text, address });
    }
    // stamping is only needed when someone looks at the event (adding fields costs a shape change)
    if (this.keep === 0 && this.listeners.length === 0 && this.breakpoints.length === 0) return;
    ev.seq = seq;
    ev.time = this.now;
    ev.core = this.curCore;
    if (this.keep > 0) {
      // keep the latest events: drop the older half when full (amortised)
      if (this.events.length >= this.keep) this.events.splice(0, this.events.length - (this.keep >> 1));
      this.events.push(ev);
    }
    for (const l of this.listeners) l(ev);
    if (this.breakpoints.length && !this.bpHit && this.matches(ev)) this.bpHit = ev;
  }

  private matches(ev: TraceEvent): boolean {
    for (const b of this.breakpoints) {
      switch (b.kind) {
        case 'entry':
          if (ev.kind === 'entry' && ev.pd === b.pd && (!b.entry || b.entry === ev.entry)) return true;
          break;
        case 'channel':
          if ((ev.kind === 'notify' || ev.kind === 'ppcall') && ev.pd === b.pd && ev.ch === b.ch) return true;
          if (ev.kind === 'entry' && ev.pd === b.pd && ev.ch === b.ch && (ev.entry === 'notified' || ev.entry === 'protected')) return true;
          break;
        case 'fault':
          if (ev.kind === 'fault' && (!b.pd || this.nameOfTcb.get(ev.tcb) === b.pd)) return true;
          break;
        case 'guest-rip':
          if (ev.kind === 'guest-breakpoint' && ev.rip === b.rip) return true;
          break;
        case 'irq':
          if (ev.kind === 'irq') {
            const bind = this.state.irqs.find((i) => i.kernelIrq === ev.irq);
            if ((!b.pd || (bind && this.state.pds[bind.pdIndex].pd.name === b.pd)) && (b.id === undefined || bind?.id === b.id)) return true;
          }
          break;
      }
    }
    return false;
  }

  private hasWork(core: number): boolean {
    const k = this.state.kernel;
    const cur = k.current[core];
    if (cur >= 0 && isSchedulable(k, k.tcb(cur))) return true;
    const cand = k.action[core];
    if (cand >= 0 && isSchedulable(k, k.tcb(cand))) return true;
    for (let w = core * 8; w < core * 8 + 8; w++) if (k.rqBitmap[w] !== 0) return true;
    return false;
  }

  /** Move the kernel's µs clock and fire device events due by `ns`. */
  private advanceTo(ns: number): void {
    if (ns > this.now) this.now = ns;
    const us = Math.floor(this.now / 1000);
    if (us > this.kernelUs) {
      advanceTime(this.state.kernel, BigInt(us - this.kernelUs));
      this.kernelUs = us;
    }
    if (this.timer.deadline !== null && this.timer.deadline <= this.now) {
      const at = this.now;
      this.now = Math.max(this.timer.deadline, 0);
      this.timer.fire();
      this.now = at;
    }
  }

  private nextTimed(): number | null {
    let next: number | null = this.timer.deadline;
    const k = this.state.kernel;
    for (const id of k.releaseQueue) {
      const t = k.tcb(id);
      if (t.sc < 0) continue;
      const at = Number((k.objects[t.sc] as { releaseAt: bigint }).releaseAt) * 1000;
      if (next === null || at < next) next = at;
    }
    return next;
  }

  async step(): Promise<boolean> {
    this.resumeGuest = true;
    return this.stepOnce();
  }

  private guestRunner(): SteppableGuestRunner | null {
    const g = this.state.kernel.guestRunner as Partial<SteppableGuestRunner> | null;
    return g && typeof g.lastInstructions === 'number' ? (g as SteppableGuestRunner) : null;
  }

  /** Remember a guest budget in the history; a different one changes what follows, so later ones are dropped. */
  private setBudget(step: number, budget: number): void {
    if (this.budgets.get(step) === budget) return;
    this.budgets.set(step, budget);
    for (const k of [...this.budgets.keys()]) if (k > step) this.budgets.delete(k);
  }

  private async stepOnce(): Promise<boolean> {
    if (this.runtime.monitorFailed) {
      this.stopped = 'monitor-failed';
      return false;
    }
    const k = this.state.kernel;
    this.retryPendingIrq();
    let best = -1;
    if (k.cores === 1) best = this.hasWork(0) ? 0 : -1;
    else {
      for (let c = 0; c < k.cores; c++) {
        if (this.hasWork(c) && (best < 0 || this.coreTime[c] < this.coreTime[best])) best = c;
      }
    }
    if (best < 0) {
      const next = this.nextTimed();
      if (next === null) return false;
      this.advanceTo(Math.max(next, this.now));
      for (let c = 0; c < k.cores; c++) this.coreTime[c] = Math.max(this.coreTime[c], this.now);
      return true;
    }
    if (this.coreTime[best] < this.now) this.coreTime[best] = this.now;
    this.curCore = best;
    k.execCore = best;
    const due = this.timer.deadline !== null && this.timer.deadline <= this.coreTime[best];
    this.advanceTo(this.coreTime[best]);
    this.retryPendingIrq();
    k.execCore = best;
    if (due && !this.hasWork(best)) return true;
    const tid = schedule(k, best);
    if (tid < 0) {
      this.coreTime[best] += COSTS.idleQuantum;
      return true;
    }
    const switched = this.lastThread[best] !== tid;
    this.lastThread[best] = tid;
    const index = this.steps++;
    const g = this.guestRunner();
    let nominal = 0;
    if (g) {
      if (this.defaultBudget < 0) this.defaultBudget = g.budget;
      nominal = this.oneInstruction ? 1 : this.budgets.get(index) ?? this.defaultBudget;
      g.budget = index === this.capStep ? Math.min(nominal, this.retiredTarget - this.guestRetired) : nominal;
      g.lastInstructions = -1;
      g.breakpoints = this.breakpoints.length ? this.guestRips : NO_RIPS;
      g.skipBreakpoint = this.resumeGuest;
    }
    const res = await this.runtime.runSlice(tid);
    if (g && g.lastInstructions >= 0) this.guestEntered(g, index, nominal, tid);
    const cost = sliceCost(res.sys, res.ticks, switched, res.sys === FAULT_SLICE);
    this.coreTime[best] += cost;
    if (k.current[best] === tid) {
      this.chargeNs[best] += cost;
      const us = Math.floor(this.chargeNs[best] / 1000);
      if (us > 0) {
        this.chargeNs[best] -= us * 1000;
        chargeTime(k, best, BigInt(us));
      }
    } else this.chargeNs[best] = 0;
    return true;
  }

  /** Book-keeping after a step that entered a guest: retired count, budgets that end up in the history, a breakpoint. */
  private guestEntered(g: SteppableGuestRunner, index: number, nominal: number, tcb: number): void {
    const n = g.lastInstructions;
    // its last instruction: the exiting one (not retired), else the last retired one
    if (n > 0 || g.lastExited) this.lastEntry = { index, before: this.guestRetired, back: this.guestRetired + (g.lastExited ? n : n - 1) };
    this.guestRetired += n;
    this.resumeGuest = false;
    if (g.breakpointHit !== null) {
      this.setBudget(index, g.lastInstructions);
      this.record({ kind: 'guest-breakpoint', tcb, rip: g.breakpointHit });
    } else if (index === this.capStep || this.oneInstruction) this.setBudget(index, g.budget);
    else if (g.budget !== nominal) throw new Error('guest budget changed outside a step');
  }

  async stepInstruction(): Promise<boolean> {
    if (!this.guestRunner()) return false;
    this.resumeGuest = true;
    this.oneInstruction = true;
    this.stopped = null;
    try {
      for (let i = 0; i < INSTRUCTION_STEP_LIMIT; i++) {
        const g = this.guestRunner()!;
        g.lastInstructions = -1;
        if (!(await this.stepOnce())) return false;
        if (g.lastInstructions >= 0) return true;
      }
      return false;
    } finally {
      this.oneInstruction = false;
      this.stopped = 'paused';
    }
  }

  /** Undo the last guest instruction (retired, or exited at): cut the slice of the last guest entry before it, or go
   * to just before that entry when it was the entry's first (after the VMM's handling of an exit). */
  async stepBackInstruction(): Promise<void> {
    const last = this.lastEntry;
    if (!last) return;
    const target = last.back;
    if (last.before >= target) {
      await this.replay(() => this.steps >= last.index);
      return;
    }
    this.capStep = last.index;
    this.retiredTarget = target;
    try {
      await this.replay(() => this.steps > last.index);
    } finally {
      this.capStep = -1;
      this.retiredTarget = -1;
    }
  }

  async run(opts: { maxEvents?: number; maxTime?: number; yieldEvery?: number; yield?: () => Promise<void> } = {}): Promise<StopReason> {
    const budget = opts.maxEvents ?? this.opts.maxEvents ?? 1_000_000;
    const limit = this.seq + budget;
    // slices that emit no events (e.g. guest time) still count, so a run always ends
    const stepLimit = this.steps + budget;
    this.pauseRequested = false;
    this.bpHit = null;
    this.stopped = null;
    this.resumeGuest = true;
    let n = 0;
    for (;;) {
      if (this.pauseRequested) return (this.stopped = 'paused');
      const more = await this.stepOnce();
      if (!more) return (this.stopped = this.runtime.monitorFailed ? 'monitor-failed' : 'idle');
      if (this.bpHit) return (this.stopped = 'breakpoint');
      if (this.seq >= limit || this.steps >= stepLimit) return (this.stopped = 'max-events');
      if (opts.maxTime !== undefined && this.now >= opts.maxTime) return (this.stopped = 'max-time');
      if (opts.yield && ++n % (opts.yieldEvery ?? 1000) === 0) await opts.yield();
    }
  }

  runFor(events: number): Promise<StopReason> {
    return this.run({ maxEvents: events });
  }

  pause(): void {
    this.pauseRequested = true;
  }

  stepBack(): Promise<void> {
    return this.goTo(this.steps - 1);
  }

  goTo(target: number, host?: ReplayHost): Promise<void> {
    return this.replay(() => this.steps >= target, host);
  }

  /** From the start again, repeating the recorded guest budgets, until `done`; breakpoints do not stop a replay. */
  private async replay(done: () => boolean, host?: ReplayHost): Promise<void> {
    const bps = this.breakpoints;
    this.breakpoints = [];
    this.restart();
    this.pauseRequested = false;
    const every = host?.every ?? 256;
    let n = 0;
    try {
      while (!done()) {
        if (!(await this.stepOnce())) break;
        if (host && ++n % every === 0) {
          await host.yield();
          if (this.pauseRequested) break;
        }
      }
    } finally {
      this.breakpoints = bps;
      this.stopped = 'paused';
    }
  }

  addBreakpoint(b: Breakpoint): void {
    this.breakpoints.push(b);
    if (b.kind === 'guest-rip') this.guestRips = new Set([...this.guestRips, b.rip]);
  }

  clearBreakpoints(): void {
    this.breakpoints = [];
    this.guestRips = NO_RIPS;
  }

  subscribe(fn: (e: TraceEvent) => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }

  stepCount(): number {
    return this.steps;
  }

  snapshot(): SimSnapshot {
    const k = this.state.kernel;
    const threads: ThreadSnapshot[] = [this.state.monitor.tcb, ...this.state.pds.map((p) => p.tcb)].map((t) => ({
      name: this.nameOfTcb.get(t.id) ?? String(t.id),
      tcb: t.id,
      state: THREAD_STATE_NAMES[t.state] ?? String(t.state),
      priority: t.prio,
      core: t.core,
      running: k.current[t.core % k.cores] === t.id && t.state === ThreadState.Running,
    }));
    return {
      time: this.now,
      cores: Array.from(k.current, (id, core) => ({ core, time: this.coreTime[core], current: id >= 0 ? this.nameOfTcb.get(id) ?? String(id) : null })),
      steps: this.steps, events: this.seq, stoppedBecause: this.stopped, breakpointHit: this.bpHit, threads,
      output: { ...this.outputs }, console: this.consoleText, serial: { ...this.serialText }, faults: [...this.faults],
      guestInstructions: this.guestRetired,
    };
  }
}

/** Build a simulation of the workspace's system (throws WorkspaceError for an invalid SDF, a missing program or a failed build). */
export function createSimulation(workspace: Workspace, opts: SimulationOptions = {}): Simulation {
  return new Engine(workspace, opts);
}

/** Run a workspace to completion (or `maxEvents`) and return the final snapshot. */
export async function runWorkspace(workspace: Workspace, opts: SimulationOptions = {}): Promise<SimSnapshot> {
  const sim = createSimulation(workspace, { keepEvents: 0, ...opts });
  await sim.run({ maxEvents: opts.maxEvents });
  return sim.snapshot();
}

/** The simulation requests (issue 9): run controls, breakpoints, the VM-exit log paged on demand, VCPU state,
 * guest memory, consoles and the timeline. Every result is plain structured-cloneable data. */

/** Where the run is: every view positions itself here. */
export interface SimPosition {
  /** kernel entries so far (the unit of step / step back) */
  steps: number;
  /** guest instructions retired so far (the unit of instruction step / step back) */
  guestInstructions: number;
  /** trace events so far */
  events: number;
  /** simulated ns */
  time: number;
  stoppedBecause: SimStopReason | null;
  /** what stopped the run, in words (e.g. "VM exit EPT_VIOLATION in guest") */
  hit: string | null;
  /** index in the exit log of the exit the run stopped at (breakpoint), else null */
  hitExit: number | null;
  /** the VCPU view shows the state at this exit (a hit or a chosen exit), before the VMM handled it */
  atExit: number | null;
  running: boolean;
  /** while a replay (go to, step back) is on its way: the step it goes to (progress pictures carry it; pause ends
   * the replay where it is) */
  replayingTo?: number | null;
}

export type SimStopReason = 'idle' | 'max-events' | 'max-time' | 'breakpoint' | 'paused' | 'monitor-failed';

/** Breakpoints the IDE can set. The engine's own kinds plus VM-exit and guest-RIP ones the service checks. */
export type SimBreakpoint =
  | { kind: 'entry'; pd: string; entry?: 'init' | 'notified' | 'protected' | 'fault' }
  | { kind: 'channel'; pd: string; ch: number }
  | { kind: 'fault'; pd?: string }
  | { kind: 'irq'; pd?: string; id?: number }
  /** a VM exit by basic reason, optionally only for one I/O port, MSR (ECX) or guest-physical address */
  | { kind: 'vm-exit'; reason: number; vm?: string; port?: number; msr?: number; gpa?: number }
  /** the guest is about to execute the instruction at this RIP (any instruction, not only at exits) */
  | { kind: 'guest-rip'; rip: number; vm?: string }
  /** a line of a guest's assembly source (the editor's glyph margin): its address through the assembler's line map */
  | { kind: 'guest-line'; file: string; line: number };

export interface ThreadRow {
  name: string;
  state: string;
  priority: number;
  core: number;
  running: boolean;
}

/** The light picture sent while running (throttled) and after every control. */
export interface SimView {
  loaded: boolean;
  /** why the system could not be loaded (invalid SDF, missing program) */
  error: string | null;
  position: SimPosition;
  threads: ThreadRow[];
  cores: { core: number; time: number; current: string | null }[];
  /** debug output by PD name (PDs only) */
  output: Record<string, string>;
  /** serial consoles: each VM's by VM name, and the board's serial lines by device name (e.g. COM1) */
  serial: Record<string, string>;
  /** every output chunk in order (vm: it is a serial console), for the interleaved console */
  order: { who: string; vm: boolean; text: string }[];
  exitTotal: number;
  /** exits by reason name */
  exitCounts: Record<string, number>;
  vms: string[];
  /** the guest assembly line of the current guest RIP (when paused and the image's source is known) */
  guestLine: { file: string; line: number } | null;
  faults: { time: number; pd: string; handler: string; text: string | null }[];
}

/** One VM exit as the log shows it. */
export interface ExitRow {
  index: number;
  /** trace sequence number of the vm-exit event */
  seq: number;
  time: number;
  /** kernel step count right after the exit: where "go to this exit" replays to */
  step: number;
  core: number;
  vm: string;
  reason: number;
  reasonName: string;
  qualification: number;
  /** the qualification's fields, e.g. "port=0x3f8 (COM1) size=1 out" */
  decoded: string;
  gpa: number;
  rip: number;
  instructionLength: number;
  /** disassembly of the exiting instruction (read from guest memory now) */
  instruction: string;
  /** what the VMM did: resumed at RIP ..., or still handling */
  handled: string;
  /** simulated ns from the exit to the next VM entry of that VCPU, -1 while handling */
  handledNs: number;
}

export interface ExitPage {
  /** exits matching the filter */
  total: number;
  /** position (among the matching exits) of rows[0] */
  from: number;
  /** all exits */
  all: number;
  rows: ExitRow[];
  /** exits per time bucket over the whole run (for the rate chart) */
  rate: { bucketNs: number; counts: number[] };
}

export interface RegisterRow {
  name: string;
  value: string;
  /** decoded bits (RFLAGS, CR0, CR4, EFER), empty otherwise */
  bits: string[];
  changed: boolean;
}

export interface VcpuView {
  vm: string;
  registers: RegisterRow[];
  control: RegisterRow[];
  /** VMCS fields by Intel's groups */
  vmcs: { group: string; fields: RegisterRow[] }[];
  disassembly: { address: string; gpa: string | null; bytes: string; text: string; current: boolean }[];
}

export interface TimelineView {
  cores: number;
  end: number;
  /** what ran: [core, start ns, end ns, who, mode] */
  segments: { core: number; start: number; end: number; who: string; mode: 'pd' | 'guest' | 'kernel' }[];
  marks: { time: number; core: number; kind: 'notify' | 'ppc' | 'irq' | 'vm-exit' | 'fault'; label: string; step: number }[];
}

export interface SimRequests {
  /** (re)load the main system into a fresh simulation */
  'sim.load': { payload: Record<never, never>; result: SimView };
  /** run until a breakpoint (or, with untilExit, the next VM exit), idle, pause, or maxEvents more events; sends `sim.progress` while running */
  'sim.run': { payload: { maxEvents?: number; untilExit?: boolean }; result: SimView };
  'sim.pause': { payload: Record<never, never>; result: null };
  /** one kernel event (one kernel entry) */
  'sim.step': { payload: Record<never, never>; result: SimView };
  /** back one kernel event, by replay */
  'sim.stepBack': { payload: Record<never, never>; result: SimView };
  /** one guest instruction (the kernel events up to the guest's next entry, then one instruction or its exit) */
  'sim.stepInstruction': { payload: Record<never, never>; result: SimView };
  /** back to where the previous guest instruction had just retired, by replay */
  'sim.stepBackInstruction': { payload: Record<never, never>; result: SimView };
  /** to the state right after a given kernel step (an exit or a timeline mark), by replay; a long replay sends
   * `sim.progress` and `sim.pause` ends it early. `exit`: also show the VCPU as it was at that exit */
  'sim.goTo': { payload: { step: number; exit?: number }; result: SimView };
  'sim.reset': { payload: Record<never, never>; result: SimView };
  'sim.setBreakpoints': { payload: { breakpoints: SimBreakpoint[] }; result: null };
  'sim.view': { payload: Record<never, never>; result: SimView };
  /** a page of the exit log, optionally only one reason */
  /** rows [from, from + count) of the exits matching the filter; with `tail`, the last `count` (the log following a run) */
  'sim.exits': { payload: { from: number; count: number; reason?: number; tail?: boolean }; result: ExitPage };
  'sim.vcpu': { payload: { vm?: string }; result: VcpuView | null };
  /** guest memory at a guest-physical address (hex bytes, null where unmapped) */
  'sim.memory': { payload: { vm?: string; gpa: number; length: number }; result: (number | null)[] };
  'sim.timeline': { payload: Record<never, never>; result: TimelineView };
}

export type SimEvent = { type: 'sim.progress'; view: SimView };

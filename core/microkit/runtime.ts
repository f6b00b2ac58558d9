/** The Microkit runtime on the kernel model: one ThreadContext per kernel thread (the monitor and every PD), the
 * programs they run, and `runSlice`, which lets one scheduled thread's JavaScript run up to its next kernel entry
 * and performs that entry on the kernel. The engine (core/sim) decides which thread runs when. */
import { handleSyscall, runGuest, Sys, ThreadState, type KernelEvent, userExceptionFault, vmFault, type TcbObj } from '../kernel';
import { LIBMICROKIT_PC } from './constants';
import { pdMain } from './eventLoop';
import { monitorMain } from './monitor';
import type { PdEnv, RuntimeEvent } from './pdEnv';
import { describeJsError, formatJsError, loadProgram, ProgramSyntaxError } from './program';
import { dataFaultFsr } from './report';
import type { SystemState } from './systemState';
import { Abandon, ThreadContext } from './thread';
import { installGuestSupport, lastGuestTicks } from './vcpu';

export interface ProgramSource {
  fileName: string;
  source: string;
}

export interface RuntimeOptions {
  /** loop iterations a PD may run between two kernel entries before the watchdog stops it */
  tickLimit?: number;
  /** microtask turns the engine waits for a PD to reach its next kernel entry */
  stallLimit?: number;
  /** x86 VMs (core/microkit/vcpu.ts): workspace files and the system file's path (guest images are assembled from
   * them), and whether to record every VM exit */
  files?: Record<string, string>;
  systemPath?: string;
  traceVm?: boolean;
}

/** What a slice did, for the engine's cost model. */
export interface SliceResult {
  /** syscall number performed, or FAULT_SLICE / START_SLICE markers */
  sys: number;
  ticks: number;
}
export const FAULT_SLICE = 1;
/** the slice ran guest code (a thread in RunningVM) */
export const GUEST_SLICE = 2;

const PSEUDO_UD_VECTOR = 6n;
const SYS_NAMES = new Map<number, string>(Object.entries(Sys).map(([name, n]) => [n, `seL4_${name}`]));

export class MicrokitRuntime {
  private readonly contexts: (ThreadContext | undefined)[] = [];
  private readonly envs = new Map<number, PdEnv>();
  private readonly mains = new Map<number, () => Promise<void>>();
  private readonly fileNames = new Map<number, string>();
  /** per pdIndex: the last JS-level fault text (the monitor prints it under its report) */
  readonly jsFaults = new Map<number, string>();
  monitorFailed = false;
  onEvent: (e: RuntimeEvent | KernelEvent) => void = () => {};

  constructor(readonly state: SystemState, programs: Map<number, ProgramSource>, opts: RuntimeOptions = {}) {
    const tickLimit = opts.tickLimit ?? 5_000_000;
    this.stallLimit = opts.stallLimit ?? 10_000;
    this.installVms(opts);
    const k = state.kernel;
    const mon = state.monitor.tcb;
    const monCtx = new ThreadContext(mon, 'monitor', tickLimit);
    this.contexts[mon.id] = monCtx;
    this.mains.set(mon.id, () =>
      monitorMain({
        ctx: monCtx,
        sys: state,
        output: (text) => this.onEvent({ kind: 'output', pd: 'monitor', text }),
        jsFaultNote: (i) => this.jsFaults.get(i) ?? null,
        fail: () => {
          this.monitorFailed = true;
        },
      }),
    );
    for (const pd of state.pds) {
      const ctx = new ThreadContext(pd.tcb, pd.pd.name, tickLimit);
      this.contexts[pd.tcb.id] = ctx;
      const src = programs.get(pd.pd.pdIndex);
      if (src) this.fileNames.set(pd.tcb.id, src.fileName);
      const env: PdEnv = {
        ctx, pd, sys: state, program: null, deferred: null, vcpu: { on: false, rip: 0n, ppc: 0n, irq: 0n },
        output: (text) => this.onEvent({ kind: 'output', pd: pd.pd.name, text }),
        trace: (e) => this.onEvent(e),
        invoke: (cptr, label, mrs, extra, what) => {
          ctx.check(what);
          if (!k.slots.caps[pd.cspaceBase + cptr]) this.nullCapMessage(ctx.tcb, cptr);
          return ctx.invoke(cptr, label, mrs, extra, what);
        },
        crash: (err) => {
          if (!ctx.fault) ctx.fault = { kind: 'vm', vaddr: BigInt(err), write: true, present: false };
          throw new Abandon();
        },
      };
      this.envs.set(pd.tcb.id, env);
      this.mains.set(pd.tcb.id, async () => {
        if (!env.program) {
          if (!src) throw new Error(`no program for PD '${pd.pd.name}'`);
          env.program = loadProgram(src.fileName, src.source, ctx.tick, (text) => {
            if (!ctx.fault) env.output(text);
          });
          const sv = env.program.exports.setvars;
          if (sv && typeof sv === 'object') {
            for (const key of Object.keys(sv)) {
              const v = pd.setvars.get(key);
              if (v !== undefined) (sv as Record<string, unknown>)[key] = v <= 0x1f_ffff_ffff_ffffn ? Number(v) : v;
            }
          }
        }
        env.deferred = null;
        env.vcpu.on = false;
        await pdMain(env);
      });
    }
  }

  private readonly stallLimit: number;

  /** x86 guests: core/vmm's guest runner on the kernel and guest frames shared with the VMM (unless the embedder
   * installed its own runner). */
  private installVms(opts: RuntimeOptions): void {
    if (!this.state.kernel.guestRunner) installGuestSupport(this.state, { files: opts.files, systemPath: opts.systemPath, trace: opts.traceVm });
  }

  contextOf(tcbId: number): ThreadContext | undefined {
    return this.contexts[tcbId];
  }

  private nullCapMessage(t: TcbObj, cptr: number): void {
    const addr = (0xffffff8000000000n + t.paddr).toString(16);
    this.onEvent({
      kind: 'kernel-message',
      text: `<<seL4(CPU ${t.core}) [decodeInvocation/530 T0x${addr} "${t.name}" @${LIBMICROKIT_PC.toString(16)}]: Attempted to invoke a null cap #${cptr}.>>\n`,
    });
  }

  private start(ctx: ThreadContext): void {
    const t = ctx.tcb;
    ctx.reset();
    t.regs[0] = LIBMICROKIT_PC;
    const gen = ctx.gen;
    const main = this.mains.get(t.id)!;
    main().then(
      () => {
        if (ctx.gen === gen) ctx.ended = true;
      },
      (e: unknown) => {
        if (ctx.gen !== gen || ctx.fault) return;
        const env = this.envs.get(t.id);
        if (e instanceof ProgramSyntaxError) {
          ctx.fault = { kind: 'js', text: `${this.programName(t.id)}:${e.line}:${e.column}: SyntaxError: ${e.message}` };
          return;
        }
        const fileName = this.programName(t.id);
        const info = describeJsError(e, env?.program ?? null);
        ctx.fault = { kind: 'js', text: `JavaScript ${formatJsError(info, fileName)}`, error: info };
      },
    );
  }

  private programName(tcbId: number): string {
    return this.fileNames.get(tcbId) ?? 'program';
  }

  /** Raise the thread's pending fault in the kernel (it goes to the monitor or the parent). */
  private raise(ctx: ThreadContext): void {
    const t = ctx.tcb;
    const f = ctx.fault!;
    const k = this.state.kernel;
    const pdIndex = this.state.pdOfTcb.get(t.id) ?? -1;
    if (f.kind === 'vm') {
      vmFault(k, t, f.vaddr, false, dataFaultFsr(this.state.system.arch, f.write, f.present));
      return;
    }
    if (pdIndex >= 0 && !this.jsFaults.has(pdIndex)) this.onEvent({ kind: 'pd-error', pd: t.name, text: f.text });
    if (pdIndex >= 0) this.jsFaults.set(pdIndex, `MON|ERROR: ${f.text}\n`);
    userExceptionFault(k, t, PSEUDO_UD_VECTOR, 0n);
  }

  /** Let thread `tcbId` (just scheduled) run to its next kernel entry and perform it. */
  async runSlice(tcbId: number): Promise<SliceResult> {
    const k = this.state.kernel;
    const ctx = this.contexts[tcbId];
    const t = k.tcb(tcbId);
    if (!ctx) {
      // a thread with no program here (e.g. an AArch64 vCPU thread): it faults to its handler at once
      userExceptionFault(k, t, PSEUDO_UD_VECTOR, 0n);
      return { sys: FAULT_SLICE, ticks: 0 };
    }
    ctx.ticks = 0;
    if (t.state === ThreadState.RunningVM) {
      // guest mode: the kernel's GuestRunner (the x86 VM side) runs the guest until it exits or its slice ends;
      // the guest's instructions are charged as time (core/microkit/vcpu.ts: ~1 ns each)
      const exited = runGuest(k, t);
      const guestTicks = lastGuestTicks(k);
      if (!exited) return { sys: GUEST_SLICE, ticks: guestTicks };
      ctx.ticks = guestTicks;
    }
    const restarted = t.state === ThreadState.Restart;
    if (restarted) t.state = ThreadState.Running;
    if (t.regs[0] !== LIBMICROKIT_PC) {
      this.jsFaults.delete(this.state.pdOfTcb.get(t.id) ?? -1);
      this.start(ctx);
    } else if (ctx.fault) {
      // re-executing the faulting instruction faults again
      this.raise(ctx);
      return { sys: FAULT_SLICE, ticks: 0 };
    } else if (ctx.waiting && restarted) {
      // restarted in the middle of a syscall (e.g. resumed out of a blocked receive): the syscall runs again
      this.enterKernel(t, ctx.sys);
      return { sys: ctx.sys, ticks: 0 };
    } else if (ctx.waiting) {
      if (t.state !== ThreadState.Running) throw new Error(`thread ${t.name} scheduled in state ${t.state}`);
      const r = ctx.resolveFn;
      ctx.waiting = false;
      ctx.resolveFn = null;
      r?.();
    }
    for (let i = 0; !ctx.waiting && !ctx.fault && !ctx.ended; i++) {
      if (i >= this.stallLimit) {
        ctx.fault = { kind: 'js', text: `${ctx.name} is waiting for something that is not a Microkit call (only mk calls may be awaited)` };
        break;
      }
      await null;
    }
    if (!ctx.fault && ctx.ended) ctx.fault = { kind: 'js', text: `${ctx.name}: its program ended` };
    if (ctx.fault) {
      ctx.waiting = false;
      this.raise(ctx);
      return { sys: FAULT_SLICE, ticks: ctx.ticks };
    }
    this.enterKernel(t, ctx.sys);
    return { sys: ctx.sys, ticks: ctx.ticks };
  }

  private enterKernel(t: TcbObj, sys: number): void {
    this.onEvent({ kind: 'syscall', tcb: t.id, sys: SYS_NAMES.get(sys) ?? String(sys), cptr: sys === Sys.NBSendRecv ? t.destReg : t.capReg });
    handleSyscall(this.state.kernel, t, sys);
  }
}

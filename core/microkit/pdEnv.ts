/** What a PD's libmicrokit sees of the runtime: its thread, its objects, the console and the trace. */
import type { LoadedProgram } from './program';
import type { PdState, SystemState } from './systemState';
import type { ThreadContext } from './thread';

/** Runtime-level trace events (the engine adds time and core). */
export type RuntimeEvent =
  | { kind: 'output'; pd: string; text: string }
  | { kind: 'entry'; pd: string; entry: 'init' | 'notified' | 'protected' | 'fault'; ch: number | null }
  | { kind: 'notify'; pd: string; ch: number; to: string | null }
  | { kind: 'ppcall'; pd: string; ch: number; to: string | null }
  | { kind: 'pd-error'; pd: string; text: string }
  | { kind: 'kernel-message'; text: string };

export interface PdEnv {
  ctx: ThreadContext;
  pd: PdState;
  sys: SystemState;
  program: LoadedProgram | null;
  /** the one deferred call of the current entry point (§C.3) */
  deferred: { cap: number; info: bigint } | null;
  /** microkit_x86_vcpu_state (§C.3) */
  vcpu: { on: boolean; rip: bigint; ppc: bigint; irq: bigint };
  output(text: string): void;
  trace(e: RuntimeEvent): void;
  /** an invocation through the kernel (prints the kernel's debug message for a null cap); returns the seL4 error */
  invoke(cptr: number, label: number, mrs: (bigint | number)[], extraCaps: number[], what: string): Promise<number>;
  /** microkit_internal_crash(err): a write to address `err` (never returns) */
  crash(err: number): never;
}

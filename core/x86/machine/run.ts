/** Runs a program on the flat machine and reports the result in one plain object
 * (what the `x86` CLI command prints and what tests assert on). */
import { FlatMachine } from './flat';
import { registerDump } from '../cpu/dump';
import { EXC_NAMES } from '../cpu/constants';

export interface FlatRunOptions {
  bytes: Uint8Array;
  origin: number;
  mode: 16 | 32 | 64;
  maxInstructions?: number;
  ramBytes?: number;
}

export interface FlatRunResult {
  output: string;
  stopReason: string;
  instructions: number;
  registers: Record<string, string>;
  exitCode: number | null;
  unsupported: number;
  /** byte patterns of the unsupported instructions met, with counts */
  unsupportedBytes: Record<string, number>;
  lastException: string | null;
}

export function runFlat(opts: FlatRunOptions): FlatRunResult {
  const m = new FlatMachine({ mode: opts.mode, origin: opts.origin, ramBytes: opts.ramBytes });
  m.load(opts.bytes);
  const stop = m.run(opts.maxInstructions ?? 10_000_000);
  const le = m.cpu.lastException;
  return {
    output: m.output,
    stopReason: stop,
    instructions: m.cpu.icount,
    registers: registerDump(m.cpu),
    exitCode: m.exitCode,
    unsupported: m.cpu.udCount,
    unsupportedBytes: Object.fromEntries(m.cpu.udByBytes),
    lastException: le ? `${EXC_NAMES[le.vector] ?? `vector ${le.vector}`}${le.errorCode >= 0 ? ` (error code 0x${le.errorCode.toString(16)})` : ''} at 0x${hex(le.rip)}` : null,
  };
}

function hex(v: number): string {
  return (v < 0 ? BigInt(v) + (1n << 64n) : BigInt(v)).toString(16);
}

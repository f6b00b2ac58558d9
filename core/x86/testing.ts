/** Test helpers: assemble a snippet, run it on the flat machine, return the result. */
import { assemble } from './asm';
import { runFlat, type FlatRunResult } from './machine/run';

export function runAsm(source: string, bits: 16 | 32 | 64 = 64, maxInstructions = 1_000_000): FlatRunResult {
  const org = bits === 16 ? 0x7c00 : 0x100000;
  const r = assemble(`bits ${bits}\norg ${org}\n${source}\nhlt\n`, { bits });
  if (r.errors.length) throw new Error(r.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  return runFlat({ bytes: r.bytes, origin: r.origin, mode: bits, maxInstructions });
}

/** A register value from a run as a BigInt. */
export function reg(res: FlatRunResult, name: string): bigint {
  return BigInt(res.registers[name]);
}

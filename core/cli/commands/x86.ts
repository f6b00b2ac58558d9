/** `x86 FILE.asm|FILE.bin [--mode 16|32|64] [--max-instructions N] [--org ADDR] [--json]`:
 * runs bare code on the x86 CPU in a flat machine and prints the debug console (port 0xE9),
 * why it stopped, the instruction count and the final registers. */
import { parseArgs, UsageError } from '../args';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE, type CliCommand } from '../io';
import { assemble } from '../../x86/asm';
import { runFlat, sourceBits } from '../../x86';

const USAGE = 'usage: x86 FILE.asm|FILE.bin [--mode 16|32|64] [--max-instructions N] [--org ADDR] [--json]\n';

const x86: CliCommand = (args, io) => {
  let parsed;
  try {
    parsed = parseArgs(args, { flags: ['--json', '--help'], options: ['--mode', '--max-instructions', '--org'] });
  } catch (e) {
    io.stderr(`error: ${(e as UsageError).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (parsed.flags.has('--help')) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  const modeOpt = parsed.options.get('--mode');
  if (modeOpt !== undefined && !['16', '32', '64'].includes(modeOpt)) {
    io.stderr(`error: --mode must be 16, 32 or 64\n${USAGE}`);
    return EXIT_USAGE;
  }
  const maxOpt = parsed.options.get('--max-instructions');
  const max = maxOpt === undefined ? 10_000_000 : Number(maxOpt);
  if (!Number.isInteger(max) || max <= 0) {
    io.stderr(`error: --max-instructions must be a positive integer\n${USAGE}`);
    return EXIT_USAGE;
  }
  const orgOpt = parsed.options.get('--org');
  const org = orgOpt === undefined ? undefined : Number(orgOpt);
  if (org !== undefined && (!Number.isInteger(org) || org < 0)) {
    io.stderr(`error: --org must be a non-negative integer address\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (!io.exists(file)) {
    io.stderr(`error: cannot open '${file}'\n`);
    return EXIT_FAIL;
  }
  let bytes: Uint8Array;
  let origin = org ?? 0;
  let mode = (modeOpt ? Number(modeOpt) : 64) as 16 | 32 | 64;
  if (file.endsWith('.asm') || file.endsWith('.s')) {
    const source = io.readText(file);
    if (!modeOpt) mode = sourceBits(source) ?? 64;
    const res = assemble(source, { bits: mode, fileName: file });
    if (res.errors.length) {
      for (const e of res.errors) io.stderr(`${file}:${e.line}:${e.column}: error: ${e.message}\n`);
      return EXIT_FAIL;
    }
    bytes = res.bytes;
    origin = org ?? res.origin;
  } else bytes = io.readFile(file);

  let result;
  try {
    result = runFlat({ bytes, origin, mode, maxInstructions: max });
  } catch (e) {
    io.stderr(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAIL;
  }
  if (parsed.flags.has('--json')) {
    io.stdout(JSON.stringify(result) + '\n');
  } else {
    io.stdout(result.output);
    if (result.output && !result.output.endsWith('\n')) io.stdout('\n');
    io.stdout(`stopped: ${result.stopReason}${result.exitCode !== null ? ` (exit code ${result.exitCode})` : ''}\n`);
    if (result.lastException) io.stdout(`last exception: ${result.lastException}\n`);
    if (result.unsupported) {
      const list = Object.entries(result.unsupportedBytes).slice(0, 8).map(([b, n]) => `${b} (${n}x)`).join(', ');
      io.stdout(`unsupported instructions (#UD): ${result.unsupported}: ${list}\n`);
    }
    io.stdout(`instructions: ${result.instructions}\n`);
    const regs = Object.entries(result.registers);
    for (let i = 0; i < regs.length; i += 4) {
      io.stdout(regs.slice(i, i + 4).map(([k, v]) => `${k.padStart(6)}=${v}`).join('  ') + '\n');
    }
  }
  return result.stopReason === 'triple-fault' ? EXIT_FAIL : EXIT_OK;
};

export default x86;

/** `sel4 SCRIPT [--board NAME] [--json]`: run a capability-lab script against a freshly booted kernel. */
import { parseArgs, UsageError } from '../args';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE, type CliCommand } from '../io';
import { findBoard, DEFAULT_BOARD, boardNames } from '../../boards';
import { runLabScript, type LabResult } from '../../kernel';

const hexify = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v);

const sel4: CliCommand = (args, io) => {
  let parsed;
  try {
    parsed = parseArgs(args, { flags: ['--json', '--help'], options: ['--board'] });
  } catch (e) {
    io.stderr(`error: ${(e as UsageError).message}\nusage: sel4 SCRIPT [--board NAME] [--json]\n`);
    return EXIT_USAGE;
  }
  if (parsed.flags.has('--help')) {
    io.stdout(`usage: sel4 SCRIPT [--board NAME] [--json]\nsyntax: core/kernel/lab/README.md; boards: ${boardNames().join(', ')} (default ${DEFAULT_BOARD})\n`);
    return EXIT_OK;
  }
  const [file] = parsed.positionals;
  if (!file || parsed.positionals.length > 1) {
    io.stderr('usage: sel4 SCRIPT [--board NAME] [--json]\n');
    return EXIT_USAGE;
  }
  const boardName = parsed.options.get('--board') ?? DEFAULT_BOARD;
  const board = findBoard(boardName);
  if (!board) {
    io.stderr(`error: unknown board '${boardName}' (known: ${boardNames().join(', ')})\n`);
    return EXIT_USAGE;
  }
  if (board.kernel.arch !== 'x86_64') {
    io.stderr(`error: the kernel model is x86_64 only; board '${boardName}' is ${board.kernel.arch}\n`);
    return EXIT_USAGE;
  }
  if (!io.exists(file)) {
    io.stderr(`error: cannot read '${file}'\n`);
    return EXIT_USAGE;
  }
  const run = runLabScript(io.readText(file), { board });
  const json = parsed.flags.has('--json');
  if (run.syntaxErrors.length) {
    for (const e of run.syntaxErrors) {
      if (json) io.stdout(JSON.stringify({ line: e.line, column: e.col, syntaxError: e.message.replace(/^\d+:\d+: /, '') }) + '\n');
      else io.stderr(`${file}:${e.message.replace(/^(\d+:\d+): /, '$1: error: ')}\n`);
    }
    return EXIT_FAIL;
  }
  for (const r of run.results) io.stdout(json ? JSON.stringify(toJson(r), hexify) + '\n' : format(file, r));
  return run.ok ? EXIT_OK : EXIT_FAIL;
};

function toJson(r: LabResult): object {
  return {
    line: r.line, text: r.text, ok: r.ok, error: r.error, errorName: r.output.split(' ')[0], output: r.output, values: r.values,
    notes: r.notes, ...(r.expect ? { expect: r.expect } : {}), ...(r.missing?.length ? { missing: r.missing } : {}),
  };
}

function format(file: string, r: LabResult): string {
  let s = `${String(r.line).padStart(4)}: ${r.output}`;
  if (r.missing?.length) s += `    <-- ${file}:${r.line}: expected ${r.missing.join(' ')}`;
  s += '\n';
  for (const n of r.notes) s += `        ${n}\n`;
  return s;
}

export default sel4;

/** `check FILE.system [--board NAME] [--smp] [--json]`: validate a system description the
 * way the microkit tool does. Exit 0 valid, 1 invalid, 2 usage error. */
import path from 'node:path';
import { boardKernel, boardNames, DEFAULT_BOARD, findBoard } from '../../boards';
import { checkSdf } from '../../sdf';
import { parseArgs, UsageError } from '../args';
import { type CliCommand, EXIT_FAIL, EXIT_OK, EXIT_USAGE } from '../io';

const USAGE = 'usage: check FILE.system [--board NAME] [--smp] [--json]';

const check: CliCommand = (args, io) => {
  let parsed;
  try {
    parsed = parseArgs(args, { flags: ['--json', '--smp', '--help'], options: ['--board'] });
  } catch (e) {
    io.stderr(`error: ${e instanceof UsageError ? e.message : String(e)}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (parsed.flags.has('--help')) {
    io.stdout(`${USAGE}\nboards: ${boardNames().join(', ')} (default ${DEFAULT_BOARD})\n`);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) {
    io.stderr(`error: expected exactly one system description file\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const file = parsed.positionals[0];
  const boardName = parsed.options.get('--board') ?? DEFAULT_BOARD;
  const board = findBoard(boardName);
  if (!board) {
    io.stderr(`error: unknown board '${boardName}' (known: ${boardNames().join(', ')})\n`);
    return EXIT_USAGE;
  }
  const smp = parsed.flags.has('--smp');
  if (smp && !board.smpCores) {
    io.stderr(`error: board '${boardName}' has no SMP configuration\n`);
    return EXIT_USAGE;
  }
  if (!io.exists(file)) {
    io.stderr(`error: cannot read '${file}': no such file\n`);
    return EXIT_USAGE;
  }
  let text: string;
  try {
    text = io.readText(file);
  } catch (e) {
    io.stderr(`error: cannot read '${file}': ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_USAGE;
  }
  const dir = path.dirname(file);
  const readFile = (p: string): Uint8Array | undefined => {
    const full = path.isAbsolute(p) ? p : path.join(dir, p);
    try {
      return io.exists(full) ? io.readFile(full) : undefined;
    } catch {
      return undefined;
    }
  };
  const res = checkSdf(text, { fileName: file, kernel: boardKernel(board, { smp }), readFile });
  const ok = res.system !== null;
  if (parsed.flags.has('--json')) {
    io.stdout(JSON.stringify({ ok, file, board: board.name, diagnostics: res.diagnostics }, null, 2) + '\n');
  } else {
    for (const d of res.diagnostics) io.stdout(`${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n`);
    // stdout carries only diagnostics; the verdict line goes to stderr for people
    if (ok) io.stderr(`${file}: valid for ${board.name}\n`);
  }
  return ok ? EXIT_OK : EXIT_FAIL;
};

export default check;

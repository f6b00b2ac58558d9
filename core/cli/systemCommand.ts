/** The opening every command on a system description shares: parse the arguments, answer
 * --help, pick the board (and its SMP configuration), read the file, and resolve files next
 * to it. Returns an exit code when the command should stop here. */
import path from 'node:path';
import { boardKernel, boardNames, DEFAULT_BOARD, findBoard, type Board, type KernelConfig } from '../boards';
import { parseArgs, UsageError, type ParsedArgs } from './args';
import { type CliIO, EXIT_OK, EXIT_USAGE } from './io';

export interface SystemCommandSpec {
  usage: string;
  flags?: string[];
  options?: string[];
  /** accept --smp (the board's SMP kernel configuration) */
  smp?: boolean;
}

export interface OpenedSystem {
  parsed: ParsedArgs;
  file: string;
  text: string;
  board: Board;
  smp: boolean;
  kernel: KernelConfig;
  /** a file named relative to the system description (prefills, programs), or undefined */
  readFile(p: string): Uint8Array | undefined;
}

/** A folder stands for the system in it (an example folder: its meta.json names the main file and the board; else
 * its only .system file). A file stands for itself. Returns a message when the folder does not say which. */
function systemInFolder(arg: string, io: CliIO): { file: string; board?: string } | string {
  const names = io.listDir?.(arg);
  if (!names) return { file: arg };
  if (names.includes('meta.json')) {
    try {
      const meta = JSON.parse(io.readText(path.join(arg, 'meta.json'))) as { main?: unknown; board?: unknown };
      if (typeof meta.main === 'string') return { file: path.join(arg, meta.main), board: typeof meta.board === 'string' ? meta.board : undefined };
    } catch {
      /* not an example's meta.json: fall back to the .system files */
    }
  }
  const systems = names.filter((n) => n.endsWith('.system'));
  if (systems.length === 1) return { file: path.join(arg, systems[0]) };
  return systems.length === 0
    ? `'${arg}' is a folder with no .system file`
    : `'${arg}' is a folder with ${systems.length} .system files (${systems.join(', ')}): name one`;
}

export function openSystemCommand(args: string[], io: CliIO, spec: SystemCommandSpec): OpenedSystem | number {
  const usage = spec.usage;
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(args, {
      flags: [...(spec.flags ?? []), '--help', ...(spec.smp ? ['--smp'] : [])],
      options: [...(spec.options ?? []), '--board'],
    });
  } catch (e) {
    io.stderr(`error: ${e instanceof UsageError ? e.message : String(e)}\n${usage}\n`);
    return EXIT_USAGE;
  }
  if (parsed.flags.has('--help')) {
    io.stdout(`${usage}\nboards: ${boardNames().join(', ')} (default ${DEFAULT_BOARD})\n`);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) {
    io.stderr(`error: expected exactly one system description file\n${usage}\n`);
    return EXIT_USAGE;
  }
  const found = systemInFolder(parsed.positionals[0], io);
  if (typeof found === 'string') {
    io.stderr(`error: ${found}\n`);
    return EXIT_USAGE;
  }
  const { file } = found;
  const boardName = parsed.options.get('--board') ?? found.board ?? DEFAULT_BOARD;
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
  return { parsed, file, text, board, smp, kernel: boardKernel(board, { smp }), readFile };
}

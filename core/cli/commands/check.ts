/** `check FILE.system [--board NAME] [--smp] [--json]`: validate a system description the
 * way the microkit tool does. Exit 0 valid, 1 invalid, 2 usage error. */
import { checkSdf } from '../../sdf';
import { type CliCommand, EXIT_FAIL, EXIT_OK } from '../io';
import { openSystemCommand } from '../systemCommand';

const USAGE = 'usage: check FILE.system [--board NAME] [--smp] [--json]';

const check: CliCommand = (args, io) => {
  const opened = openSystemCommand(args, io, { usage: USAGE, flags: ['--json'], smp: true });
  if (typeof opened === 'number') return opened;
  const { parsed, file, text, board, kernel, readFile } = opened;
  const res = checkSdf(text, { fileName: file, kernel, readFile });
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

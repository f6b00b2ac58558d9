/** Command-line entry: `npm run cli -- COMMAND ...`. The same core the app runs in its worker. */
import { COMMANDS } from './commands';
import { EXIT_USAGE } from './io';
import { nodeIO } from './nodeIO';

function usage(): string {
  return ['usage: npm run cli -- COMMAND [ARGS]', '', 'commands:', ...Object.values(COMMANDS).map((c) => `  ${c.summary}`), ''].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const io = nodeIO();
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : EXIT_USAGE;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`error: unknown command '${name}'\n${usage()}`);
    return EXIT_USAGE;
  }
  let run;
  try {
    run = await cmd.load();
  } catch {
    io.stderr(`error: command '${name}' is not available in this build yet\n`);
    return EXIT_USAGE;
  }
  return await run(rest, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);

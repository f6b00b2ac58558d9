/** `build FILE.system [--board NAME] [--boot-mode current|legacy] [--report] [--json]`: build a system
 * the way the Microkit tool and the capDL initialiser do, on the kernel model. Exit 0 built, 1 failed, 2 usage. */
import { buildSystem, formatReport, type BootMode } from '../../build';
import { checkSdf } from '../../sdf';
import { type CliCommand, EXIT_FAIL, EXIT_OK, EXIT_USAGE } from '../io';
import { openSystemCommand } from '../systemCommand';

const USAGE = 'usage: build FILE.system [--board NAME] [--smp] [--boot-mode current|legacy] [--report] [--json]';

const build: CliCommand = (args, io) => {
  const opened = openSystemCommand(args, io, { usage: USAGE, flags: ['--json', '--report'], options: ['--boot-mode'], smp: true });
  if (typeof opened === 'number') return opened;
  const { parsed, file, text, board, smp, kernel, readFile } = opened;
  const mode = parsed.options.get('--boot-mode') ?? 'current';
  if (mode !== 'current' && mode !== 'legacy') {
    io.stderr(`error: --boot-mode must be 'current' or 'legacy', not '${mode}'\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const checked = checkSdf(text, { fileName: file, kernel, readFile });
  const json = parsed.flags.has('--json');
  if (!checked.system) {
    if (json) io.stdout(JSON.stringify({ ok: false, file, board: board.name, diagnostics: checked.diagnostics }, null, 2) + '\n');
    else for (const d of checked.diagnostics) io.stderr(`${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n`);
    return EXIT_FAIL;
  }
  // a PD's program_image "foo.elf" is the JavaScript program "foo.js" beside the system file
  const images: Record<string, number> = {};
  const notes: string[] = [];
  for (const pd of checked.system.protectionDomains) {
    const js = pd.programImage.path.replace(/\.elf$/, '') + '.js';
    const data = readFile(js);
    if (data) images[pd.programImage.path] = data.length;
    else notes.push(`note: no program '${js}' for PD '${pd.name}': built with an empty program`);
  }
  const res = buildSystem(checked.system, { board, smp, bootMode: mode as BootMode, images });
  const diagnostics = [...checked.diagnostics, ...res.diagnostics];
  if (json) {
    io.stdout(JSON.stringify({ ok: res.ok, file, board: board.name, bootMode: mode, diagnostics, notes, ...(res.description ?? {}) }, null, 2) + '\n');
    return res.ok ? EXIT_OK : EXIT_FAIL;
  }
  for (const d of diagnostics) io.stderr(`${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n`);
  if (!res.ok || !res.description) return EXIT_FAIL;
  if (parsed.flags.has('--report')) {
    io.stdout(formatReport(res));
    return EXIT_OK;
  }
  for (const n of notes) io.stderr(n + '\n');
  const d = res.description;
  const s = d.summary;
  io.stdout(`${file}: built for ${board.name} (${mode} boot)\n`);
  io.stdout(`MICROKIT|CAPDL SPEC: number of root objects = ${s.objects}, spec footprint = ${BigInt(s.specBytes)}\n`);
  io.stdout(`MICROKIT|INITIAL TASK: memory size = ${BigInt(s.initialTaskImage)}\n`);
  io.stdout(`objects: ${Object.entries(s.objectsByType).map(([t, n]) => `${n} ${t}`).join(', ')}\n`);
  io.stdout(`memory: ${BigInt(s.objectBytes)} bytes in objects, ${BigInt(s.ramUsed)} bytes of RAM used, ${s.invocations} invocations\n`);
  io.stdout(`largest free block after boot: ${d.largestFreeBlock ? `${BigInt(d.largestFreeBlock.size)} bytes at ${d.largestFreeBlock.paddr}` : 'none'}\n`);
  return EXIT_OK;
};

export default build;

/** `asm FILE.asm [-o OUT.bin] [--bits 16|32|64] [--hex] [--listing]`: assemble x86 (NASM-like
 * Intel syntax) into a flat binary. Without -o the binary goes next to the source as FILE.bin
 * (the command says where); --hex prints a hex dump instead of writing a file, --listing
 * prints address, bytes and source per line. Exit 0 ok, 1 assembly errors, 2 usage. */
import { assemble, type AssembleResult } from '../../x86/asm';
import { parseArgs, UsageError } from '../args';
import { type CliCommand, EXIT_FAIL, EXIT_OK, EXIT_USAGE } from '../io';

const USAGE = 'usage: asm FILE.asm [-o OUT.bin] [--bits 16|32|64] [--hex] [--listing]';

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

function outputPath(file: string): string {
  return /\.(asm|s|nasm)$/i.test(file) ? file.replace(/\.(asm|s|nasm)$/i, '.bin') : `${file}.bin`;
}

export function hexDump(bytes: Uint8Array, origin: number): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = Array.from(bytes.slice(i, i + 16), hex2);
    const ascii = Array.from(bytes.slice(i, i + 16), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${(origin + i).toString(16).padStart(8, '0')}  ${row.join(' ').padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

export function listing(source: string, r: AssembleResult): string {
  const src = source.split('\n');
  const byLine = new Map(r.lineMap.map((e) => [e.line, e]));
  const out: string[] = [];
  src.forEach((text, i) => {
    const e = byLine.get(i + 1);
    const bytes = e ? Array.from(r.bytes.slice(e.address - r.origin, e.address - r.origin + Math.min(e.length, 10)), hex2).join('') + (e.length > 10 ? '...' : '') : '';
    const addr = e ? e.address.toString(16).padStart(8, '0') : ''.padStart(8);
    out.push(`${String(i + 1).padStart(5)} ${addr} ${bytes.padEnd(23)} ${text}`);
  });
  return out.join('\n') + '\n';
}

const asm: CliCommand = (args, io) => {
  let parsed;
  try {
    parsed = parseArgs(args, { flags: ['--hex', '--listing', '--help'], options: ['-o', '--bits'] });
  } catch (e) {
    io.stderr(`error: ${e instanceof UsageError ? e.message : String(e)}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (parsed.flags.has('--help')) {
    io.stdout(`${USAGE}\nwithout -o, writes FILE.bin next to the source; --hex prints a hex dump instead\n`);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) {
    io.stderr(`error: expected exactly one source file\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const bitsText = parsed.options.get('--bits');
  const bits = bitsText === undefined ? 16 : Number(bitsText);
  if (bits !== 16 && bits !== 32 && bits !== 64) {
    io.stderr(`error: --bits must be 16, 32 or 64\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const file = parsed.positionals[0];
  if (!io.exists(file)) {
    io.stderr(`error: cannot read '${file}': no such file\n`);
    return EXIT_FAIL;
  }
  const source = io.readText(file);
  const r = assemble(source, { fileName: file, bits });
  if (r.errors.length) {
    for (const e of r.errors) io.stderr(`${file}:${e.line}:${e.column}: error: ${e.message}\n`);
    io.stderr(`${r.errors.length} error${r.errors.length === 1 ? '' : 's'}\n`);
    return EXIT_FAIL;
  }
  if (parsed.flags.has('--listing')) io.stdout(listing(source, r));
  const out = parsed.options.get('-o');
  if (parsed.flags.has('--hex') && out === undefined) {
    io.stdout(hexDump(r.bytes, r.origin));
    return EXIT_OK;
  }
  const target = out ?? outputPath(file);
  io.writeFile(target, r.bytes);
  io.stdout(`wrote ${target}: ${r.bytes.length} bytes, origin 0x${r.origin.toString(16)}\n`);
  return EXIT_OK;
};

export default asm;

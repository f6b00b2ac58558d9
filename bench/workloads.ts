/** Workspaces the browser benches run. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './browser';

export interface Workspace {
  files: Record<string, string>;
  main: string;
  board: string;
}

/** The serial guest made to print forever (its final HLT becomes a jump back to the start), so every character is
 * an I/O exit through the VMM. */
export function serialForever(): Workspace {
  const dir = path.join(ROOT, 'core/examples/x86-vm-serial');
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f !== 'meta.json') files[f] = readFileSync(path.join(dir, f), 'utf8');
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { main: string; board: string };
  const guest = files['guest.asm'].replace(/\.done:\s*\n\s*cli\s*\n\s*hlt[^\n]*/, '.done:\n    jmp start');
  if (guest === files['guest.asm']) throw new Error('the serial guest changed shape: update the bench workload');
  files['guest.asm'] = guest;
  return { files, main: meta.main, board: meta.board };
}

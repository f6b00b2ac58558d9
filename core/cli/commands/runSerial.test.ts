import { describe, expect, it } from 'vitest';
import { memoryIO } from '../memoryIO';
import run from './run';

const memIO = (files: Record<string, string>) => memoryIO(files, { mergeStderr: true });

const SYSTEM = `<system>
  <protection_domain name="uart" priority="10">
    <program_image path="uart.elf" />
    <ioport id="0" addr="0x3f8" size="8" />
  </protection_domain>
</system>`;

// "hi" on its own line, then "bye" with no newline (printed when the run ends)
const UART = `export default { async init(mk) {
  for (const c of 'hi\\nbye') {
    while ((await mk.x86_ioport_read_8(0, 0x3fd) & 0x20) === 0) {}
    await mk.x86_ioport_write_8(0, 0x3f8, c.charCodeAt(0));
  }
  mk.dbg_puts('done\\n');
} };`;

const files = () => ({ 'a.system': SYSTEM, 'uart.js': UART });

describe('cli run with a PD driving the board\'s COM1', { timeout: 30_000 }, () => {
  it('prints the serial line prefixed "COM1| ", in order with the PDs\' debug output', async () => {
    const { io, out } = memIO(files());
    expect(await run(['a.system', '--board', 'x86_64_generic_vtx'], io)).toBe(0);
    const text = out.join('');
    expect(text).toContain('COM1| hi\n[uart] done\nCOM1| bye\n--- idle');
  });

  it('--json keeps its fields and adds "serial" (text by device)', async () => {
    const { io, out } = memIO(files());
    expect(await run(['a.system', '--board', 'x86_64_generic_vtx', '--json'], io)).toBe(0);
    const j = JSON.parse(out.join(''));
    expect(j).toMatchObject({ output: { uart: 'done\n' }, serial: { COM1: 'hi\nbye' }, faults: [], stoppedBecause: 'idle' });
    expect(j.console).not.toContain('hi');
    expect(j.events).toBeGreaterThan(5);
  });
});

import { describe, expect, it } from 'vitest';
import { createSimulation, runWorkspace } from './engine';
import type { TraceEvent } from './trace';
import { workspace } from './testing/systems';

const X86 = 'x86_64_generic_vtx';

/** A PD that owns COM1 (ioport id 0) and runs `body` in init. */
function uartPd(body: string, ioport = '<ioport id="0" addr="0x3f8" size="8" />') {
  return workspace([{ name: 'serial', priority: 100, inner: `    ${ioport}\n`, program: `export default { async init(mk) {\n${body}\n} };` }]);
}

const WRITE_HI = `for (const c of 'hi\\n') {
  while ((await mk.x86_ioport_read_8(0, 0x3fd) & 0x20) === 0) {}
  await mk.x86_ioport_write_8(0, 0x3f8, c.charCodeAt(0));
}`;

describe('the x86 board serial port (COM1 16550 on the port-I/O bus)', { timeout: 30_000 }, () => {
  it('turns a PD\'s writes to 0x3f8 into COM1 output events attributed to the device and the owning PD', async () => {
    const sim = createSimulation(uartPd(WRITE_HI), { board: X86 });
    expect(await sim.run()).toBe('idle');
    const out = sim.events.filter((e): e is Extract<TraceEvent, { kind: 'device-output' }> => e.kind === 'device-output');
    expect(out.map((e) => e.text).join('')).toBe('hi\n');
    for (const e of out) expect(e).toMatchObject({ device: 'COM1', source: "COM1 (serial PD's ioport 0x3f8)" });
    const snap = sim.snapshot();
    expect(snap.serial).toEqual({ COM1: 'hi\n' });
    // the PD printed nothing through the debug console: only the serial line carries "hi"
    expect(snap.console).not.toContain('hi');
  });

  it('answers register reads as a 16550 does: LSR transmitter empty, IIR no interrupt, scratch and divisor latch kept', async () => {
    const s = await runWorkspace(uartPd(`
      const r = (p) => mk.x86_ioport_read_8(0, p);
      const lsr = await r(0x3fd), iir = await r(0x3fa), rbr = await r(0x3f8);
      await mk.x86_ioport_write_8(0, 0x3ff, 0xa5);
      await mk.x86_ioport_write_8(0, 0x3fb, 0x80); // DLAB on: 0x3f8/0x3f9 are the divisor latch
      await mk.x86_ioport_write_8(0, 0x3f8, 0x0c);
      const dll = await r(0x3f8);
      await mk.x86_ioport_write_8(0, 0x3fb, 0x03);
      mk.dbg_puts(\`lsr=\${lsr.toString(16)} iir=\${iir} rbr=\${rbr} scr=\${(await r(0x3ff)).toString(16)} dll=\${dll}\\n\`);`), { board: X86 });
    expect(s.console).toContain('lsr=60 iir=1 rbr=0 scr=a5 dll=12\n');
    expect(s.serial).toEqual({}); // a divisor write is not a transmitted byte
  });

  it('reads all ones from a port with no device behind it and drops writes there', async () => {
    const s = await runWorkspace(uartPd(`
      await mk.x86_ioport_write_8(0, 0x2f8, 0x41);
      mk.dbg_puts(\`com2=\${(await mk.x86_ioport_read_8(0, 0x2f8)).toString(16)} \${(await mk.x86_ioport_read_16(0, 0x2fa)).toString(16)}\\n\`);`,
      '<ioport id="0" addr="0x2f8" size="8" />'), { board: X86 });
    expect(s.console).toContain('com2=ff ffff\n');
    expect(s.serial).toEqual({});
  });

  it('gives boards without port I/O no serial devices', async () => {
    const ws = workspace([{ name: 'hello', priority: 100, program: `export default { async init(mk) { mk.dbg_puts('hello\\n'); } };` }]);
    const sim = createSimulation(ws, { board: 'qemu_virt_aarch64' });
    await sim.run();
    expect(sim.state.kernel.ioBus).toBeNull();
    expect(sim.snapshot().serial).toEqual({});
  });
});

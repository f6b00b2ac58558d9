import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO as memIO } from '../memoryIO';
import check from './check';


const VALID = `<system>
  <memory_region name="m" size="0x1000" />
  <protection_domain name="a">
    <program_image path="a.elf" />
    <map mr="m" vaddr="0x400000" />
  </protection_domain>
</system>`;

const INVALID = `<system>
  <protection_domain name="a" priority="300">
    <program_image path="a.elf" />
  </protection_domain>
</system>`;

describe('cli check', () => {
  it('exits 0 on a valid system', async () => {
    const { io, out, err } = memIO({ 'ok.system': VALID });
    expect(await check(['ok.system'], io)).toBe(0);
    expect(out.join('')).toBe('');
    expect(err.join('')).toContain('valid');
  });
  it('prints FILE:LINE:COL: error: MESSAGE and exits 1 on an invalid system', async () => {
    const { io, out } = memIO({ 'bad.system': INVALID });
    expect(await check(['bad.system'], io)).toBe(1);
    expect(out.join('')).toBe("bad.system:2:3: error: priority must be between 0 and 254 on element 'protection_domain'\n");
  });
  it('prints JSON with --json', async () => {
    const { io, out } = memIO({ 'bad.system': INVALID });
    expect(await check(['bad.system', '--json', '--board', 'qemu_virt_aarch64'], io)).toBe(1);
    const j = JSON.parse(out.join(''));
    expect(j.ok).toBe(false);
    expect(j.diagnostics[0]).toMatchObject({ severity: 'error', line: 2, column: 3 });
  });
  it('exits 2 on usage errors', async () => {
    const { io } = memIO({ 'ok.system': VALID });
    expect(await check(['ok.system', '--board', 'nope'], io)).toBe(2);
    expect(await check(['missing.system'], io)).toBe(2);
    expect(await check(['ok.system', '--frob'], io)).toBe(2);
    expect(await check([], io)).toBe(2);
    expect(await check(['ok.system', '--board'], io)).toBe(2);
  });
  it('uses the board\'s SMP configuration with --smp', async () => {
    const sys = VALID.replace('<protection_domain name="a">', '<protection_domain name="a" cpu="1">');
    const { io } = memIO({ 'smp.system': sys });
    expect(await check(['smp.system', '--board', 'qemu_virt_aarch64'], io)).toBe(1);
    expect(await check(['smp.system', '--board', 'qemu_virt_aarch64', '--smp'], io)).toBe(0);
    expect(await check(['smp.system', '--smp'], io)).toBe(2);
  });
  it('reads prefill files relative to the system file', async () => {
    const sys = VALID.replace('size="0x1000"', 'prefill_path="data.bin"');
    const { io } = memIO({ [path.normalize('d/s.system')]: sys, [path.normalize('d/data.bin')]: 'hello' });
    expect(await check(['d/s.system'], io)).toBe(0);
  });
  it('takes a folder for the system in it: meta.json names the main file and board, else the only .system file', async () => {
    const riscOnly = VALID.replace('<map mr="m" vaddr="0x400000" />', '<map mr="m" vaddr="0x400000" /><irq irq="5" id="1" />');
    const meta = JSON.stringify({ main: 'main.system', board: 'qemu_virt_riscv64' });
    const { io, err } = memIO({ 'ex/meta.json': meta, 'ex/main.system': riscOnly, 'ex/other.system': INVALID, 'one/x.system': VALID, 'two/a.system': VALID, 'two/b.system': VALID, 'none/readme.md': '' });
    expect(await check(['ex'], io)).toBe(0); // the board from meta.json accepts its irq
    expect(await check(['ex', '--board', 'x86_64_generic_vtx'], io)).toBe(1); // a board named on the command line wins
    expect(await check(['one'], io)).toBe(0);
    expect(await check(['two'], io)).toBe(2);
    expect(err.join('')).toContain("'two' is a folder with 2 .system files (a.system, b.system): name one");
    expect(await check(['none'], io)).toBe(2);
    expect(err.join('')).toContain("'none' is a folder with no .system file");
  });
});

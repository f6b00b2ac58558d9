import { describe, expect, it } from 'vitest';
import { memoryIO as memIO } from '../memoryIO';
import build from './build';


const SYSTEM = `<system>
  <memory_region name="m" size="0x1000" />
  <protection_domain name="a">
    <program_image path="a.elf" />
    <map mr="m" vaddr="0x400000" />
  </protection_domain>
</system>`;

describe('cli build', () => {
  it('builds and prints a summary', async () => {
    const { io, out } = memIO({ 'sys/a.system': SYSTEM, 'sys/a.js': 'export default { init() {} };' });
    expect(await build(['sys/a.system'], io)).toBe(0);
    const text = out.join('');
    expect(text).toContain('built for x86_64_generic_vtx (current boot)');
    expect(text).toMatch(/MICROKIT\|CAPDL SPEC: number of root objects = \d+/);
    expect(text).toMatch(/largest free block after boot: \d+ bytes at 0x/);
  });
  it('sizes the PD image from the program beside the system file', async () => {
    const small = memIO({ 'a.system': SYSTEM, 'a.js': 'x' });
    const big = memIO({ 'a.system': SYSTEM, 'a.js': 'x'.repeat(40000) });
    await build(['a.system', '--json'], small.io);
    await build(['a.system', '--json'], big.io);
    const frames = (o: string[]) => (JSON.parse(o.join('')).objects as { name: string }[]).filter((x) => x.name.startsWith('frame_elf_a_')).length;
    expect(frames(big.out)).toBeGreaterThan(frames(small.out));
  });
  it('prints JSON with objects, caps, mappings, untypeds, the memory map and the largest free block', async () => {
    const { io, out } = memIO({ 'a.system': SYSTEM });
    expect(await build(['a.system', '--json', '--board', 'qemu_virt_aarch64', '--boot-mode', 'legacy'], io)).toBe(0);
    const d = JSON.parse(out.join(''));
    expect(d).toMatchObject({ ok: true, board: 'qemu_virt_aarch64', bootMode: 'legacy' });
    expect(d.objects[0]).toHaveProperty('paddr');
    expect(d.pds[0].caps.find((c: { slot: number }) => c.slot === 1)).toMatchObject({ capType: 'Notification', objectName: 'ntfn_a' });
    expect(d.addressSpaces.find((a: { name: string }) => a.name === 'a').mappings.some((m: { mr: string }) => m.mr === 'm')).toBe(true);
    expect(d.untypeds.length).toBeGreaterThan(0);
    expect(d.physicalMemory.some((r: { kind: string }) => r.kind === 'pd-images')).toBe(true);
    expect(d.largestFreeBlock.size).toMatch(/^0x[0-9a-f]+$/);
  });
  it('prints a report with CNodes by slot', async () => {
    const { io, out } = memIO({ 'a.system': SYSTEM });
    expect(await build(['a.system', '--report'], io)).toBe(0);
    const text = out.join('');
    expect(text).toContain('# CNode Details');
    expect(text).toContain("Slot 2: Endpoint → 'ep_fault_monitor', rights RWG, badge 0x1");
    expect(text).toContain('# Kernel Objects Details');
  });
  it('fails with the SDF location when the system does not build', async () => {
    const bad = SYSTEM.replace('<memory_region name="m" size="0x1000" />', '<memory_region name="m" size="0x1000" phys_addr="0x100000" />');
    const { io, err } = memIO({ 'a.system': bad });
    expect(await build(['a.system'], io)).toBe(1);
    expect(err.join('')).toContain('a.system:2:3: error: object \'frame_mr_m_000000000\'');
  });
  it('rejects bad usage', async () => {
    const { io } = memIO({ 'a.system': SYSTEM });
    expect(await build(['a.system', '--boot-mode', 'old'], io)).toBe(2);
    expect(await build(['a.system', '--board', 'nope'], io)).toBe(2);
    expect(await build([], io)).toBe(2);
  });
});

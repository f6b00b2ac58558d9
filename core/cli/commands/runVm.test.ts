import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../memoryIO';
import run from './run';

const here = path.dirname(fileURLToPath(import.meta.url));
const example = (id: string, f: string): string => readFileSync(path.resolve(here, '../../examples', id, f), 'utf8');

const memIO = (files: Record<string, string>) => memoryIO(files, { mergeStderr: true });

const files = () => ({
  'vm/vm_triple_fault.system': example('x86-vm-triple-fault', 'vm_triple_fault.system'),
  'vm/vmm.js': example('x86-vm-triple-fault', 'vmm.js'),
  'vm/guest.asm': example('x86-vm-triple-fault', 'guest.asm'),
});

describe('cli run with a virtual machine', { timeout: 60_000 }, () => {
  it('--json has each VM: serial output, exit counts by reason, last exits, the error that stopped it', async () => {
    const { io, out } = memIO(files());
    expect(await run(['vm/vm_triple_fault.system', '--board', 'x86_64_generic_vtx', '--json'], io)).toBe(0);
    const j = JSON.parse(out.join(''));
    expect(j.vms).toHaveLength(1);
    expect(j.vms[0]).toMatchObject({
      name: 'guest', vmm: 'vmm', serial: 'guest: loading an empty IDT, then UD2\n', state: 'stopped',
      exitCounts: { 'I/O instruction': 38, 'Triple fault': 1 }, error: 'guest triple fault at RIP 0x101e',
    });
    expect(j.vms[0].lastExits.at(-1)).toEqual({ reason: 2, name: 'Triple fault', qualification: 0, guestPhysical: 0, rip: 0x101e, outcome: 'VCPU stopped' });
  });

  it('prints a summary line per VM and --trace records every VM exit with its decoded qualification and outcome', async () => {
    const { io, out, written } = memIO(files());
    expect(await run(['vm/vm_triple_fault.system', '--board', 'x86_64_generic_vtx', '--trace', 't.jsonl'], io)).toBe(0);
    expect(out.join('')).toContain('--- vm guest (VMM vmm): 39 exits (Triple fault 1, I/O instruction 38), stopped: guest triple fault at RIP 0x101e\n');
    const records = written['t.jsonl'].trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.kind === 'vm-exit-record');
    expect(records).toHaveLength(39);
    expect(records[0]).toEqual({
      kind: 'vm-exit-record', vm: 'guest', seq: 1, reason: 30, name: 'I/O instruction', qualification: 0x03f80000,
      decoded: { 'size-1': 0, 'direction in': 0, string: 0, rep: 0, 'immediate operand': 0, port: 0x3f8 },
      guestPhysical: 0, rip: records[0].rip, outcome: 'out 0x3f8 <- 0x67 (serial (16550))',
    });
    expect(records.at(-1)).toMatchObject({ reason: 2, outcome: 'VCPU stopped: guest triple fault at RIP 0x101e' });
  });
});

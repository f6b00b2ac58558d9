import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabSession, runLabScript } from './session';
import sel4 from '../../cli/commands/sel4';
import type { CliIO } from '../../cli/io';

const dir = path.join(__dirname, 'scripts');

describe('lab scripts (every `# expect` holds)', () => {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.sel4')).sort()) {
    it(f, () => {
      const run = runLabScript(readFileSync(path.join(dir, f), 'utf8'));
      expect(run.syntaxErrors).toEqual([]);
      const failed = run.results.filter((r) => !r.ok).map((r) => `${r.line}: ${r.output} (missing ${r.missing?.join(' ')})`);
      expect(failed).toEqual([]);
      expect(run.results.filter((r) => r.expect).length).toBeGreaterThan(10);
    });
  }
});

describe('lab runner', () => {
  it('fails a line whose expectation does not hold', () => {
    const run = runLabScript('seL4_CNode_Delete(seL4_CapInitThreadCNode, 5000, 64) # expect seL4_NoError');
    expect(run.ok).toBe(false);
    expect(run.results[0].output).toContain('seL4_FailedLookup');
  });
  it('names line and column of a syntax error and runs nothing', () => {
    const run = runLabScript('seL4_Yield()\nseL4_CNode_Delete(seL4_CapInitThreadCNode, 5 64)');
    expect(run.results).toEqual([]);
    expect(run.syntaxErrors[0].line).toBe(2);
    expect(run.syntaxErrors[0].col).toBe(46);
  });
  it('prints a Poll result with the badge as in the issue', () => {
    const s = new LabSession();
    const lines = [
      'seL4_Untyped_Retype(largest_ram_untyped, seL4_NotificationObject, 0, seL4_CapInitThreadCNode, 0, 0, empty_start, 1)',
      'seL4_CNode_Mint(seL4_CapInitThreadCNode, empty_start + 1, 64, seL4_CapInitThreadCNode, empty_start, 64, seL4_AllRights, 5)',
      'seL4_Signal(empty_start + 1)',
    ];
    for (const l of lines) expect(s.exec(l)!.output).toBe('seL4_NoError');
    expect(s.exec('seL4_Poll(empty_start, &badge)')!.output).toBe('seL4_NoError badge=0x5');
  });
  it('untyped[i] and ram_untyped[i] follow bootinfo order', () => {
    const s = new LabSession();
    const bi = s.booted.bootinfo;
    const firstRam = bi.untypedList.findIndex((u) => !u.isDevice);
    expect(s.exec('untyped[3]')!.values.value).toBe(`0x${(bi.untyped.start + 3).toString(16)}`);
    expect(s.exec('ram_untyped[0]')!.values.value).toBe(`0x${(bi.untyped.start + firstRam).toString(16)}`);
    expect(s.exec('untyped[100000]')!.ok).toBe(false);
  });
  it('accepts C comments, bare declarations, assigned results and assert()', () => {
    const run = runLabScript([
      'seL4_Word badge; // zero',
      'badge /* still zero */ # expect value=0x0',
      'seL4_Error e = seL4_CNode_Delete(seL4_CapInitThreadCNode, 5000, 64);',
      'assert(e == seL4_FailedLookup) # expect seL4_NoError',
    ].join('\n'));
    expect(run.results.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(runLabScript('assert(1 == 2)').ok).toBe(false);
    expect(runLabScript('printf(1)').results[0].output).toBe("error: unknown function 'printf'");
  });
  it('runs a statement as another thread with `as EXPR:`', () => {
    const run = runLabScript([
      'seL4_CPtr t = empty_start',
      'seL4_Untyped_Retype(largest_ram_untyped, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, t, 1)',
      'as t: seL4_Yield() # expect error:',
      'seL4_TCB_Configure(t, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0, 0)',
      'seL4_TCB_Resume(t)',
      'as t + 0: seL4_Yield() # expect seL4_NoError',
      'as seL4_CapInitThreadCNode: seL4_Yield() # expect error:',
    ].join('\n'));
    expect(run.results.filter((r) => !r.ok)).toEqual([]);
  });
  it('reads the bootinfo structure the C way', () => {
    const run = runLabScript([
      'seL4_BootInfo *info = seL4_GetBootInfo();',
      'info->empty.start == empty_start # expect value=0x1',
      'info->untypedList[0].paddr # expect value=0x0',
      'bootinfo->untypedList[1].sizeBits == untyped_size_bits[1] # expect value=0x1',
      'info->untypedList[100000].paddr # expect error:',
    ].join('\n'));
    expect(run.results.filter((r) => !r.ok)).toEqual([]);
  });
  it('evaluates the libsel4 expression helpers', () => {
    const s = new LabSession();
    expect(s.exec('seL4_CapRights_new(0, 1, 1, 0)')!.values.value).toBe('0x6');
    expect(s.exec('seL4_MessageInfo_new(3, 0, 1, 2)')!.values.value).toBe('0x3082');
    expect(s.exec('seL4_CNode_CapData_new(5, 52)')!.values.value).toBe('0x174');
  });
});

function fakeIO(files: Record<string, string>): CliIO & { out: string; err: string } {
  const io = {
    out: '', err: '', cwd: '/',
    stdout(t: string) { io.out += t; },
    stderr(t: string) { io.err += t; },
    readFile: (p: string) => new TextEncoder().encode(files[p]),
    readText: (p: string) => files[p],
    writeFile: () => {},
    exists: (p: string) => p in files,
  };
  return io;
}

describe('sel4 CLI command', () => {
  it('exits 0 when every expectation holds and prints one JSON object per line with --json', async () => {
    const io = fakeIO({ 's.sel4': 'seL4_Yield() # expect seL4_NoError\n# comment\nseL4_X86_Page_GetAddress(seL4_CapInitThreadIPCBuffer)\n' });
    expect(await sel4(['s.sel4', '--json'], io)).toBe(0);
    const lines = io.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[1].values.paddr).toMatch(/^0x/);
  });
  it('exits 1 on a failed expectation and 1 with line:column on a syntax error', async () => {
    expect(await sel4(['s.sel4'], fakeIO({ 's.sel4': 'seL4_Yield() # expect seL4_RangeError\n' }))).toBe(1);
    const io = fakeIO({ 's.sel4': 'seL4_Yield(\n' });
    expect(await sel4(['s.sel4'], io)).toBe(1);
    expect(io.err).toMatch(/s\.sel4:1:12: error/);
  });
  it('rejects unknown boards and non-x86 boards as usage errors', async () => {
    expect(await sel4(['s.sel4', '--board', 'nope'], fakeIO({ 's.sel4': '' }))).toBe(2);
    expect(await sel4(['s.sel4', '--board', 'qemu_virt_aarch64'], fakeIO({ 's.sel4': '' }))).toBe(2);
  });
});

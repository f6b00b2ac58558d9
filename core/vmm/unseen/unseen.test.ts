/** Guests nobody had run before (issue 9): each folder here is a small system (a .system, a vmm.js and a guest.asm)
 * of the kind a student or a VMM engineer writes. Every guest runs on the engine (as the CLI does), through the CLI
 * itself, and through the protocol's simulation service as the app drives it; the outcomes asserted are what the
 * guest must print and what the VMM must count, report or refuse. Addresses come from the assembler's symbols. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../cli/memoryIO';
import runCommand from '../../cli/commands/run';
import { vmReports } from '../../microkit/vcpu';
import { createSimService } from '../../protocol/simService';
import type { ExitPage, ExitRow, SimView, VcpuView } from '../../protocol/simMessages';
import { createSimulation } from '../../sim';
import { assemble } from '../../x86';
import { exitName } from '../record';

const here = path.dirname(fileURLToPath(import.meta.url));
const GUESTS = readdirSync(here, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const BOARD = 'x86_64_generic_vtx';

function load(name: string) {
  const files: Record<string, string> = {};
  for (const f of readdirSync(path.join(here, name))) files[f] = readFileSync(path.join(here, name, f), 'utf8');
  const asm = assemble(files['guest.asm'], { fileName: 'guest.asm' });
  if (asm.errors.length) throw new Error(`${name}: ${asm.errors[0].message}`);
  const sym = (s: string): number => {
    const v = asm.symbols.get(s);
    if (v === undefined) throw new Error(`${name}: no symbol ${s}`);
    return v;
  };
  /** the image's bytes at a guest address, as hex */
  const bytesAt = (at: number, n: number): string => [...asm.bytes.subarray(at - asm.origin, at - asm.origin + n)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return { files, main: `${name}.system`, sym, bytesAt };
}

async function engineRun(name: string, maxEvents = 100_000) {
  const g = load(name);
  const sim = createSimulation({ files: g.files, system: g.main }, { board: BOARD, keepEvents: 0 });
  const stop = await sim.run({ maxEvents });
  const snap = sim.snapshot();
  const [vm] = vmReports(sim.state.kernel);
  return { stop, console: snap.console, faults: snap.faults, vm, sym: g.sym, bytesAt: g.bytesAt };
}

const lines = (...l: string[]): string => [...l, ''].join('\n');
const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
/** each byte the guest printed with OUT is one I/O exit (the guests print through puts / hex32 one byte at a time) */
const outBytes = (s: string): number => new TextEncoder().encode(s).length;

describe('unseen guests on the engine: what they print, what the VMM counts and reports', { timeout: 60_000 }, () => {
  it('cpuid-leaves: leaves 7/0xB/0xD/0x15/0x16, the extended and hypervisor ranges, OSXSAVE follows CR4, XSETBV', async () => {
    const r = await engineRun('cpuid-leaves');
    expect(r.vm.serial).toBe(lines(
      'leaf 00000007.00000000: 00000000 00980081 00000000 00000000', // FSGSBASE SMEP ADX SMAP CLFLUSHOPT
      'leaf 00000007.00000001: 00000000 00000000 00000000 00000000',
      'leaf 0000000b.00000003: 00000000 00000000 00000003 00000000', // ECX echoed, no topology
      'leaf 0000000d.00000000: 00000003 00000240 00000240 00000000', // x87|SSE, a 576-byte XSAVE area
      'leaf 0000000d.00000001: 00000001 00000000 00000000 00000000',
      'leaf 00000015.00000000: 00000001 00000001 05f5e100 00000000', // TSC = 100 MHz
      'leaf 00000016.00000000: 00000064 00000064 00000064 00000000',
      'leaf 40000000.00000000: 00000000 00000000 00000000 00000000', // no paravirtual interface
      'leaf 80000000.00000000: 80000008 00000000 00000000 00000000',
      'leaf 80000001.00000000: 00000000 00000000 00000121 24100800', // SYSCALL in 64-bit mode, NX, 1 GiB, LM
      'leaf 80000008.00000000: 00003027 00000000 00000000 00000000',
      'leaf 00000020.00000000: 00000000 00000000 00000000 00000000',
      'OSXSAVE 0', 'OSXSAVE 1', 'xsetbv 3: ok', 'xsetbv 7: #GP', 'done',
    ));
    expect(r.console).toContain('vmm|ERROR: CPUID leaf 0x20 is not emulated, returning zeros\n');
    expect(r.vm.exitCounts).toEqual({ CPUID: 14, XSETBV: 2, HLT: 1, 'I/O instruction': outBytes(r.vm.serial) });
    expect(r.vm.state).toBe('waiting');
  });

  it('msr-roundtrip: SYSCALL MSRs and an MTRR keep what was written, the TSC moves, refused MSRs are #GP(0)', async () => {
    const r = await engineRun('msr-roundtrip');
    expect(r.vm.serial).toBe(lines(
      'LSTAR:      ffffffff81000000', 'STAR:       001b001000000000', 'MTRRBASE0:  0000000100000006',
      'TSC:        moves forward', 'rd c0011029: #GP', 'wr c0011029: #GP', 'x2APIC on:  #GP', '#GP count:  00000003',
    ));
    expect(r.console).toContain('vmm|ERROR: RDMSR of unknown MSR 0xc0011029, injecting #GP(0)\n');
    expect(r.console).toContain('vmm|ERROR: WRMSR of MSR 0xc0011029 refused, injecting #GP(0)\n');
    expect(r.console).toContain('vmm|ERROR: WRMSR of MSR 0x1b refused, injecting #GP(0)\n');
    expect(r.vm.exitCounts).toEqual({ RDMSR: 6, WRMSR: 5, HLT: 1, 'I/O instruction': outBytes(r.vm.serial) });
  });

  it('string-io: REP OUTSB forwards and with DF set, REP INSB / INSW from an unmodelled port, IN from nobody', async () => {
    const r = await engineRun('string-io');
    const reversedStart = r.sym('reversed');
    const buf = r.sym('buf');
    expect(r.vm.serial).toBe(lines(
      'rep outsb forwards', 'backwards',
      `RSI after STD REP OUTSB: ${hex8(reversedStart - 1)}`,
      'REP INSB port 0x80: 11ffffff', // three bytes of all ones, the fourth untouched
      `INSW (DF=1):        5566ffff RDI ${hex8(buf + 4 - 2)}`,
      'IN port 0x60:       123456ff', // the upper bits of RAX are kept
      'COM1 LSR:           00000060', // THR empty, transmitter empty
    ));
    // two REP OUTSB (one exit each), REP INSB, INSW, two INs, and one exit per byte puts / hex32 printed
    const stringBytes = outBytes('rep outsb forwards\n') + outBytes('\nsdrawkcab');
    expect(r.vm.exitCounts).toEqual({ 'I/O instruction': outBytes(r.vm.serial) - stringBytes + 6, HLT: 1 });
  });

  it('unmapped-mmio: a write no map and no device covers stops the vCPU, naming the address, RIP and instruction', async () => {
    const r = await engineRun('unmapped-mmio');
    const msg = `failed to find EPT handler for guest-physical address 0xd0000040 (RIP 0x${r.sym('fb_write').toString(16)}, mov)`;
    expect(r.vm.serial).toBe(lines('IOAPIC version: 00170011', 'writing the framebuffer at 0xd0000040'));
    expect(r.console).toContain(`vmm|ERROR: ${msg}\n`);
    expect(r.vm).toMatchObject({ state: 'stopped', error: msg });
    expect(r.vm.exitCounts['EPT violation']).toBe(3);
    expect(r.vm.lastExits.at(-1)).toMatchObject({ name: 'EPT violation', guestPhysical: 0xd0000040, rip: r.sym('fb_write'), outcome: 'VCPU stopped' });
    expect(r.faults).toEqual([]);
  });

  it('idt-exceptions: #DE, #BP, #UD, #GP and #PF are delivered inside the guest to its own handlers, no exits', async () => {
    const r = await engineRun('idt-exceptions');
    expect(r.vm.serial).toBe(lines('#DE', '#BP', '#UD', '#GP error 00000000', '#PF error 00000000 cr2 0000000100000000', 'all five handled'));
    expect(r.vm.exitCounts).toEqual({ 'I/O instruction': outBytes(r.vm.serial), HLT: 1 });
  });

  it('misc-instructions: RDTSC moves, RDTSCP is #UD (not enabled), RDRAND works as CPUID says, VMCALL stops the vCPU', async () => {
    const r = await engineRun('misc-instructions');
    const vmcall = r.sym('at_vmcall');
    expect(r.vm.serial).toBe(lines(
      'TSC delta:      00000004', // rdtsc; mov; pause; pause; rdtsc: the TSC counts instructions
      'INVLPG and WBINVD ran',
      `#UD at ${hex8(r.sym('at_rdtscp'))} bytes ${r.bytesAt(r.sym('at_rdtscp'), 4)}`, // 0f 01 f9, then the next REX.W
      'RDTSCP aux:     ffffffff',
      'CPUID RDRAND:   00000001',
      'RDRAND CF:      00000001',
      'VMCALL 0x1234',
    ));
    const msg = `unhandled VM exit: VMCALL (reason 18) at RIP 0x${vmcall.toString(16)}`;
    expect(r.vm).toMatchObject({ state: 'stopped', error: msg });
    expect(r.console).toContain(`vmm: vCPU stopped: ${msg}\n`);
    expect(r.vm.exitCounts).toEqual({ CPUID: 1, VMCALL: 1, 'I/O instruction': outBytes(r.vm.serial) });
  });

  it('protected-mode32: own GDT/IDT, INT 0x80, CR0.PG exit emulated, IOAPIC read decoded through 32-bit paging', async () => {
    const r = await engineRun('protected-mode32');
    expect(r.vm.serial).toBe(lines('int 0x80 returned 0000002a', 'paging on, CR0 = 80000011', 'IOAPIC version through paging: 00170011'));
    // MOV to CR3 (the kernel forces CR3-load exiting) and MOV to CR0 (PG is in the guest/host mask)
    expect(r.vm.exitCounts).toEqual({ 'Control-register access': 2, 'EPT violation': 2, HLT: 1, 'I/O instruction': outBytes(r.vm.serial) });
  });

  it('spin-forever: a guest that never exits again is preempted by the kernel; the run ends at its event limit', async () => {
    const r = await engineRun('spin-forever', 3_000);
    expect(r.stop).toBe('max-events');
    expect(r.vm.serial).toBe(lines('spinning forever now'));
    expect(r.vm).toMatchObject({ state: 'running', error: null, exitCounts: { 'I/O instruction': outBytes(r.vm.serial) } });
  });

  it('triple-fault-stack: an unmapped stack turns INT3 into #PF, #DF, shutdown; no handler runs', async () => {
    const r = await engineRun('triple-fault-stack');
    const msg = `guest triple fault at RIP 0x${r.sym('at_int3').toString(16)}`;
    expect(r.vm.serial).toBe(lines('stack at 0x100001000, INT3'));
    expect(r.vm).toMatchObject({ state: 'stopped', error: msg, exitCounts: { 'Triple fault': 1, 'I/O instruction': outBytes(r.vm.serial) } });
  });

  it('self-modifying: patched immediates take effect, also in a hot loop, and copied code runs where it was copied', async () => {
    const r = await engineRun('self-modifying');
    // the loop adds 1 for 501 iterations, then 2 for the remaining 499
    expect(r.vm.serial).toBe(lines('before patch: 11111111', 'after patch:  0badf00d', `loop sum:     ${hex8(501 + 2 * 499)}`, 'copy ran at:  00030000'));
  });

  it('unimplemented: instructions the CPU does not model are #UD in the guest at their RIP; without an IDT, a triple fault', async () => {
    const r = await engineRun('unimplemented');
    const labels = ['u_fld1', 'u_movaps', 'u_cmpxchg16b', 'u_jmpfar', 'u_ud2', 'u_ud0'];
    const serial = r.vm.serial.split('\n');
    expect(serial.slice(0, 6)).toEqual(labels.map((l) => `#UD at ${hex8(r.sym(l))} bytes ${r.bytesAt(r.sym(l), 4)}`));
    expect(serial.slice(0, 6).map((l) => l.slice(-8, -4))).toEqual(['d9e8', '0f28', '480f', 'ff28', '0f0b', '0fff']);
    expect(serial[6]).toBe('#UD count 00000006');
    // the shutdown names the instruction that started it (UD2, in triple-fault-stack and the example, is a real one)
    const msg = `guest triple fault at RIP 0x${r.sym('u_last').toString(16)}: the instruction there (d9) is not implemented by the simulated CPU, so it raised #UD`;
    expect(r.vm).toMatchObject({ state: 'stopped', error: msg });
    expect(r.faults).toEqual([]);
  });

  it('syscall-setup: EFER.SCE, STAR, LSTAR and FMASK written through the VMM make SYSCALL enter at LSTAR', async () => {
    const r = await engineRun('syscall-setup');
    // R11 = RFLAGS at SYSCALL: ZF and PF from the XOR before it, bit 1 always set
    expect(r.vm.serial).toBe(lines(`in the syscall entry, return to ${hex8(r.sym('back'))}`, 'back, r11 (rflags) = 00000046'));
    expect(r.vm.exitCounts).toEqual({ RDMSR: 1, WRMSR: 4, HLT: 1, 'I/O instruction': outBytes(r.vm.serial) });
  });

  it('real-mode: a 16-bit guest started in real mode (unrestricted guest) uses the IVT, CPUID, OUTSB and MMIO', async () => {
    const r = await engineRun('real-mode');
    expect(r.vm.serial).toBe(lines('hello from real mode', 'int 0x80 returned 002a', 'vendor: GenuineIntel', 'IOAPIC version (low 16 bits): 0011'));
    // OUTSB without REP is one exit per byte, like OUT
    expect(r.vm.exitCounts).toEqual({ CPUID: 1, 'EPT violation': 2, HLT: 1, 'I/O instruction': outBytes(r.vm.serial) });
  });

  it('kernel-at-1mib: an image at 1 MiB stays intact; the VMM puts its page tables at the top of guest RAM instead', async () => {
    const r = await engineRun('kernel-at-1mib');
    const tables = 0x200000 - 0x7000; // 7 pages (PML4, PDPT, 4 PDs, GDT) below the end of the 2 MiB of RAM
    expect(r.vm.serial).toBe(lines('loaded at 1 MiB', `page tables at ${hex8(tables)}`, 'last image byte 0000005a'));
    expect(r.vm.exitCounts).toEqual({ 'Control-register access': 1, HLT: 1, 'I/O instruction': outBytes(r.vm.serial) });
  });

  it('an image linked outside guest RAM is refused at load with its size, address and the RAM named', async () => {
    const g = load('kernel-at-1mib');
    const files = { ...g.files, 'guest.asm': g.files['guest.asm'].replace('org 0x100000', 'org 0x300000') };
    const sim = createSimulation({ files, system: g.main }, { board: BOARD, keepEvents: 0 });
    await sim.run({ maxEvents: 10_000 });
    const faults = sim.snapshot().faults;
    expect(faults).toHaveLength(1);
    expect(faults[0].text).toMatch(/^JavaScript Error: mk\.vmm: guest image 'guest\.asm' \(\d+ bytes at 0x300000\) does not fit in guest RAM \(0x0\.\.0x200000\)/);
  });

  it('pci-scan: bus 0 has the i440FX host bridge and PIIX3 ISA bridge; HPET capabilities and LAPIC version read', async () => {
    const r = await engineRun('pci-scan');
    expect(r.vm.serial).toBe(lines(
      '00000000:12378086 80000600', // 8086:1237 host bridge (class 06 00); a word IN keeps EAX's upper half
      '00000001:70008086 80000601', // 8086:7000 ISA bridge
      '05f5e10080868201', // 100 ns per tick (10 MHz), vendor 8086, legacy route, 64-bit counter, 3 timers, rev 1
      '00060010',
    ));
    // 32 addresses written and 32 reads, 2 x (class address + class read) for the functions found, the rest prints
    expect(r.vm.exitCounts['I/O instruction']).toBe(64 + 4 + outBytes(r.vm.serial));
    expect(r.vm.exitCounts['EPT violation']).toBe(2); // the 8-byte HPET read is one exit
  });

  it('high-half: a guest running at 0xffff8000_0000xxxx reaches the IOAPIC through its own high mapping', async () => {
    const r = await engineRun('high-half');
    const bye = 'REP OUTSB from the high half\n';
    expect(r.vm.serial).toBe(lines('IOAPIC version from the high half: 00170011', 'running at RIP bits 63..32: ffff8000') + bye);
    // MOV from and to CR3 (the kernel forces CR3 exiting), the IOAPIC select write and data read, one REP OUTSB
    expect(r.vm.exitCounts).toEqual({ 'Control-register access': 2, 'EPT violation': 2, HLT: 1, 'I/O instruction': outBytes(r.vm.serial) - outBytes(bye) + 1 });
    expect(r.vm.state).toBe('waiting');
  });

  it('mmio-device: VMM-registered MMIO and port devices see each instruction form; INC on MMIO is a named error', async () => {
    const r = await engineRun('mmio-device');
    expect(r.vm.serial).toBe(lines(
      'scratch after MOV, ADD, OR: 80001234',
      'XCHG old, new:    80001234 5a5a5a5a',
      'counter reads:    00000002 00000003',
      'TEST bit 1:       00000001',
      'buffer:           abababab libvmm!!',
      'IN AX id port:    76624b4d', // AX replaced, the upper half of EAX kept ("vb" of "libv")
      'REP INSW id port: 4b4d4b4d',
      'INC on MMIO',
    ));
    expect(r.console).toContain('vmm: doorbell 0xd00b\n');
    expect(r.console).toContain('vmm: id port <- 0x12345678 (4 bytes)\nvmm: id port <- 0x7 (1 bytes)\n');
    const msg = `unsupported instruction 'inc' on MMIO at RIP 0x${r.sym('at_inc').toString(16)} (mailbox)`;
    expect(r.vm).toMatchObject({ state: 'stopped', error: msg });
    expect(r.vm.exitCounts['EPT violation']).toBe(16);
  });
});

describe('unseen guests through the CLI (run --json, --trace)', { timeout: 60_000 }, () => {
  it.each(GUESTS.filter((g) => g !== 'spin-forever'))('%s: the JSON report matches the engine run, and every exit has a trace line', async (name) => {
    const g = load(name);
    const files = Object.fromEntries(Object.entries(g.files).map(([f, t]) => [`g/${f}`, t]));
    const { io, out, written } = memoryIO(files, { mergeStderr: true });
    expect(await runCommand(['g', '--board', BOARD, '--json', '--trace', 'out.jsonl'], io)).toBe(0);
    const j = JSON.parse(out.join(''));
    const e = await engineRun(name);
    expect(j.vms[0]).toMatchObject({ serial: e.vm.serial, exitCounts: e.vm.exitCounts, state: e.vm.state, error: e.vm.error });
    const records = (written['out.jsonl'] ?? '').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((x) => x.kind === 'vm-exit-record');
    expect(records).toHaveLength(e.vm.exits);
    for (const x of records) expect(x.name).toBe(exitName(x.reason));
    // the last record says why the vCPU stopped, in the same words as the report
    if (e.vm.error) expect(records.at(-1).outcome).toBe(`VCPU stopped: ${e.vm.error}`);
  });

  it('spin-forever: --max-events bounds the run', async () => {
    const g = load('spin-forever');
    const files = Object.fromEntries(Object.entries(g.files).map(([f, t]) => [`g/${f}`, t]));
    const { io, out } = memoryIO(files, { mergeStderr: true });
    expect(await runCommand(['g', '--board', BOARD, '--json', '--max-events', '2000'], io)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ stoppedBecause: 'max-events', vms: [{ serial: 'spinning forever now\n', state: 'running' }] });
  });
});

/** The instruction text the exit log must show for an exit of each reason. */
const INSTRUCTION_FOR: Record<string, RegExp> = {
  CPUID: /^cpuid$/, RDMSR: /^rdmsr$/, WRMSR: /^wrmsr$/, XSETBV: /^xsetbv$/, HLT: /^hlt$/, VMCALL: /^vmcall$/,
  'I/O instruction': /^(rep )?(in|out|ins[bwd]|outs[bwd])\b/, 'Control-register access': /^mov (cr[0-8], [a-z0-9]+|[a-z0-9]+, cr[0-8])$/,
  'EPT violation': /^(mov|movzx|add|or|xchg|test|rep stosb|rep movsb|lodsd|inc) /, 'Triple fault': /\S/, // int3, or an instruction the CPU does not know
};

function service(name: string) {
  const g = load(name);
  const ws = { files: g.files, board: BOARD, main: g.main };
  const s = createSimService();
  const ask = async <T,>(req: Parameters<typeof s.handle>[0]): Promise<T> => (await s.handle(req, ws).result) as T;
  return { ask, sym: g.sym };
}
const regs = (v: VcpuView): string[] => v.registers.map((r) => `${r.name}=${r.value}`);
const ripOf = (v: VcpuView): number => Number(BigInt.asIntN(64, BigInt(v.registers.find((r) => r.name === 'rip')!.value)));

describe('unseen guests through the simulation service (as the app drives them)', { timeout: 120_000 }, () => {
  it.each(GUESTS.filter((g) => g !== 'spin-forever'))('%s: every exit row decodes; a breakpoint per reason stops there; back and forward one instruction agree', async (name) => {
    const { ask } = service(name);
    const all = await ask<SimView>({ kind: 'sim.run', maxEvents: 100_000 });
    expect(all.position.stoppedBecause).toBe('idle');
    const page = await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 10_000 });
    expect(page.total).toBe(all.exitTotal);
    const firstOf = new Map<number, ExitRow>();
    for (const row of page.rows) {
      expect(row.reasonName).toBe(exitName(row.reason));
      expect(row.instruction).toMatch(INSTRUCTION_FOR[row.reasonName]);
      if (row.reasonName === 'I/O instruction') expect(row.decoded).toMatch(/^(in|out) port 0x[0-9a-f]+( \([^)]+\))?, [124] bytes?(, string)?(, rep)?$/);
      if (row.reasonName === 'EPT violation') expect(row.decoded).toMatch(new RegExp(`^(read|write) at 0x${row.gpa.toString(16)}\\b`));
      if (!firstOf.has(row.reason)) firstOf.set(row.reason, row);
    }
    for (const [reason, first] of firstOf) {
      await ask({ kind: 'sim.reset' });
      await ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'vm-exit', reason }] });
      const hit = await ask<SimView>({ kind: 'sim.run', maxEvents: 100_000 });
      expect(hit.position.stoppedBecause).toBe('breakpoint');
      expect(hit.position.hit).toBe(`VM exit ${exitName(reason)} in guest`);
      const row = (await ask<ExitPage>({ kind: 'sim.exits', from: hit.position.hitExit!, count: 1 })).rows[0];
      expect(row).toMatchObject({ index: first.index, reason, rip: first.rip, instruction: first.instruction, decoded: first.decoded });
      const atExit = (await ask<VcpuView>({ kind: 'sim.vcpu' }))!;
      expect(ripOf(atExit)).toBe(first.rip);
      // back over the last retired instruction and forward again: the same guest state, the same exit
      await ask({ kind: 'sim.stepBackInstruction' });
      const back = await ask<SimView>({ kind: 'sim.stepBackInstruction' });
      expect(back.position.guestInstructions).toBe(hit.position.guestInstructions - 1);
      const before = (await ask<VcpuView>({ kind: 'sim.vcpu' }))!;
      expect(ripOf(before)).not.toBe(first.rip);
      const fwd = await ask<SimView>({ kind: 'sim.stepInstruction' });
      expect(fwd.position.guestInstructions).toBe(hit.position.guestInstructions);
      expect(regs((await ask<VcpuView>({ kind: 'sim.vcpu' }))!)).toEqual(regs(atExit));
      // the bytes at the exit's instruction, at the guest-physical address the disassembly translated RIP to
      const gpa = Number(atExit.disassembly.find((d) => d.current)!.gpa);
      const mem = await ask<(number | null)[]>({ kind: 'sim.memory', gpa, length: 2 });
      expect(mem.every((b) => typeof b === 'number')).toBe(true);
    }
  });

  it.each([
    ['msr-roundtrip', { kind: 'vm-exit', reason: 31, msr: 0xc0011029 }, 'rdmsr', /^read MSR 0xc0011029$/],
    ['string-io', { kind: 'vm-exit', reason: 30, port: 0x80 }, 'rep insb byte ptr [rdi], dx', /^in port 0x80, 1 byte, string, rep$/],
    ['unmapped-mmio', { kind: 'vm-exit', reason: 48, gpa: 0xd0000040 }, 'mov dword ptr [rdi+0x40], 0xff00ff', /^write at 0xd0000040$/],
  ] as const)('%s: a VM-exit breakpoint with a condition stops only at the matching exit', async (name, bp, instruction, decoded) => {
    const { ask } = service(name);
    await ask({ kind: 'sim.setBreakpoints', breakpoints: [bp] });
    const v = await ask<SimView>({ kind: 'sim.run', maxEvents: 100_000 });
    expect(v.position.stoppedBecause).toBe('breakpoint');
    const row = (await ask<ExitPage>({ kind: 'sim.exits', from: v.position.hitExit!, count: 1 })).rows[0];
    expect(row.reason).toBe(bp.reason);
    expect(row.instruction).toBe(instruction);
    expect(row.decoded).toMatch(decoded);
    if ('msr' in bp) {
      const cpu = (await ask<VcpuView>({ kind: 'sim.vcpu' }))!;
      expect(BigInt(cpu.registers.find((r) => r.name === 'rcx')!.value) & 0xffffffffn).toBe(BigInt(bp.msr));
    }
  });

  it('a guest-RIP breakpoint stops inside a guest exception handler, where no VM exit happens', async () => {
    const { ask, sym } = service('idt-exceptions');
    const handler = sym('pf_handler');
    await ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'guest-rip', rip: handler }] });
    const v = await ask<SimView>({ kind: 'sim.run', maxEvents: 100_000 });
    expect(v.position.stoppedBecause).toBe('breakpoint');
    expect(v.position.hit).toMatch(new RegExp(`^guest RIP 0x${handler.toString(16)} \\(guest\\.asm:\\d+\\) in guest$`));
    const cpu = (await ask<VcpuView>({ kind: 'sim.vcpu' }))!;
    expect(ripOf(cpu)).toBe(handler);
    expect(v.serial['guest']).toBe('#DE\n#BP\n#UD\n#GP error 00000000\n');
    const after = await ask<SimView>({ kind: 'sim.run', maxEvents: 100_000 });
    expect(after.position.stoppedBecause).toBe('idle');
    expect(after.serial['guest']).toContain('all five handled\n');
  });

  it('high-half: a guest-RIP breakpoint at a kernel-half address (the first such exit\'s, as the log shows it) stops there', async () => {
    const { ask } = service('high-half');
    await ask<SimView>({ kind: 'sim.run', maxEvents: 100_000 });
    const first = (await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 2000 })).rows.find((r) => r.rip < 0)!; // the exact signed view of 0xffff8000_xxxxxxxx
    expect(first).toBeDefined();
    await ask({ kind: 'sim.reset' });
    await ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'guest-rip', rip: first.rip }] });
    const v = await ask<SimView>({ kind: 'sim.run', maxEvents: 100_000 });
    expect(v.position.stoppedBecause).toBe('breakpoint');
    expect(v.position.hit).toMatch(/^guest RIP 0xffff8000[0-9a-f]{8}\b/);
    expect(ripOf((await ask<VcpuView>({ kind: 'sim.vcpu' }))!)).toBe(first.rip);
  });

  it('spin-forever: a bounded run returns, the guest keeps retiring instructions, and stepping still works', async () => {
    const { ask, sym } = service('spin-forever');
    const a = await ask<SimView>({ kind: 'sim.run', maxEvents: 2_000 });
    expect(a.position.stoppedBecause).toBe('max-events');
    const b = await ask<SimView>({ kind: 'sim.run', maxEvents: 500 });
    expect(b.position.guestInstructions).toBeGreaterThan(a.position.guestInstructions);
    const s1 = await ask<SimView>({ kind: 'sim.stepInstruction' });
    const rip1 = ripOf((await ask<VcpuView>({ kind: 'sim.vcpu' }))!);
    expect(rip1).toBeGreaterThanOrEqual(sym('start'));
    const s2 = await ask<SimView>({ kind: 'sim.stepInstruction' });
    expect(s2.position.guestInstructions).toBe(s1.position.guestInstructions + 1);
    expect(ripOf((await ask<VcpuView>({ kind: 'sim.vcpu' }))!)).not.toBe(rip1); // inc rax / jmp alternate
  });
});

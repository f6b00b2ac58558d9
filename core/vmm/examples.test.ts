import { describe, expect, it } from 'vitest';
import { findExample } from '../examples';
import { vmReports } from '../microkit/vcpu';
import { createSimulation } from '../sim';

async function run(id: string, maxEvents = 200_000) {
  const e = findExample(id);
  if (!e) throw new Error(`example ${id} missing`);
  const sim = createSimulation({ files: e.files, system: e.main }, { board: e.board, keepEvents: 0 });
  const stop = await sim.run({ maxEvents });
  const snap = sim.snapshot();
  return { stop, console: snap.console, serial: snap.serial, faults: snap.faults, vms: vmReports(sim.state.kernel) };
}

const MON = 'MON|INFO: Microkit Monitor started!';
const lines = (...l: string[]): string => [...l, ''].join('\n');

describe('VM examples (engine, kernel VMEnter, core/x86 guest, VMM library)', () => {
  it('x86-vm-serial: a 64-bit guest prints through the emulated 16550', async () => {
    const r = await run('x86-vm-serial');
    expect(r.stop).toBe('idle');
    expect(r.console).toBe(lines(MON, 'vmm: starting the guest at 0x1000 in long mode', 'Hello from a 64-bit guest on seL4!'));
    expect(r.vms).toHaveLength(1);
    expect(r.vms[0]).toMatchObject({
      name: 'guest', vmm: 'vmm', serial: 'Hello from a 64-bit guest on seL4!\n', exits: 36, state: 'waiting', error: null,
      exitCounts: { 'I/O instruction': 35, HLT: 1 },
    });
    expect(r.vms[0].lastExits.at(-1)).toMatchObject({ name: 'HLT', outcome: 'VCPU waits for an interrupt' });
  });

  it('x86-vm-cpuid: CPUID and RDMSR answered with libvmm values, #GP(0) for an unknown MSR', async () => {
    const r = await run('x86-vm-cpuid');
    expect(r.vms[0].serial).toBe(lines(
      'vendor:    GenuineIntel', 'CPUID.1:   eax=00050054', 'brand:     Trustworthy Systems CPU',
      'APIC_BASE: fee00900', 'MTRRCAP:   00000508', 'EFER:      00000500', 'MSR 12345: #GP(0)',
    ));
    expect(r.console).toContain('vmm|ERROR: RDMSR of unknown MSR 0x12345, injecting #GP(0)\n');
    expect(r.vms[0].exitCounts).toEqual({ CPUID: 5, RDMSR: 4, 'I/O instruction': 161, HLT: 1 });
  });

  it('x86-vm-timer: own page tables, IOAPIC and LAPIC timer, HLT, 5 injected timer interrupts', async () => {
    const r = await run('x86-vm-timer');
    expect(r.stop).toBe('idle');
    expect(r.console).toBe(lines(
      MON, 'vmm: guest image of 448 bytes at 0x1000, starting in long mode',
      'guest: own page tables on, IOAPIC and LAPIC timer programmed', '.....', 'guest: 5 timer interrupts, done',
    ));
    // the guest's own CR3 load exits because the kernel forces CR3-load exiting
    expect(r.vms[0].exitCounts).toEqual({
      'Control-register access': 1, HLT: 6, 'I/O instruction': 99, 'EPT violation': 15, 'VMX-preemption timer expired': 5,
    });
    expect(r.vms[0].state).toBe('waiting');
  });

  it('x86-vm-triple-fault: the triple fault stops the vCPU with a clear report', async () => {
    const r = await run('x86-vm-triple-fault');
    expect(r.stop).toBe('idle');
    expect(r.console).toBe(lines(
      MON, 'vmm: starting the guest at 0x1000 in long mode', 'guest: loading an empty IDT, then UD2',
      'vmm|ERROR: guest triple fault at RIP 0x101e', 'vmm: vCPU stopped: guest triple fault at RIP 0x101e',
    ));
    expect(r.vms[0]).toMatchObject({ state: 'stopped', error: 'guest triple fault at RIP 0x101e', exitCounts: { 'I/O instruction': 38, 'Triple fault': 1 } });
    expect(r.vms[0].lastExits.at(-1)).toMatchObject({ reason: 2, name: 'Triple fault', rip: 0x101e, outcome: 'VCPU stopped' });
  });

  it('x86-vm-timer-driver: the VMM calls the passive timer driver (PPC), then runs its guest', async () => {
    const r = await run('x86-vm-timer-driver');
    expect(r.stop).toBe('idle');
    const out = r.console.split('\n');
    expect(out.slice(0, 3)).toEqual([MON, 'timer_driver: ready', "MON|INFO: PD 'timer_driver' is now passive!"]);
    expect(out[3]).toMatch(/^VMM: timer driver says (\d+) us, then (\d+) us$/);
    const [, a, b] = /says (\d+) us, then (\d+) us/.exec(out[3])!;
    expect(Number(b)).toBeGreaterThan(Number(a));
    expect(out.slice(4)).toEqual(['VMM: starting the guest', 'linux: hello from the guest; RTC seconds = 00', '']);
    expect(r.vms[0]).toMatchObject({ name: 'linux', vmm: 'VMM', exitCounts: { 'I/O instruction': 48, HLT: 1 } });
  });

  it('x86-vm-basic (the default example): every COM1 byte exits to the VMM, which forwards it to the serial PD', async () => {
    const r = await run('x86-vm-basic');
    expect(r.stop).toBe('idle');
    expect(r.console).toContain('vmm: starting guest at 0x1000 in long mode\nvmm: guest halted\n');
    // the serial PD drives the board's COM1 16550: its bytes are the machine's serial line
    expect(r.serial).toEqual({ COM1: lines('client: hello from a protection domain', 'guest: hello from the VM', 'client: the guest is running') });
    expect(r.vms[0]).toMatchObject({ name: 'guest', exits: 26, exitCounts: { 'I/O instruction': 25, HLT: 1 } });
    expect(r.vms[0].lastExits.at(-1)).toMatchObject({ name: 'HLT', outcome: 'delivered to the VMM' });
  });
});

describe('a guest that never exits', () => {
  it('keeps being re-entered each slice (with a vm-entry event), so a run stops at its event limit', async () => {
    const e = findExample('x86-vm-serial')!;
    const files = { ...e.files, 'guest.asm': 'bits 64\norg 0x1000\nspin: jmp spin\n' };
    const sim = createSimulation({ files, system: e.main }, { board: e.board, keepEvents: 0 });
    expect(await sim.run({ maxEvents: 300 })).toBe('max-events');
    expect(vmReports(sim.state.kernel)[0]).toMatchObject({ exits: 0, state: 'running' });
  });
});

describe('x86-vm-irq', () => {
  it('device notifications pull the VMM out of guest mode; notified() injects them through the IOAPIC', async () => {
    const e = findExample('x86-vm-irq')!;
    const sim = createSimulation({ files: e.files, system: e.main }, { board: e.board });
    expect(await sim.run({ maxEvents: 50_000 })).toBe('idle');
    const vm = vmReports(sim.state.kernel)[0];
    expect(vm.serial).toBe('guest: waiting for device interrupts\n!!!\nguest: got 3 device interrupts\n');
    expect(vm.exitCounts).toEqual({ 'I/O instruction': 72, 'EPT violation': 6, HLT: 1 });
    // the guest was spinning (RunningVM) when each notification came: VMEnter returned "notification"
    const pulled = sim.events.filter((x) => x.kind === 'vm-exit' && (x as { notif?: boolean }).notif === true);
    expect(pulled).toHaveLength(3);
    const notified = sim.events.filter((x) => x.kind === 'entry' && (x as { pd?: string; entry?: string }).pd === 'vmm' && (x as { entry?: string }).entry === 'notified');
    expect(notified).toHaveLength(3);
  });
});

describe('mk.vmm sees guest memory only through the VMM\'s own mappings', () => {
  it('a RAM window beyond what the VMM mapped is refused', async () => {
    const e = findExample('x86-vm-serial')!;
    const vmm = e.files['vmm.js'].replace('const GUEST_RAM_SIZE = 0x200000;', 'const GUEST_RAM_SIZE = 0x400000;');
    const sim = createSimulation({ files: { ...e.files, 'vmm.js': vmm }, system: e.main }, { board: e.board, keepEvents: 0 });
    await sim.run({ maxEvents: 5_000 });
    expect(sim.snapshot().console).toContain("mk.vmm: guest RAM at 0x20200000 is not mapped in 'vmm'");
  });
});

describe('64-bit guest registers through the fault MRs', () => {
  it('an MMIO load into R9 reaches the guest (25 MRs in, 15-register WriteRegisters out)', async () => {
    const e = findExample('x86-vm-serial')!;
    const guest = `bits 64
org 0x1000
    mov r10, 0xfee00000
    mov r9d, [r10 + 0x30]      ; LAPIC version 0x00060010 into R9 (an EPT exit)
    mov r11, r9
    shr r11, 16
    mov eax, r11d
    out 0xe9, al                ; 0x06
    mov eax, r9d
    out 0xe9, al                ; 0x10
    cli
    hlt
`;
    const sim = createSimulation({ files: { ...e.files, 'guest.asm': guest }, system: e.main }, { board: e.board, keepEvents: 0, traceVm: true });
    expect(await sim.run({ maxEvents: 5_000 })).toBe('idle');
    const outs = (vmReports(sim.state.kernel)[0].trace ?? []).filter((r) => r.reason === 30).map((r) => r.outcome);
    expect(outs).toEqual(['out 0xe9 <- 0x6 (no device: dropped)', 'out 0xe9 <- 0x10 (no device: dropped)']);
  });
});

describe('I/O port passthrough in a PD', () => {
  it('ports the VMM enables with vcpu_x86_enable_ioport no longer exit', async () => {
    const e = findExample('x86-vm-serial')!;
    const system = e.files['vm_serial.system'].replace('<virtual_machine', '<ioport id="0" addr="0x80" size="1" />\n        <virtual_machine');
    const vmm = e.files['vmm.js'].replace('mk.vcpu_x86_on();', 'await mk.vcpu_x86_enable_ioport(0, 0, 0x80, 1);\n    mk.vcpu_x86_on();').replace('init(mk) {', 'async init(mk) {');
    const guest = 'bits 64\norg 0x1000\n    out 0x80, al\n    out 0x81, al\n    cli\n    hlt\n';
    const sim = createSimulation({ files: { ...e.files, 'vm_serial.system': system, 'vmm.js': vmm, 'guest.asm': guest }, system: e.main }, { board: e.board, keepEvents: 0 });
    expect(await sim.run({ maxEvents: 5_000 })).toBe('idle');
    expect(vmReports(sim.state.kernel)[0].exitCounts).toEqual({ 'I/O instruction': 1, HLT: 1 });
  });
});

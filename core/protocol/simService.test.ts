import { describe, expect, it } from 'vitest';
import { findExample } from '../examples';
import { createSimulation } from '../sim';
import { exitName, IOAPIC_GPA, COM1_PORT } from '../vmm';
import type { CoreEvent } from './messages';
import type { ExitPage, SimBreakpoint, SimView, TimelineView, VcpuView } from './simMessages';
import { createSimService } from './simService';

function setup(id: string, opts: Parameters<typeof createSimService>[0] = {}) {
  const e = findExample(id)!;
  const ws = { files: e.files, board: e.board, main: e.main };
  const s = createSimService(opts);
  const ask = async <T,>(req: Parameters<typeof s.handle>[0]): Promise<T> => (await s.handle(req, ws).result) as T;
  return { ws, ask, e };
}

/** The same run done by the engine alone: vm-exit reasons counted from its trace events. */
async function headlessExitCounts(id: string): Promise<{ counts: Record<string, number>; total: number }> {
  const e = findExample(id)!;
  const sim = createSimulation({ files: e.files, system: e.main }, { board: e.board, keepEvents: 0 });
  const counts: Record<string, number> = {};
  let total = 0;
  sim.subscribe((ev) => {
    if (ev.kind !== 'vm-exit') return;
    total++;
    const n = exitName(ev.reason & 0xffff);
    counts[n] = (counts[n] ?? 0) + 1;
  });
  await sim.run();
  return { counts, total };
}

describe('simulation service', () => {
  it('runs the IOAPIC guest to the end and counts its exits by reason exactly as the engine traced them', async () => {
    const { ask } = setup('x86-vm-timer');
    const v = await ask<SimView>({ kind: 'sim.run' });
    expect(v.position.stoppedBecause).toBe('idle');
    const expected = await headlessExitCounts('x86-vm-timer');
    expect(v.exitCounts).toEqual(expected.counts);
    expect(v.exitTotal).toBe(expected.total);
    expect(v.serial['guest']).toContain('timer interrupts, done');
    expect(v.output['vmm']).toContain('guest image');
    expect(v.vms).toEqual(['guest']);
  });

  it('shows the board serial line (COM1, driven by the serial PD) as a serial console, in order with PD output', async () => {
    const { ask } = setup('x86-vm-basic');
    const v = await ask<SimView>({ kind: 'sim.run' });
    expect(v.serial['COM1']).toContain('guest: hello from the VM');
    const com1 = v.order.filter((c) => c.who === 'COM1');
    expect(com1.length).toBeGreaterThan(0);
    expect(com1.every((c) => c.vm)).toBe(true);
    expect(v.output['COM1']).toBeUndefined();
  });

  it('stops at the first EPT violation with the IOAPIC address, the decoded instruction and the qualification named', async () => {
    const { ask } = setup('x86-vm-timer');
    await ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'vm-exit', reason: 48 }] satisfies SimBreakpoint[] });
    const v = await ask<SimView>({ kind: 'sim.run' });
    expect(v.position.stoppedBecause).toBe('breakpoint');
    expect(v.position.hit).toBe('VM exit EPT violation in guest');
    const page = await ask<ExitPage>({ kind: 'sim.exits', from: v.position.hitExit!, count: 1 });
    const row = page.rows[0];
    expect(row.reasonName).toBe('EPT violation');
    expect(row.gpa).toBe(IOAPIC_GPA);
    expect(row.decoded).toMatch(/^(read|write) at 0xfec00000 \(IOAPIC\)$/);
    expect(row.instruction).toMatch(/^mov /);
    expect(row.step).toBe(v.position.steps);
    // it was the first one: no earlier EPT violation in the log
    const only = await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 10, reason: 48 });
    expect(only.total).toBe(1);
  });

  it('a port condition only stops at exits for that port, and names it', async () => {
    const { ask } = setup('x86-vm-timer');
    await ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'vm-exit', reason: 30, port: COM1_PORT }] satisfies SimBreakpoint[] });
    const v = await ask<SimView>({ kind: 'sim.run' });
    expect(v.position.stoppedBecause).toBe('breakpoint');
    const row = (await ask<ExitPage>({ kind: 'sim.exits', from: v.position.hitExit!, count: 1 })).rows[0];
    expect(row.decoded).toContain('port 0x3f8 (COM1)');
    expect(v.position.hit).toBe('VM exit I/O instruction in guest');
  });

  it('steps back one event and goes to an earlier exit by replay, with the log rebuilt to that point', async () => {
    const { ask } = setup('x86-vm-timer');
    await ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'vm-exit', reason: 48 }] });
    const atHit = await ask<SimView>({ kind: 'sim.run' });
    const back = await ask<SimView>({ kind: 'sim.stepBack' });
    expect(back.position.steps).toBe(atHit.position.steps - 1);
    expect(back.exitTotal).toBeLessThan(atHit.exitTotal);
    const forward = await ask<SimView>({ kind: 'sim.step' });
    expect(forward.position.steps).toBe(atHit.position.steps);
    expect(forward.exitTotal).toBe(atHit.exitTotal);
    const first = (await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 1 })).rows[0];
    const there = await ask<SimView>({ kind: 'sim.goTo', step: first.step });
    expect(there.position.steps).toBe(first.step);
    const log = await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 100 });
    expect(log.rows.every((r) => r.step <= first.step)).toBe(true);
    expect(log.rows[0].rip).toBe(first.rip);
  });

  it('gives the last rows of the log (what a log following the run shows), with their position', async () => {
    const { ask } = setup('x86-vm-timer');
    const v = await ask<SimView>({ kind: 'sim.run' });
    const all = await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 2000 });
    const last = await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 5, tail: true });
    expect(all.total).toBe(v.exitTotal);
    expect(last.from).toBe(v.exitTotal - 5);
    expect(last.rows.map((r) => r.index)).toEqual(all.rows.slice(-5).map((r) => r.index));
    const ept = await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 1000, reason: 48, tail: true });
    expect(ept.from).toBe(0);
    expect(ept.rows).toHaveLength(ept.total);
  });

  it('a long go-to sends progress pictures with its target, and pause ends it where it is', async () => {
    const e = findExample('x86-vm-timer')!;
    const ws = { files: e.files, board: e.board, main: e.main };
    let t = 0;
    let replaying = false;
    const pictures: SimView[] = [];
    const service = createSimService({
      clock: () => (t += 100), // every turn is "100 ms later": a picture at each chance
      emit: (ev) => {
        if (!replaying || ev.type !== 'sim.progress') return;
        pictures.push(ev.view);
        if (pictures.length === 1) service.handle({ kind: 'sim.pause' }, ws);
      },
    });
    const end = (await service.handle({ kind: 'sim.run' }, ws).result) as SimView;
    const target = end.position.steps - 1;
    replaying = true;
    const there = (await service.handle({ kind: 'sim.goTo', step: target }, ws).result) as SimView;
    expect(pictures).toHaveLength(1);
    expect(pictures.every((p) => p.position.replayingTo === target)).toBe(true);
    // paused at the first picture: short of the target, at a position of its own, no longer replaying
    expect(there.position.steps).toBeLessThan(target);
    expect(there.position.steps).toBeGreaterThan(0);
    expect(there.position.replayingTo).toBeNull();
    expect(there.position.stoppedBecause).toBe('paused');
  });

  it('says what stopped the run with the SDF names: the IRQ with its pin, PD and channel; the entry point', async () => {
    const timer = setup('timer-driver');
    await timer.ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'irq' }] });
    const v = await timer.ask<SimView>({ kind: 'sim.run' });
    expect(v.position.hit).toMatch(/^IRQ \d+ \(IOAPIC pin \d+\) for timer, ch \d+$/);
    const pong = setup('notify-pingpong');
    await pong.ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'entry', pd: 'pong' }] });
    expect((await pong.ask<SimView>({ kind: 'sim.run' })).position.hit).toBe('pong: init');
  });

  it('writes what a CPUID or MSR exit asked for: the leaf, the MSR by name', async () => {
    const { ask } = setup('x86-vm-cpuid');
    await ask<SimView>({ kind: 'sim.run' });
    const cpuid = await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 2000, reason: 10 });
    expect(cpuid.rows.map((r) => r.decoded).slice(0, 2)).toEqual(['leaf 0x0', 'leaf 0x1']);
    expect(cpuid.rows.map((r) => r.decoded)).toContain('leaf 0x80000002');
    const rdmsr = await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 2000, reason: 31 });
    expect(rdmsr.total).toBeGreaterThan(0);
    expect(rdmsr.rows.map((r) => r.decoded)).toContain('read MSR 0xc0000080 (IA32_EFER)');
  });

  it('writes a control-register exit as the move it was', async () => {
    const { ask } = setup('x86-vm-timer');
    await ask<SimView>({ kind: 'sim.run' });
    const cr = await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 10, reason: 28 });
    expect(cr.total).toBe(1);
    expect(cr.rows[0].decoded).toMatch(/^mov (to CR\d from|from CR\d to) r[a-z0-9]+$/);
    expect(cr.rows[0].instruction).toMatch(/^mov /);
  });

  it("a VM's last exit, after which its VMM stopped it, says why", async () => {
    const { ask } = setup('x86-vm-triple-fault');
    const v = await ask<SimView>({ kind: 'sim.run' });
    const last = (await ask<ExitPage>({ kind: 'sim.exits', from: 0, count: 1, tail: true })).rows[0];
    expect(last.index).toBe(v.exitTotal - 1);
    expect(last.reasonName).toBe('Triple fault');
    expect(last.handled).toMatch(/^VM stopped: .*triple fault/i);
  });

  it('runs to the next VM exit, one exit at a time', async () => {
    const { ask } = setup('x86-vm-timer');
    const a = await ask<SimView>({ kind: 'sim.run', untilExit: true });
    const b = await ask<SimView>({ kind: 'sim.run', untilExit: true });
    expect(a.exitTotal).toBe(1);
    expect(b.exitTotal).toBe(2);
    expect(b.position.hit).toMatch(/^next VM exit: .+ in guest$/);
    expect(b.position.hitExit).toBe(1);
  });

  it('shows the VCPU at the breakpoint with RIP at the exiting instruction and marks what changed after a step', async () => {
    const { ask } = setup('x86-vm-timer');
    await ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'vm-exit', reason: 48 }] });
    const v = await ask<SimView>({ kind: 'sim.run' });
    const row = (await ask<ExitPage>({ kind: 'sim.exits', from: v.position.hitExit!, count: 1 })).rows[0];
    const cpu = (await ask<VcpuView>({ kind: 'sim.vcpu' }))!;
    expect(cpu.registers.find((r) => r.name === 'rip')!.value).toBe(`0x${row.rip.toString(16).padStart(16, '0')}`);
    expect(cpu.control.find((r) => r.name === 'cr0')!.bits).toContain('PG');
    expect(cpu.disassembly.find((d) => d.current)!.text).toBe(row.instruction);
    expect(cpu.vmcs.map((g) => g.group)).toContain('Guest-state area');
    for (let i = 0; i < 4; i++) await ask({ kind: 'sim.step' });
    const later = (await ask<VcpuView>({ kind: 'sim.vcpu' }))!;
    expect(later.registers.some((r) => r.changed)).toBe(true);
    expect(later.registers.filter((r) => r.changed).every((r) => cpu.registers.find((c) => c.name === r.name)!.value !== r.value)).toBe(true);
    const mem = await ask<(number | null)[]>({ kind: 'sim.memory', gpa: 0x1000, length: 16 });
    expect(mem.every((b) => b !== null)).toBe(true);
    expect((await ask<(number | null)[]>({ kind: 'sim.memory', gpa: 0x7000_0000, length: 4 })).every((b) => b === null)).toBe(true);
  });

  it('stops ping-pong at a channel breakpoint and the timeline shows both PDs with the notifications as marks', async () => {
    const { ask } = setup('notify-pingpong');
    await ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'channel', pd: 'pong', ch: 0 }] });
    const v = await ask<SimView>({ kind: 'sim.run' });
    expect(v.position.stoppedBecause).toBe('breakpoint');
    expect(v.position.hit).toContain('pong');
    const t = await ask<TimelineView>({ kind: 'sim.timeline' });
    const who = new Set(t.segments.map((s) => s.who));
    expect(who.has('ping')).toBe(true);
    expect(who.has('pong')).toBe(true);
    expect(t.marks.some((m) => m.kind === 'notify')).toBe(true);
    for (const s of t.segments) expect(s.end).toBeGreaterThanOrEqual(s.start);
  });

  it('sends throttled progress while running and answers pause between slices', async () => {
    const events: CoreEvent[] = [];
    let now = 0;
    const e = findExample('x86-vm-serial')!;
    const ws = { files: e.files, board: e.board, main: e.main };
    // the UI asks for a pause while the run is under way: after the third progress picture arrives
    const pauseLater = () => setTimeout(() => s.handle({ kind: 'sim.pause' }, ws));
    const s = createSimService({ emit: (ev) => events.push(ev) === 3 && pauseLater(), clock: () => (now += 10), yieldNow: () => new Promise((r) => setTimeout(r)) });
    const v = await (s.handle({ kind: 'sim.run', maxEvents: 50_000_000 }, ws).result as Promise<SimView>);
    const progress = events.filter((ev) => ev.type === 'sim.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(v.position.stoppedBecause).toBe('paused');
    // throttled: one progress per 50 ms of the (fake) clock at most, and each ahead of the one before
    expect(progress.length).toBeLessThanOrEqual(now / 50 + 1);
    const steps = progress.map((ev) => (ev.type === 'sim.progress' ? ev.view.position.steps : 0));
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it('reports a system that cannot load instead of throwing', async () => {
    const s = createSimService();
    const v = (await s.handle({ kind: 'sim.load' }, { files: { 'a.system': '<system><protection_domain name="x"><program_image path="missing.elf"/></protection_domain></system>' }, board: 'x86_64_generic_vtx', main: 'a.system' }).result) as SimView;
    expect(v.loaded).toBe(false);
    expect(v.error).toBeTruthy();
  });
});

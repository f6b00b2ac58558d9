import { describe, expect, it } from 'vitest';
import { findExample } from '../examples';
import { assemble, decode, isDecodeError } from '../x86';
import type { SimView, VcpuView } from './simMessages';
import { createSimService } from './simService';

function setup(id: string) {
  const e = findExample(id)!;
  const ws = { files: e.files, board: e.board, main: e.main };
  const s = createSimService();
  const ask = async <T,>(req: Parameters<typeof s.handle>[0]): Promise<T> => (await s.handle(req, ws).result) as T;
  return { ask, e };
}

const reg = (v: VcpuView, name: string): string => v.registers.find((r) => r.name === name)!.value;
const ripOf = (v: VcpuView): number => Number(BigInt(reg(v, 'rip')));
/** length of the instruction at RIP, decoded from the bytes the disassembly shows */
function lengthAtRip(v: VcpuView): number {
  const cur = v.disassembly.find((d) => d.current)!;
  const bytes = Uint8Array.from(cur.bytes.split(' ').filter(Boolean).map((b) => parseInt(b, 16)));
  const ins = decode(bytes, 0, 64, ripOf(v), bytes.length);
  if (isDecodeError(ins) || ins.length === 0) throw new Error("undecodable");
  return ins.length;
}

describe('simulation service: guest instructions', () => {
  it('steps one guest instruction forward (RIP moves by its length) and back (RIP and registers as before)', async () => {
    const { ask } = setup('x86-vm-serial');
    await ask<SimView>({ kind: 'sim.load' });
    // into the guest's straight-line code: step until an instruction that neither branches nor exits
    let before: VcpuView | null = null;
    let after: VcpuView | null = null;
    for (let i = 0; i < 400 && !after; i++) {
      const v = await ask<SimView>({ kind: 'sim.stepInstruction' });
      expect(v.position.stoppedBecause).toBe('paused');
      const here = (await ask<VcpuView | null>({ kind: 'sim.vcpu' }))!;
      if (!here || v.position.guestInstructions < 20) continue;
      if (before && ripOf(here) === ripOf(before) + lengthAtRip(before)) after = here;
      else before = here;
    }
    expect(after).not.toBeNull();
    expect(after!.registers.find((r) => r.name === 'rip')!.changed).toBe(true);
    const back = await ask<SimView>({ kind: 'sim.stepBackInstruction' });
    const v = (await ask<VcpuView>({ kind: 'sim.vcpu' }))!;
    expect(ripOf(v)).toBe(ripOf(before!));
    expect(v.registers.map((r) => r.value)).toEqual(before!.registers.map((r) => r.value));
    const fwd = await ask<SimView>({ kind: 'sim.stepInstruction' });
    expect(fwd.position.guestInstructions).toBe(back.position.guestInstructions + 1);
    expect(ripOf((await ask<VcpuView>({ kind: 'sim.vcpu' }))!)).toBe(ripOf(after!));
  });

  it('a guest-RIP breakpoint stops before the instruction at that address, between exits', async () => {
    const { ask } = setup('x86-vm-serial');
    await ask<SimView>({ kind: 'sim.load' });
    for (let i = 0; i < 60; i++) await ask<SimView>({ kind: 'sim.stepInstruction' });
    const target = ripOf((await ask<VcpuView>({ kind: 'sim.vcpu' }))!);
    await ask({ kind: 'sim.reset' });
    await ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'guest-rip', rip: target }] });
    const v = await ask<SimView>({ kind: 'sim.run' });
    expect(v.position.stoppedBecause).toBe('breakpoint');
    expect(v.position.hit).toMatch(new RegExp(`^guest RIP 0x${target.toString(16)} \\(guest\\.asm:\\d+\\) in guest$`));
    expect(ripOf((await ask<VcpuView>({ kind: 'sim.vcpu' }))!)).toBe(target);
    // continuing leaves the breakpoint (the next stop, if any, is later in the guest)
    const next = await ask<SimView>({ kind: 'sim.run' });
    expect(next.position.guestInstructions).toBeGreaterThan(v.position.guestInstructions);
  });

  it('a breakpoint on a guest assembly line stops at that line\'s address, and the view names the current line', async () => {
    const { ask, e } = setup('x86-vm-serial');
    const src = e.files['guest.asm'];
    const line = src.split('\n').findIndex((l) => /^\s*out dx, al/.test(l)) + 1;
    expect(line).toBeGreaterThan(0);
    const asm = assemble(src);
    const address = asm.lineMap.find((m) => m.line === line && m.length > 0)!.address;
    await ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'guest-line', file: 'guest.asm', line }] });
    const v = await ask<SimView>({ kind: 'sim.run' });
    expect(v.position.stoppedBecause).toBe('breakpoint');
    expect(v.position.hit).toBe(`guest RIP 0x${address.toString(16)} (guest.asm:${line}) in guest`);
    expect(v.guestLine).toEqual({ file: 'guest.asm', line });
    expect(ripOf((await ask<VcpuView>({ kind: 'sim.vcpu' }))!)).toBe(address);
    // one instruction on: the OUT exits, the VMM emulates it, the current line moves on
    const next = await ask<SimView>({ kind: 'sim.stepInstruction' });
    expect(next.guestLine?.line).not.toBe(line);
    // a line without code sets nothing
    await ask({ kind: 'sim.setBreakpoints', breakpoints: [{ kind: 'guest-line', file: 'guest.asm', line: 1 }] });
    expect((await ask<SimView>({ kind: 'sim.run' })).position.stoppedBecause).toBe('idle');
  });
});

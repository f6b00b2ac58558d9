import { describe, expect, it } from 'vitest';
import { assemble } from '../asm';
import { FlatMachine } from '../machine/flat';
import { guestPageWalk } from './pagewalk';
import { restoreCpu, snapshotCpu } from './snapshot';
import { decodeBits, disassembleAt } from './views';

function machine(src: string) {
  const r = assemble(`bits 64\norg 0x100000\n${src}\n`, { bits: 64 });
  const m = new FlatMachine({ mode: 64, origin: r.origin });
  m.load(r.bytes);
  return m;
}

describe('CPU tools', () => {
  it('single-steps one instruction at a time', () => {
    const m = machine('mov eax, 1\nadd eax, 2\nhlt');
    m.cpu.step();
    expect(m.cpu.r[0]).toBe(1);
    expect(m.cpu.icount).toBe(1);
    m.cpu.step();
    expect(m.cpu.r[0]).toBe(3);
  });

  it('snapshot and restore give the same continuation (step back by replay)', () => {
    const m = machine('mov ecx, 10\nl: add eax, ecx\nloop l\nhlt');
    m.cpu.run(5);
    const snap = snapshotCpu(m.cpu);
    const ram = m.ram.slice();
    m.cpu.run(1000);
    const final = m.cpu.r[0];
    restoreCpu(m.cpu, snap);
    m.ram.set(ram);
    expect(m.cpu.icount).toBe(5);
    m.cpu.run(1000);
    expect(m.cpu.r[0]).toBe(final);
    expect(final).toBe(55);
  });

  it('stops at breakpoints before executing the instruction', () => {
    const m = machine('nop\nnop\nmov eax, 7\nhlt');
    m.cpu.breakpoints.add(0x100002);
    expect(m.run(100)).toBe('breakpoint');
    expect(m.cpu.rip).toBe(0x100002);
    expect(m.cpu.r[0]).toBe(0);
  });

  it('continues past the breakpoint it stopped at, once', () => {
    const m = machine('l: nop\njmp l');
    m.cpu.breakpoints.add(0x100000);
    expect(m.cpu.run(100)).toBe('breakpoint');
    expect(m.cpu.icount).toBe(0);
    expect(m.cpu.run(100)).toBe('breakpoint'); // nop, jmp, and back at the breakpoint
    expect(m.cpu.icount).toBe(2);
  });

  it('stops at a breakpoint that a new run merely starts at (a run split into chunks)', () => {
    const m = machine('nop\nnop\nmov eax, 7\nhlt');
    m.cpu.breakpoints.add(0x100002);
    expect(m.cpu.run(2)).toBe('budget');
    // the previous chunk ended right before the breakpoint: the next chunk must not run over it
    expect(m.cpu.run(100)).toBe('breakpoint');
    expect(m.cpu.rip).toBe(0x100002);
    expect(m.cpu.r[0]).toBe(0);
  });

  it('disassembles around RIP and marks the current line', () => {
    const m = machine('mov eax, 1\nret');
    const lines = disassembleAt(m.cpu, 2);
    expect(lines.map((l) => l.text)).toEqual(['mov eax, 0x1', 'ret']);
    expect(lines[0].current).toBe(true);
  });

  it('names register bits', () => {
    expect(decodeBits('cr0', 0x80000011)).toEqual(['PE', 'ET', 'PG']);
    expect(decodeBits('rflags', 0x246)).toEqual(['PF', 'ZF', 'IF', 'IOPL=0']);
  });

  it('walks guest page tables without side effects (4 KiB, 2 MiB, 1 GiB)', () => {
    const mem = new DataView(new ArrayBuffer(0x20000));
    const put = (a: number, v: number) => mem.setUint32(a, v, true);
    put(0x1000, 0x2003); // PML4[0] -> PDPT
    put(0x2000, 0x3003); // PDPT[0] -> PD
    put(0x2008, 0x40000083); // PDPT[1]: 1 GiB page at 1 GiB
    put(0x3000, 0x4003); // PD[0] -> PT
    put(0x3008, 0x600083); // PD[1]: 2 MiB page at 6 MiB
    put(0x4008, 0x9001); // PT[1]: 4 KiB page at 0x9000, read-only
    const read64 = (g: number): [number, number] => [mem.getInt32(g, true), mem.getInt32(g + 4, true)];
    const regs = { cr0: 0x80000001, cr3: 0x1000, cr4: 0x20, efer: 0x500 };
    expect(guestPageWalk(read64, regs, 0x1234)).toMatchObject({ gpa: 0x9234, pageSize: 4096, writable: false });
    expect(guestPageWalk(read64, regs, 0x200010)).toMatchObject({ gpa: 0x600010, pageSize: 2 << 20 });
    expect(guestPageWalk(read64, regs, 0x40000020)).toMatchObject({ gpa: 0x40000020, pageSize: 1 << 30 });
    expect(guestPageWalk(read64, regs, 0x3000).gpa).toBe(-1);
  });
});

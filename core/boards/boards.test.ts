import { describe, expect, it } from 'vitest';
import { BOARDS, DEFAULT_BOARD, boardKernel, findBoard } from './index';

describe('boards', () => {
  it('has one board per architecture, x86_64_generic_vtx by default', () => {
    expect(BOARDS.map((b) => b.kernel.arch).sort()).toEqual(['aarch64', 'riscv64', 'x86_64']);
    expect(findBoard(DEFAULT_BOARD)?.kernel.arch).toBe('x86_64');
  });
  it('keeps RAM, devices and the kernel image inside the physical address space', () => {
    for (const b of BOARDS) {
      const top = 1n << BigInt(b.kernel.physAddrBits);
      for (const r of [...b.ram, ...b.devices, b.kernelImage]) {
        expect(r.start < r.end, `${b.name} ${r.name}`).toBe(true);
        expect(r.end <= top, `${b.name} ${r.name}`).toBe(true);
      }
    }
  });
  it('gives the SMP variant more cores and a single domain', () => {
    const arm = findBoard('qemu_virt_aarch64')!;
    expect(boardKernel(arm, { smp: true })).toMatchObject({ cores: 4, numDomains: 1 });
    expect(boardKernel(arm)).toBe(arm.kernel);
    expect(() => boardKernel(findBoard('x86_64_generic_vtx')!, { smp: true })).toThrow();
  });
});

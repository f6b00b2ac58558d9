/** VM exits: (a) round trips per second for a guest `out` loop whose every OUT exits to the VMM library (serial port
 * handler, RIP advance, re-entry), (b) guest MIPS between exits for a compute loop that exits once per million
 * instructions. Both on the direct runner (core/vmm DirectVm: core/x86 VMX non-root + the VMM library). */
import { longModeGuest } from '../core/vmm/testing';
import type { BenchRow } from './run';

const EXITS = 300_000;
const COMPUTE_ITERATIONS = 5_000_000; // dec/jnz pairs between two exits

function outLoop(): () => number {
  const vm = longModeGuest(`bits 64
org 0x1000
    mov dx, 0x3ff     ; COM1 scratch register: handled by the serial model, no output
l:  out dx, al
    inc al
    jmp l
`);
  return () => {
    const before = vm.vmm.exits;
    vm.run({ maxExits: EXITS });
    return vm.vmm.exits - before;
  };
}

function computeLoop(): () => number {
  const vm = longModeGuest(`bits 64
org 0x1000
    mov dx, 0x80
o:  mov ecx, ${COMPUTE_ITERATIONS}
l:  add rax, rcx
    xor rbx, rax
    dec ecx
    jnz l
    out dx, al
    jmp o
`);
  return () => {
    const before = vm.instructions;
    vm.run({ maxExits: 4 });
    return vm.instructions - before;
  };
}

function rate(fn: () => number, runs = 5): number {
  fn();
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const n = fn();
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}

export default async (): Promise<BenchRow[]> => {
  const exitsPerSec = rate(outLoop());
  const ips = rate(computeLoop(), 3);
  return [
    { name: 'VM-exit round trips (guest OUT loop, VMM serial handler)', value: Math.round(exitsPerSec), unit: 'exits/s', target: '>= 1,000,000' },
    { name: 'guest MIPS between exits (64-bit add/xor/dec/jnz loop)', value: Math.round(ips / 1e5) / 10, unit: 'MIPS' },
  ];
};

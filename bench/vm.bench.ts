/** VM exits: (a) round trips per second for a guest `out` loop whose every OUT exits to the VMM library (serial port
 * handler, RIP advance, re-entry), (b) guest MIPS between exits for a compute loop that exits once per million
 * instructions. Both on the direct runner (core/vmm DirectVm: core/x86 VMX non-root + the VMM library). (c) the same
 * OUT loop through the whole simulated system: seL4_VMEnter on the kernel's VCPU, the exit delivered as a fault
 * message to the VMM PD's JavaScript `fault` entry point, libvmm-style handling, reply and re-entry. */
import { createSimulation } from '../core/sim';
import { vmReports } from '../core/microkit';
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

const SYSTEM_EXITS = 20_000;

/** (c): a one-VM Microkit system whose guest loops on OUT to the COM1 scratch register */
function systemOutLoop(): () => Promise<number> {
  const files: Record<string, string> = {
    'bench.system': `<?xml version="1.0" encoding="UTF-8"?>
<system>
    <memory_region name="guest_ram" size="0x200_000" page_size="0x200_000" />
    <protection_domain name="vmm" priority="150">
        <program_image path="vmm.elf" />
        <map mr="guest_ram" vaddr="0x20_000_000" perms="rw" setvar_vaddr="guest_ram_vaddr" />
        <virtual_machine name="guest">
            <vcpu id="0" />
            <map mr="guest_ram" vaddr="0x0" perms="rwx" />
        </virtual_machine>
    </protection_domain>
</system>
`,
    'vmm.js': `export const setvars = { guest_ram_vaddr: 0 };
let vm;
let exits = 0;
export default {
  init(mk) {
    vm = mk.vmm.create({ ram: [{ gpa: 0, size: 0x200000, vaddr: setvars.guest_ram_vaddr }] });
    vm.startLongMode({ rip: vm.loadImage('guest.asm').origin });
    mk.vcpu_x86_on();
  },
  async fault(mk) {
    // stop the vCPU after the measured number of exits
    return ++exits < ${SYSTEM_EXITS} ? await vm.handleFault() : false;
  },
};
`,
    'guest.asm': `bits 64
org 0x1000
    mov dx, 0x3ff
l:  out dx, al
    inc al
    jmp l
`,
  };
  return async () => {
    const sim = createSimulation({ files, system: 'bench.system' }, { keepEvents: 0, maxEvents: 10_000_000 });
    await sim.run({ maxEvents: 10_000_000 });
    return vmReports(sim.state.kernel)[0]?.exits ?? 0;
  };
}

async function rateAsync(fn: () => Promise<number>, runs = 3): Promise<number> {
  await fn();
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const n = await fn();
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
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
  const systemExitsPerSec = await rateAsync(systemOutLoop());
  return [
    { name: 'VM-exit round trips (guest OUT loop, VMM serial handler)', value: Math.round(exitsPerSec), unit: 'exits/s', target: '>= 1,000,000' },
    { name: 'guest MIPS between exits (64-bit add/xor/dec/jnz loop)', value: Math.round(ips / 1e5) / 10, unit: 'MIPS' },
    {
      name: 'VM-exit round trips through the whole system (kernel VMEnter, PD fault handler)',
      value: Math.round(systemExitsPerSec),
      unit: 'exits/s',
      note: `${SYSTEM_EXITS} exits per run, including boot`,
    },
  ];
};

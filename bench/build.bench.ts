/** Build time (SDF system → objects → boot → initialiser → description) for the maximal system of the SDF
 * bench and for a VM with 1 GiB of guest RAM mapped with 2 MiB pages. */
import type { BenchRow } from './run';
import { medianMs } from './util';
import { findBoard } from '../core/boards';
import { checkSdf } from '../core/sdf';
import { maximalSystem } from '../core/sdf/maximal';
import { buildSystem } from '../core/build';

const GUEST_1G = `<?xml version="1.0" encoding="UTF-8"?>
<system>
  <memory_region name="guest_ram" size="0x4000_0000" page_size="0x200_000" />
  <memory_region name="uart" size="0x1000" phys_addr="0xfed00000" />
  <protection_domain name="vmm" priority="100">
    <program_image path="vmm.elf" />
    <map mr="guest_ram" vaddr="0x4000_0000" perms="rw" />
    <map mr="uart" vaddr="0x3000_0000" perms="rw" cached="false" />
    <virtual_machine name="guest">
      <vcpu id="0" />
      <map mr="guest_ram" vaddr="0x0" perms="rwx" />
    </virtual_machine>
    <ioport id="0" addr="0x3f8" size="8" />
    <irq pin="4" vector="36" id="1" ioapic="0" trigger="edge" />
  </protection_domain>
</system>
`;

export default async (): Promise<BenchRow[]> => {
  const board = findBoard('x86_64_generic_vtx')!;
  const rows: BenchRow[] = [];
  for (const [name, text] of [['maximal system', maximalSystem()], ['VM with 1 GiB guest RAM (2 MiB pages)', GUEST_1G]] as const) {
    const checked = checkSdf(text, { fileName: 'bench.system', kernel: board.kernel });
    if (!checked.system) throw new Error(`${name} rejected: ${checked.diagnostics[0]?.toolMessage}`);
    const system = checked.system;
    const once = buildSystem(system, { board });
    if (!once.ok) throw new Error(`${name} did not build: ${once.diagnostics[0]?.toolMessage}`);
    const s = once.description!.summary;
    rows.push({
      name: `buildSystem ${name}`,
      value: medianMs(() => buildSystem(system, { board }), 7, 2),
      unit: 'ms',
      target: '< 200 ms',
      note: `${s.objects} objects, ${s.invocations} invocations`,
    });
  }
  return rows;
};

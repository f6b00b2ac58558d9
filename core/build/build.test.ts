/** Behaviour of the build beyond the example systems: object naming and counts, the allocation order,
 * build-stage errors tied to SDF elements, boot modes, free-memory questions and the kernel state. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBoard } from '../boards';
import { ThreadState, type TcbObj, type NotificationObj } from '../kernel';
import { buildSystem, canAllocate, largestFreeBlock } from './build';
import { planAllocation } from './allocationPlan';
import { newObject } from './spec';
import { checkInvariants } from './invariants.testkit';
import { buildText, parseFor } from './testing';
import { maximalSystem } from '../sdf/maximal';

const HELLO = `<?xml version="1.0" encoding="UTF-8"?>
<system>
  <protection_domain name="hello">
    <program_image path="hello.elf" />
  </protection_domain>
</system>
`;

const PAIR = `<?xml version="1.0" encoding="UTF-8"?>
<system>
  <memory_region name="shared" size="0x3000" />
  <memory_region name="dev" size="0x1000" phys_addr="0xfed00000" />
  <protection_domain name="client" priority="10">
    <program_image path="client.elf" />
    <map mr="shared" vaddr="0x4000000" perms="rw" setvar_vaddr="shared_vaddr" />
  </protection_domain>
  <protection_domain name="server" priority="20" passive="true">
    <program_image path="server.elf" />
    <map mr="shared" vaddr="0x5000000" perms="r" />
    <map mr="dev" vaddr="0x6000000" perms="rw" cached="false" />
    <irq pin="4" vector="36" id="3" ioapic="0" trigger="edge" />
    <ioport id="2" addr="0x3f8" size="8" />
  </protection_domain>
  <channel>
    <end pd="client" id="1" pp="true" />
    <end pd="server" id="5" />
  </channel>
</system>
`;

const names = (r: ReturnType<typeof buildText>): string[] => r.description!.objects.map((o) => o.name);

describe('the capDL spec', () => {
  it('names and counts the objects of a one-PD system as the tool does', () => {
    const r = buildText(HELLO, 'x86_64_generic_vtx');
    expect(r.ok).toBe(true);
    const n = names(r);
    for (const want of [
      'tcb_hello', 'tcb_monitor', 'sched_context_hello', 'sched_context_monitor', 'cnode_hello', 'cnode_hello_root', 'cnode_monitor',
      'ep_fault_monitor', 'reply_hello', 'reply_monitor', 'ntfn_hello', 'frame_ipcbuf_hello', 'frame_ipcbuf_monitor', 'frame_monitor_stack',
      'frame_hello_stack_000000000', 'frame_hello_stack_000000001', 'frame_elf_hello_000000000', 'pml4_hello', 'pml4_monitor',
      'pdpt_hello_vaddr_0x0', 'pd_hello_vaddr_0x200000', 'pt_hello_vaddr_0x200000',
    ]) expect(n, want).toContain(want);
    expect(n).not.toContain('ep_hello'); // no children, no VM, no PPC callers
    expect(r.description!.summary.objectsByType).toMatchObject({ TCB: 2, SchedContext: 2, CNode: 3, Endpoint: 1, Reply: 2, Notification: 1 });
  });

  it('uses the architecture\'s paging geometry: an 8 KiB level-1 root on the AArch64 hypervisor board, three levels on RISC-V', () => {
    const a = buildText(HELLO, 'qemu_virt_aarch64');
    const tables = a.description!.objects.filter((o) => o.type === 'PageTable');
    expect(tables.map((o) => o.name).sort()).toEqual([
      'pd_hello_vaddr_0x200000', 'pd_hello_vaddr_0xffffe00000', 'pd_monitor_vaddr_0x200000', 'pd_monitor_vaddr_0xffffe00000',
      'pt_hello_vaddr_0x200000', 'pt_hello_vaddr_0xfffffff000', 'pt_monitor_vaddr_0x200000', 'pt_monitor_vaddr_0xffffffd000',
      'pud_hello', 'pud_monitor',
    ]);
    expect(tables.find((o) => o.name === 'pud_hello')!.sizeBits).toBe(13);
    const r = buildText(HELLO, 'qemu_virt_riscv64');
    expect(r.description!.objects.filter((o) => o.type === 'PageTable' && o.name.includes('hello')).map((o) => o.name.split('_')[0]).sort()).toEqual(['pgd', 'pmd', 'pmd', 'pte', 'pte']);
    // the runtime walks an x86 shadow of the same mappings
    const hello = a.description!.addressSpaces.find((s) => s.name === 'hello')!;
    expect(hello.mappings.map((m) => m.what)).toEqual(['elf', 'elf', 'elf', 'stack', 'stack', 'ipc_buffer']);
  });

  it('sorts objects: fixed addresses first, then by size descending, then by name', () => {
    const r = buildText(PAIR, 'x86_64_generic_vtx');
    const objs = r.description!.objects;
    expect(objs[0].name).toBe('frame_mr_dev_000000000');
    const rest = r.spec!.objects.slice(1).filter((o) => o.sizeBits > 0);
    for (let i = 1; i < rest.length; i++) {
      const a = rest[i - 1];
      const b = rest[i];
      expect(a.sizeBits > b.sizeBits || (a.sizeBits === b.sizeBits && a.name < b.name), `${a.name} before ${b.name}`).toBe(true);
    }
    expect(objs.map((o) => o.id)).toEqual(objs.map((_, i) => i));
  });

  it('gives SCs badge 0x100 + PD index and endpoint badges per D.3', () => {
    const r = buildText(PAIR, 'x86_64_generic_vtx');
    expect(r.spec!.pds.map((p) => p.sc.sc!.badge)).toEqual([0x100n, 0x101n]);
    const client = r.description!.pds[0].caps;
    expect(client.find((c) => c.slot === 74 + 1)).toMatchObject({ capType: 'Endpoint', objectName: 'ep_server', badge: '0x8000000000000005' });
    expect(client.find((c) => c.slot === 10 + 1)).toMatchObject({ capType: 'Notification', objectName: 'ntfn_server', badge: '0x20' });
    const server = r.description!.pds[1].caps;
    expect(server.find((c) => c.slot === 5)).toMatchObject({ objectName: 'ep_fault_monitor', badge: '0x2' });
    expect(server.find((c) => c.slot === 138 + 3)?.capType).toBe('IRQHandler');
    expect(server.find((c) => c.slot === 394 + 2)).toMatchObject({ capType: 'IOPort', objectName: 'ioports_0x3f8_server' });
  });

  it('computes setvar values', () => {
    const r = buildText(PAIR, 'x86_64_generic_vtx');
    expect(r.setvars).toContainEqual({ pd: 'client', symbol: 'shared_vaddr', value: 0x4000000n });
  });

  it('chooses an address in RAM for a region whose address a PD asks for on AArch64, and patches it', () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<system>
  <memory_region name="buf" size="0x2000" />
  <protection_domain name="p">
    <program_image path="p.elf" />
    <map mr="buf" vaddr="0x4000000" perms="rw" />
    <setvar symbol="buf_paddr" region_paddr="buf" />
  </protection_domain>
</system>
`;
    const r = buildText(text, 'qemu_virt_aarch64');
    expect(r.ok).toBe(true);
    const f0 = r.description!.objects.find((o) => o.name === 'frame_mr_buf_000000000')!;
    const f1 = r.description!.objects.find((o) => o.name === 'frame_mr_buf_000000001')!;
    expect(r.setvars).toContainEqual({ pd: 'p', symbol: 'buf_paddr', value: BigInt(f0.paddr!) });
    expect(BigInt(f1.paddr!) - BigInt(f0.paddr!)).toBe(0x1000n);
    expect(r.spec!.objects.find((o) => o.name === f0.name)!.paddr).toBe(BigInt(f0.paddr!)); // fixed before the replay
    expect(BigInt(f0.paddr!) >= 0x4000_0000n && BigInt(f0.paddr!) < 0xc000_0000n).toBe(true);
  });

  it('maps shared frames read-only where the map says so, and devices uncached at their address', () => {
    const r = buildText(PAIR, 'x86_64_generic_vtx');
    const server = r.description!.addressSpaces.find((a) => a.name === 'server')!;
    const shared = server.mappings.filter((m) => m.mr === 'shared');
    expect(shared.map((m) => m.rights)).toEqual(['R', 'R', 'R']);
    const client = r.description!.addressSpaces.find((a) => a.name === 'client')!;
    expect(client.mappings.filter((m) => m.mr === 'shared').map((m) => m.paddr)).toEqual(shared.map((m) => m.paddr));
    expect(server.mappings.find((m) => m.mr === 'dev')).toMatchObject({ paddr: '0xfed00000', cached: false });
  });
});

describe('the allocation order (D.8)', () => {
  const ut = (index: number, paddr: bigint, sizeBits: number, isDevice = false) => ({ index, paddr, sizeBits, isDevice });
  it('places the largest object that fits the alignment first and fills gaps before a fixed address', () => {
    const fixed = newObject('frame', 'frame_mr_x_000000000', 12, null);
    fixed.paddr = 0x1_3000n;
    const big = newObject('cnode', 'cnode_a', 14, null);
    const small = newObject('frame', 'frame_b', 12, null);
    const tiny = newObject('endpoint', 'ep_c', 4, null);
    const plan = planAllocation([fixed, big, small, tiny], [ut(0, 0x1_0000n, 16)]);
    // 0x10000: 16 KiB CNode fits (aligned), 0x14000 would overshoot the fixed frame at 0x13000
    expect(plan.paddrOf.get(small)).toBe(0x1_0000n);
    expect(plan.paddrOf.get(tiny)).toBe(0x1_1000n);
    expect(plan.paddrOf.get(fixed)).toBe(0x1_3000n);
    expect(plan.paddrOf.get(big)).toBe(0x1_4000n);
    expect(plan.ops.some((o) => o.obj === null)).toBe(true); // padding moved the watermark to 0x13000
  });
  it('serves only fixed-address objects from device untypeds', () => {
    const fixed = newObject('frame', 'frame_mr_dev_000000000', 12, null);
    fixed.paddr = 0x2000n;
    const other = newObject('frame', 'frame_x', 12, null);
    const plan = planAllocation([fixed, other], [ut(0, 0n, 16, true), ut(1, 0x10_0000n, 12)]);
    expect(plan.paddrOf.get(fixed)).toBe(0x2000n);
    expect(plan.paddrOf.get(other)).toBe(0x10_0000n);
    expect(plan.shortfall).toEqual([]);
  });
  it('reports the shortfall per size', () => {
    const objs = [newObject('frame', 'a', 12, null), newObject('frame', 'b', 12, null), newObject('frame', 'c', 12, null)];
    const plan = planAllocation(objs, [ut(0, 0x1000n, 13)]);
    expect(plan.shortfall).toEqual([{ sizeBits: 12, count: 1, first: objs[2] }]);
  });
});

describe('build errors', () => {
  it('rejects a fixed phys_addr the kernel keeps for itself, at the memory region', () => {
    const text = HELLO.replace('<protection_domain', '<memory_region name="bad" size="0x1000" phys_addr="0x100000" />\n  <protection_domain').replace('<program_image path="hello.elf" />', '<program_image path="hello.elf" />\n    <map mr="bad" vaddr="0x4000000" perms="rw" />');
    const r = buildText(text, 'x86_64_generic_vtx');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'D.paddr-invalid', line: 3, column: 3 });
    expect(r.diagnostics[0].toolMessage).toBe("ERROR: object 'frame_mr_bad_000000000', with paddr 0x000000100000..0x000000101000 is not in any valid memory region.");
  });
  it('rejects a phys_addr beyond the board\'s physical address space and warns about one in no known device', () => {
    const withMr = (paddr: string) => HELLO.replace('<protection_domain', `<memory_region name="dev" size="0x1000" phys_addr="${paddr}" />\n  <protection_domain`).replace('<program_image path="hello.elf" />', '<program_image path="hello.elf" />\n    <map mr="dev" vaddr="0x4000000" perms="rw" cached="false" />');
    const { system, board } = parseFor(withMr('0x3f00_0000'), 'qemu_virt_aarch64');
    system.memoryRegions[0].physAddr = 1n << 40n; // bypass the SDF's own check
    const far = buildSystem(system, { board });
    expect(far.ok).toBe(false);
    expect(far.diagnostics[0]).toMatchObject({ code: 'D.paddr-range', line: 3, severity: 'error' });
    expect(far.diagnostics[0].message).toContain('40-bit physical address space');
    const hole = buildText(withMr('0x3f00_0000'), 'qemu_virt_aarch64');
    expect(hole.ok).toBe(true);
    expect(hole.diagnostics).toMatchObject([{ code: 'D.paddr-unknown', severity: 'warning', line: 3 }]);
  });
  it('runs out of memory with the tool\'s message, tied to the region that does not fit', () => {
    const text = HELLO.replace('<protection_domain', '<memory_region name="huge" size="0xC000_0000" page_size="0x200000" />\n  <protection_domain').replace('<program_image path="hello.elf" />', '<program_image path="hello.elf" />\n    <map mr="huge" vaddr="0x4000000" perms="rw" />');
    const r = buildText(text, 'qemu_virt_aarch64');
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.code === 'D.out-of-memory')!;
    expect(d.toolMessage).toMatch(/^ERROR: ran out of untypeds for allocating objects of size 2 MiB, still need to create \d+ objects which requires [\d.,]+ (MiB|GiB) of additional memory\.$/);
    expect(d.line).toBe(3);
  });
  it('rejects two regions at the same physical address', () => {
    const text = PAIR.replace('<memory_region name="dev" size="0x1000" phys_addr="0xfed00000" />', '<memory_region name="dev" size="0x1000" phys_addr="0xfed00000" />\n  <memory_region name="dev2" size="0x1000" phys_addr="0xfed01000" />').replace('<map mr="dev" vaddr="0x6000000" perms="rw" cached="false" />', '<map mr="dev" vaddr="0x6000000" perms="rw" cached="false" />\n    <map mr="dev2" vaddr="0x6001000" perms="rw" cached="false" />');
    const { system, board } = parseFor(text, 'x86_64_generic_vtx');
    system.memoryRegions.find((m) => m.name === 'dev2')!.physAddr = 0xfed00000n; // bypass the SDF's own check
    const r = buildSystem(system, { board });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0].code).toBe('D.paddr-overlap');
    expect([4, 5]).toContain(r.diagnostics[0].line);
    expect(r.diagnostics[0].message).toMatch(/memory regions '(dev|dev2)' and '(dev|dev2)' share physical memory/);
  });
  it('rejects a map over the program image', () => {
    const text = PAIR.replace('vaddr="0x4000000" perms="rw" setvar_vaddr', 'vaddr="0x200000" perms="rw" setvar_vaddr');
    const r = buildText(text, 'x86_64_generic_vtx');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0].toolMessage).toBe("ERROR: mapping MR 'shared' to PD 'client' with vaddr [0x200000..0x203000) will overlap with an ELF segment at [0x200000..0x202000)");
    expect(r.diagnostics[0].line).toBe(7);
  });
  it('reports a kernel refusal during initialisation at the element that asked for it', () => {
    const text = PAIR.replace('<irq pin="4" vector="36"', '<irq pin="30" vector="36"');
    const r = buildText(text, 'x86_64_generic_vtx');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'D.init', line: 13, column: 5 });
    expect(r.diagnostics[0].toolMessage).toBe("Error: capDL initialiser: X86IRQIssueIRQHandlerIOAPIC failed: seL4_RangeError for 'irq_36_server'");
  });
  it('rejects a 2 MiB page where 4 KiB pages already need a page table', () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<system>
  <memory_region name="small" size="0x1000" />
  <memory_region name="large" size="0x200000" page_size="0x200000" />
  <protection_domain name="p">
    <program_image path="p.elf" />
    <map mr="small" vaddr="0x40000000" perms="rw" />
    <map mr="large" vaddr="0x40200000" perms="rw" />
  </protection_domain>
</system>
`;
    expect(buildText(text, 'x86_64_generic_vtx').ok).toBe(true);
  });
});

describe('boot modes', () => {
  it('legacy boot puts PD images in a device range right after the initial task; current boot embeds them in the initial task', () => {
    const cur = buildText(PAIR, 'x86_64_generic_vtx', 'current');
    const leg = buildText(PAIR, 'x86_64_generic_vtx', 'legacy');
    expect(cur.description!.physicalMemory.some((r) => r.kind === 'pd-images')).toBe(false);
    const region = leg.description!.physicalMemory.find((r) => r.kind === 'pd-images')!;
    expect(region).toBeDefined();
    const init = leg.description!.physicalMemory.find((r) => r.kind === 'initial-task')!;
    expect(region.start).toBe(init.end);
    const elf = leg.description!.objects.filter((o) => /^frame_elf_(client|server)_/.test(o.name));
    expect(elf.length).toBeGreaterThan(0);
    for (const o of elf) {
      expect(BigInt(o.paddr!) >= BigInt(region.start) && BigInt(o.paddr!) < BigInt(region.end)).toBe(true);
      expect(leg.description!.untypeds[o.untyped!].isDevice).toBe(true);
    }
    const curInit = cur.description!.physicalMemory.find((r) => r.kind === 'initial-task')!;
    for (const o of cur.description!.objects.filter((x) => /^frame_elf_/.test(x.name))) {
      expect(o.untyped).toBeNull();
      expect(BigInt(o.paddr!) >= BigInt(curInit.start) && BigInt(o.paddr!) < BigInt(curInit.end)).toBe(true);
    }
    expect(cur.description!.summary.embeddedFrames).toBe(cur.description!.objects.filter((x) => /^frame_elf_/.test(x.name)).length);
    // frames without contents are still carved from RAM untypeds
    const stack = cur.description!.objects.find((x) => x.name === 'frame_client_stack_000000000')!;
    expect(cur.description!.untypeds[stack.untyped!].isDevice).toBe(false);
    // the current initial task carries the images, so it is bigger
    expect(BigInt(cur.description!.summary.initialTaskImage) > BigInt(leg.description!.summary.initialTaskImage)).toBe(true);
    // device memory is never zeroed
    for (const z of leg.description!.zeroed) expect(BigInt(z.end) <= BigInt(region.start) || BigInt(z.start) >= BigInt(region.end)).toBe(true);
  });
});

describe('free memory after boot', () => {
  it('answers contiguous allocation questions against the largest free block', () => {
    const r = buildText(HELLO, 'qemu_virt_aarch64');
    const big = largestFreeBlock(r)!;
    expect(big.size).toBeGreaterThan(0n);
    expect(BigInt(r.description!.largestFreeBlock!.size)).toBe(big.size);
    expect(canAllocate(r, big.size, 1n).ok).toBe(true);
    const no = canAllocate(r, big.size + 1n, 1n);
    expect(no.ok).toBe(false);
    expect(no.reason).toMatch(/largest free block/);
    expect(canAllocate(r, 0x1000n, 3n)).toMatchObject({ ok: false });
    expect(canAllocate(r, 0x20_0000n, 0x20_0000n).ok).toBe(true);
    // no free range is aligned to 4 GiB on this board
    expect(canAllocate(r, 0x1000n, 1n << 32n)).toMatchObject({ ok: false });
  });
  it('has less free memory when the system asks for more', () => {
    const small = largestFreeBlock(buildText(HELLO, 'qemu_virt_aarch64'))!;
    const text = HELLO.replace('<protection_domain', '<memory_region name="m" size="0x1000_0000" page_size="0x200000" />\n  <protection_domain').replace('<program_image path="hello.elf" />', '<program_image path="hello.elf" />\n    <map mr="m" vaddr="0x40000000" perms="rw" />');
    const bigger = largestFreeBlock(buildText(text, 'qemu_virt_aarch64'))!;
    expect(bigger.size < small.size).toBe(true);
  });
});

describe('the kernel state after the initialiser', () => {
  it('has every PD thread started at its priority with its notification bound, and the initialiser suspended', () => {
    const r = buildText(PAIR, 'x86_64_generic_vtx');
    const k = r.kernel!;
    for (const pd of r.spec!.pds) {
      const t = k.objects[r.realised!.kernelId.get(pd.tcb)!] as TcbObj;
      expect([ThreadState.Running, ThreadState.Restart]).toContain(t.state);
      expect(t.prio).toBe(pd.tcb.tcb!.prio);
      expect(t.boundNtfn).toBe(r.realised!.kernelId.get(pd.notification!));
      expect(t.ipcBufferVaddr).toBe(pd.ipcBuffer);
      expect(t.regs[0]).toBe(pd.entry);
      expect(t.regs[1]).toBe(pd.tcb.tcb!.sp);
    }
    expect(r.booted!.rootTcb.state).toBe(ThreadState.Inactive);
  });
  it('puts each thread in its scheduling domain', () => {
    const file = path.resolve(__dirname, '../../../shared/conformance/examples/microkit/domains.system');
    const { system, board } = parseFor(readFileSync(file, 'utf8'), 'qemu_virt_aarch64', 'domains.system');
    const r = buildSystem(system, { board });
    expect(r.ok).toBe(true);
    const withDomain = system.protectionDomains.filter((p) => p.domain && p.domain.id > 0);
    expect(withDomain.length).toBeGreaterThan(0);
    for (const pd of system.protectionDomains) {
      const t = r.kernel!.objects[r.realised!.kernelId.get(r.spec!.pds[pd.pdIndex].tcb)!] as TcbObj;
      expect(t.domain, pd.name).toBe(pd.domain?.id ?? 0);
    }
    expect((r.kernel!.objects[r.realised!.kernelId.get(r.spec!.monitor.tcb)!] as TcbObj).domain).toBe(0);
  });
  it('binds the VCPU and the guest EPT to the VMM thread on x86', () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<system>
  <memory_region name="ram" size="0x400000" page_size="0x200000" />
  <protection_domain name="vmm" priority="100">
    <program_image path="vmm.elf" />
    <map mr="ram" vaddr="0x40000000" perms="rw" />
    <virtual_machine name="guest">
      <vcpu id="0" />
      <map mr="ram" vaddr="0x0" perms="rwx" />
    </virtual_machine>
  </protection_domain>
</system>
`;
    const r = buildText(text, 'x86_64_generic_vtx');
    expect(r.ok).toBe(true);
    const pd = r.spec!.pds[0];
    const t = r.kernel!.objects[r.realised!.kernelId.get(pd.tcb)!] as TcbObj;
    expect(t.vcpu).toBe(r.realised!.kernelId.get(pd.vcpu!));
    const ept = r.description!.addressSpaces.find((a) => a.kind === 'ept')!;
    expect(ept.root).toBe('pml4_guest');
    expect(ept.mappings.map((m) => [m.addr, m.size])).toEqual([['0x0', '0x200000'], ['0x200000', '0x200000']]);
    const host = r.description!.addressSpaces.find((a) => a.name === 'vmm')!.mappings.filter((m) => m.mr === 'ram');
    expect(host.map((m) => m.paddr)).toEqual(ept.mappings.map((m) => m.paddr));
  });
  it('routes an IOAPIC interrupt to the PD notification with badge 1 << id', () => {
    const r = buildText(PAIR, 'x86_64_generic_vtx');
    const k = r.kernel!;
    const irq = r.spec!.irqs[0];
    const kirq = r.realised!.kernelIrq.get(irq)!;
    expect(kirq).toBe(36 + 16);
    const c = k.slots.caps[k.irqSlotBase + kirq]!;
    expect(c.badge).toBe(1n << 3n);
    expect((k.objects[c.obj] as NotificationObj).id).toBe(r.realised!.kernelId.get(r.spec!.pds[1].notification!));
  });
  it('describes the board and the mode it was built for', () => {
    const board = findBoard('qemu_virt_riscv64')!;
    const { system } = parseFor(HELLO, board.name);
    const r = buildSystem(system, { board, bootMode: 'legacy' });
    expect(r.ok).toBe(true);
    expect(r.description).toMatchObject({ board: 'qemu_virt_riscv64', arch: 'riscv64', bootMode: 'legacy' });
    expect(names(r)).toContain('pgd_hello');
  });
});

describe('invariants on systems beyond the examples', () => {
  for (const board of ['x86_64_generic_vtx', 'qemu_virt_aarch64', 'qemu_virt_riscv64']) {
    for (const mode of ['current', 'legacy'] as const) {
      it(`hold for a one-PD system on ${board} (${mode})`, () => {
        const { system, board: b } = parseFor(HELLO, board);
        const r = buildSystem(system, { board: b, bootMode: mode });
        expect(r.ok).toBe(true);
        checkInvariants(system, r);
      });
    }
  }
  it('hold for the channel/IRQ/I/O-port system on x86 in both boot modes', () => {
    for (const mode of ['current', 'legacy'] as const) {
      const { system, board } = parseFor(PAIR, 'x86_64_generic_vtx');
      const r = buildSystem(system, { board, bootMode: mode });
      checkInvariants(system, r);
    }
  });
  it('hold for the maximal system (63 PDs, every channel id)', () => {
    const { system, board } = parseFor(maximalSystem(), 'x86_64_generic_vtx');
    const r = buildSystem(system, { board });
    expect(r.ok).toBe(true);
    checkInvariants(system, r);
    expect(r.description!.pds).toHaveLength(63);
  });
});

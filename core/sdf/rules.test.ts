/** Section B rule by rule, on hand-written systems, for the rules the upstream test corpus
 * does not exercise. Each case states the full message the tool prints. */
import { describe, expect, it } from 'vitest';
import { findBoard } from '../boards';
import { checkSdf } from './checkSdf';
import { testKernelConfig } from './kernelConfigs';

const F = 't.system';
const IMG = '<program_image path="a.elf"/>';
const pd = (attrs: string, body = '') => `<protection_domain ${attrs}>${IMG}${body}</protection_domain>`;
/** wraps the body in <system> on line 1 so that columns are easy to count */
const sys = (body: string) => `<system>${body}</system>`;

function first(text: string, config = 'aarch64', readFile?: (p: string) => Uint8Array | undefined) {
  const res = checkSdf(text, { fileName: F, kernel: testKernelConfig(config), readFile });
  return res.diagnostics.find((d) => d.severity === 'error')?.toolMessage ?? null;
}

const CASES: [string, string, string, string | null][] = [
  // [what, config, system, expected first error (null = valid)]
  ['second <domains> after one with domains', 'aarch64',
    sys('<domains><domain name="d"/><domain_schedule><schedule_entry domain="d" duration="1 us"/></domain_schedule></domains><domains/>' + pd('name="a" domain="d"')),
    `Error: domains must only be specified once on element 'domains': ${F}:1:125`],
  ['passive must be boolean', 'aarch64', sys(pd('name="a" passive="yes"')), `Error: passive must be 'true' or 'false' on element 'protection_domain': ${F}:1:9`],
  ['smc must be boolean', 'aarch64', sys(pd('name="a" smc="1"')), `Error: smc must be 'true' or 'false' on element 'protection_domain': ${F}:1:9`],
  ['smc on x86 is not available', 'x86_64', sys(pd('name="a" smc="true"')), 'ARM SMC forwarding support is not available for this architecture'],
  ['priority above 254', 'aarch64', sys(pd('name="a" priority="255"')), `Error: priority must be between 0 and 254 on element 'protection_domain': ${F}:1:9`],
  ['unknown child of a PD has no Error: prefix', 'aarch64', sys(pd('name="a"', '<foo/>')), `Invalid XML element 'foo': ${F}:1:66`],
  ['VM on the riscv test config (hypervisor comes from its aarch64 base)', 'riscv64(aarch64 base)+iommu=false', sys(pd('name="a"', '<virtual_machine name="v"><vcpu id="0"/></virtual_machine>')),
    null],
  ['second virtual_machine', 'aarch64', sys(pd('name="a"', '<virtual_machine name="v"><vcpu id="0"/></virtual_machine><virtual_machine name="w"><vcpu id="0"/></virtual_machine>')),
    `Error: virtual_machine must only be specified once on element 'protection_domain': ${F}:1:9`],
  ['second cspace', 'aarch64', sys(pd('name="a"', '<cspace/><cspace/>')), `Error: cspace must only be specified once on element 'protection_domain': ${F}:1:9`],
  ['ioport on ARM is reported on the PD', 'aarch64', sys(pd('name="a"', '<ioport id="0" addr="0x3f8" size="8"/>')),
    `Error: I/O Ports are only available on x86 on element 'protection_domain': ${F}:1:9`],
  ['setvar symbol reused by a channel end is reported on the channel', 'aarch64',
    sys(pd('name="a"', '<setvar symbol="s" region_paddr="m"/>') + pd('name="b"') + '<memory_region name="m" size="0x1000"/><channel><end pd="a" id="0" setvar_id="s"/><end pd="b" id="0"/></channel>'),
    `Error: setvar on symbol 's' already exists on element 'channel': ${F}:1:239`],
  ['perms letters', 'aarch64', sys('<memory_region name="m" size="0x1000"/>' + pd('name="a"', '<map mr="m" vaddr="0x1000" perms="rwz"/>')),
    `Error: perms must only be a combination of 'r', 'w', and 'x' on element 'map': ${F}:1:105`],
  ['cached must be boolean', 'aarch64', sys('<memory_region name="m" size="0x1000"/>' + pd('name="a"', '<map mr="m" vaddr="0x1000" cached="no"/>')),
    `Error: cached must be 'true' or 'false' on element 'map': ${F}:1:105`],
  ['empty perms pass the parser', 'aarch64', sys('<memory_region name="m" size="0x1000"/>' + pd('name="a"', '<map mr="m" vaddr="0x1000" perms=""/>')), null],
  ['irq without a variant on x86 asks for pin', 'x86_64', sys(pd('name="a"', '<irq id="1"/>')), `Error: Missing required attribute 'pin' on element 'irq': ${F}:1:66`],
  ['ioapic irq needs a vector', 'x86_64', sys(pd('name="a"', '<irq id="1" pin="3"/>')), `Error: Missing required attribute 'vector' on element 'irq': ${F}:1:66`],
  ['msi irq needs a handle', 'x86_64', sys(pd('name="a"', '<irq id="1" pcidev="0:1.0" vector="3"/>')), `Error: Missing required attribute 'handle' on element 'irq': ${F}:1:66`],
  ['conventional irq whitelist', 'aarch64', sys(pd('name="a"', '<irq irq="5" id="1" vector="3"/>')), `Error: invalid attribute 'vector' on element 'irq': ${F}:1:66`],
  ['duplicate vector across IOAPIC and MSI', 'x86_64',
    sys(pd('name="a"', '<irq id="1" pin="3" vector="7"/>') + pd('name="b"', '<irq id="1" pcidev="0:1.0" handle="0" vector="7"/>')),
    `Error: duplicate irq: 7 in protection domain: 'b' @ ${F}:1:118`],
  ['ioport id range', 'x86_64', sys(pd('name="a"', '<ioport id="62" addr="0x3f8" size="8"/>')), `Error: id must be < 62 on element 'ioport': ${F}:1:66`],
  ['ioport needs addr', 'x86_64', sys(pd('name="a"', '<ioport id="1" size="8"/>')), `Error: Missing required attribute 'addr' on element 'ioport': ${F}:1:66`],
  ['duplicate ioport id', 'x86_64', sys(pd('name="a"', '<ioport id="1" addr="0x10" size="1"/><ioport id="1" addr="0x20" size="1"/>')),
    `Error: duplicate I/O port id: 1 in protection domain: 'a' @ ${F}:1:9`],
  ['VM budget above period on aarch64', 'aarch64', sys(pd('name="a"', '<virtual_machine name="v" budget="10" period="5"><vcpu id="0"/></virtual_machine>')),
    `Error: budget (10) must be less than, or equal to, period (5) on element 'virtual_machine': ${F}:1:66`],
  ['unknown child of a VM is reported at the VM', 'aarch64', sys(pd('name="a"', '<virtual_machine name="v"><vcpu id="0"/><foo/></virtual_machine>')),
    `Error: invalid XML element 'foo': ${F}:1:66`],
  ['duplicate vcpu id', 'aarch64', sys(pd('name="a"', '<virtual_machine name="v"><vcpu id="0"/><vcpu id="0"/></virtual_machine>')),
    `Error: duplicate vcpu id 0 in virtual machine 'v' @ ${F}:1:106`],
  ['vcpu cpu out of range', 'aarch64-smp4', sys(pd('name="a"', '<virtual_machine name="v"><vcpu id="0" cpu="4"/></virtual_machine>')),
    `Error: cpu core must be less than 4, got 4 on element 'vcpu': ${F}:1:92`],
  ['malformed vcpu cpu names the virtual_machine', 'aarch64', sys(pd('name="a"', '<virtual_machine name="v"><vcpu id="0" cpu="x"/></virtual_machine>')),
    "Error: failed to parse integer 'x' on element 'virtual_machine': invalid digit found in string"],
  ['other element in cspace', 'aarch64', sys(pd('name="a"', '<cspace><map/></cspace>')), `Element 'map' is not supported in a <cspace> element at '${F}:1:74'`],
  ['cap slot 128', 'aarch64', sys(pd('name="a"', '<cspace><cap_tcb pd="a" slot="128"/></cspace>')),
    `Error: There are only 128 destination cspace slots available. on element 'cap_tcb': ${F}:1:74`],
  ['prefill longer than size', 'aarch64', sys('<memory_region name="m" size="0x1000" prefill_path="p"/>' + pd('name="a"', '<map mr="m" vaddr="0x1000"/>')),
    `Error: size of prefill file exceeds memory region size: 1001 > 1000 on element 'memory_region': ${F}:1:9`],
  ['iomap child must be iomap', 'x86_64', sys(pd('name="a"') + '<io_address_space name="d" peripheral_id="0:3.0" domain_id="1"><map/></io_address_space>'),
    `Error: invalid XML element 'map': ${F}:1:149`],
  ['iomap empty perms', 'x86_64', sys('<memory_region name="m" size="0x1000"/>' + pd('name="a"', '<map mr="m" vaddr="0x1000"/>') + '<io_address_space name="d" peripheral_id="0:3.0" domain_id="1"><iomap mr="m" iovaddr="0" perms=""/></io_address_space>'),
    `Error: perms for io mapped memory must only be a combination of 'r' and 'w' on element 'iomap': ${F}:1:216`],
  ['domains on SMP', 'aarch64-smp4', sys('<domains/>' + pd('name="a"')), 'Error: The domain scheduler is not supported in multicore builds of seL4'],
  ['unknown child of domains', 'aarch64', sys('<domains><foo/></domains>' + pd('name="a"')), `Error: invalid XML element as child of <domains> 'foo': ${F}:1:18`],
  ['domain id too large', 'aarch64', sys('<domains><domain name="d" id="16"/></domains>' + pd('name="a"')),
    `Error: domain id 16 should be less than the configured KernelNumDomains value of 16 on element 'domain': ${F}:1:18`],
  ['duplicate domain name', 'aarch64', sys('<domains><domain name="d" id="3"/><domain name="d"/></domains>' + pd('name="a"')),
    `Error: Each <domain>'s name element must be unique found existing domain 'd' with id 'Some(3)' on element 'domain': ${F}:1:43`],
  ['duplicate domain id', 'aarch64', sys('<domains><domain name="d" id="3"/><domain name="e" id="3"/></domains>' + pd('name="a"')),
    `Error: Each <domain>'s id element must be unique found existing domain 'd' with id '3' on element 'domain': ${F}:1:43`],
  ['two schedules', 'aarch64', sys('<domains><domain name="d"/><domain_schedule/><domain_schedule/></domains>' + pd('name="a"')),
    `Error: The <domain_schedule> element can only appear once on element 'domain_schedule': ${F}:1:54`],
  ['unknown domain in schedule', 'aarch64', sys('<domains><domain name="d"/><domain_schedule><schedule_entry domain="x" duration="1 us"/></domain_schedule></domains>' + pd('name="a"')),
    `Error: domain 'x' does not exist, on element 'schedule_entry': ${F}:1:53`],
  ['duration without unit', 'aarch64', sys('<domains><domain name="d"/><domain_schedule><schedule_entry domain="d" duration="100"/></domain_schedule></domains>' + pd('name="a"')),
    `Error: The duration '100' must contain a value and a unit, e.g. '1000 us' on element 'schedule_entry': ${F}:1:53`],
  ['zero duration', 'aarch64', sys('<domains><domain name="d"/><domain_schedule><schedule_entry domain="d" duration="0 us"/></domain_schedule></domains>' + pd('name="a"')),
    `Error: The duration '0 us' must be non-zero on element 'schedule_entry': ${F}:1:53`],
  ['schedule too long', 'aarch64', sys('<domains><domain name="d"/><domain_schedule>' + '<schedule_end_marker/>'.repeat(100) + '</domain_schedule></domains>' + pd('name="a"')),
    'More than configured KernelNumDomainSchedules 100 number of <schedule_entry> elements found'],
  ['domain used before <domains> is declared', 'aarch64', sys(pd('name="a" domain="d"') + '<domains><domain name="d"/><domain_schedule><schedule_entry domain="d" duration="1 us"/></domain_schedule></domains>'),
    `Error: Specifying a domain 'd' without declaring a domain schedule is not allowed: on element 'protection_domain': ${F}:1:9`],
  ['text first in system', 'aarch64', sys('junk' + pd('name="a"')), `Error: unexpected text found in element 'system' @ ${F}:1:1`],
  ['text after a comment in system', 'aarch64', sys('<!-- c -->junk' + pd('name="a"')), `Error: unexpected text found in element '' @ ${F}:1:19`],
  ['text between elements in system', 'aarch64', sys(pd('name="a"') + ' x '), `Error: unexpected text found in element '' @ ${F}:1:86`],
  ['text deeper down is ignored', 'aarch64', sys(pd('name="a"', 'some text')), null],
  ['monitor is reserved', 'aarch64', sys(pd('name="monitor"')), "Error: the PD name 'monitor' is reserved for the Microkit Monitor."],
  ['VM map at or above the top of the address space', 'aarch64', sys('<memory_region name="m" size="0x2000"/>' + pd('name="a"') + pd('name="b"', '<virtual_machine name="v"><vcpu id="0"/><map mr="m" vaddr="0xfffffffffffff000"/></virtual_machine>')),
    `Error: vaddr (0xfffffffffffff000) must be less than 0x10000000000 on element 'map': ${F}:1:222`],
  ['VM maps may start at 0 and reach the top', 'aarch64', sys('<memory_region name="m" size="0x1000"/>' + pd('name="b"', '<virtual_machine name="v"><vcpu id="0"/><map mr="m" vaddr="0"/><map mr="m" vaddr="0xfffffff000"/></virtual_machine>')), null],
  ['unknown cap PD', 'aarch64', sys(pd('name="a"', '<cspace><cap_sc pd="zz" slot="1"/></cspace>')), `Error: unknown PD name 'zz': ${F}:1:74`],
  ['end naming an unknown PD', 'aarch64', sys(pd('name="a"') + '<channel><end pd="a" id="0"/><end pd="q" id="0"/></channel>'), `Error: invalid PD name 'q' on element 'end': ${F}:1:115`],
  // B.16 rule 145, decided from the kernel configuration
  ['fixed address above the physical address space (A/R)', 'aarch64', sys('<memory_region name="m" size="0x2000" phys_addr="0xfffffff000"/>' + pd('name="a"', '<map mr="m" vaddr="0x1000"/>')),
    "ERROR: object 'frame_mr_m_000000001', with paddr 0x010000000000..0x010000001000 is not in any valid memory region."],
];

describe('section B rules', () => {
  for (const [what, config, text, want] of CASES) {
    it(what, () => {
      expect(first(text, config, (p) => (p === 'p' ? new Uint8Array(0x1001) : undefined))).toBe(want);
    });
  }
  it('rejects a VM on a kernel without hypervisor', () => {
    const k = findBoard('qemu_virt_riscv64')!.kernel;
    const res = checkSdf(sys(pd('name="a"', '<virtual_machine name="v"><vcpu id="0"/></virtual_machine>')), { fileName: F, kernel: k });
    expect(res.diagnostics[0].toolMessage).toBe(
      `Error: seL4 has not been built as a hypervisor, virtual machines are disabled on element 'protection_domain': ${F}:1:9`,
    );
  });
  it('rejects smc on an ARM kernel without SMC forwarding', () => {
    const k = { ...findBoard('qemu_virt_aarch64')!.kernel, armSmc: false };
    const res = checkSdf(sys(pd('name="a" smc="true"')), { fileName: F, kernel: k });
    expect(res.diagnostics[0].message).toBe(
      "Using SMC support without ARM SMC forwarding support enabled in the kernel for this platform on element 'protection_domain'",
    );
  });
  it('accepts smc on the qemu_virt_aarch64 board', () => {
    expect(checkSdf(sys(pd('name="a" smc="true"')), { fileName: F, kernel: findBoard('qemu_virt_aarch64')!.kernel }).system).not.toBeNull();
  });
});

describe('several errors at once', () => {
  it('reports independent errors after the first, each at its own element', () => {
    const text = ['<system>', '  <memory_region name="m" size="0x1001"/>', '  <protection_domain name="a" priority="999">', `    ${IMG}`, '    <map mr="m" vaddr="0x1000" perms="q"/>', '  </protection_domain>', '  <channel><end pd="a" id="70"/><end pd="a" id="1"/></channel>', '</system>'].join('\n');
    const res = checkSdf(text, { fileName: F, kernel: testKernelConfig('aarch64') });
    const errs = res.diagnostics.filter((d) => d.severity === 'error');
    expect(errs.map((d) => [d.line, d.code])).toEqual([
      [2, 'B.11.size-multiple'],
      [3, 'B.3.priority'],
      [5, 'B.5.perms'],
      [7, 'B.13.id-range'],
    ]);
    expect(errs[2].focus).toMatchObject({ line: 5, column: 32 });
  });
  it('keeps the good children of a VM with a broken vcpu (no unused-region warnings)', () => {
    const text = sys('<memory_region name="ram" size="0x1000"/>' + pd('name="a"', '<virtual_machine name="v"><vcpu id="0" cpu="1"/><map mr="ram" vaddr="0"/></virtual_machine>'));
    const res = checkSdf(text, { fileName: F, kernel: testKernelConfig('aarch64') });
    expect(res.diagnostics.map((d) => d.code)).toEqual(['B.9.vcpu-cpu']);
  });
  it('does not pile follow-on errors onto a broken element', () => {
    const text = sys('<memory_region name="m" size="zz"/>' + pd('name="a"', '<map mr="m" vaddr="0x1000"/>'));
    const res = checkSdf(text, { fileName: F, kernel: testKernelConfig('aarch64') });
    expect(res.diagnostics.filter((d) => d.severity === 'error')).toHaveLength(1);
  });
});

describe('the system model', () => {
  const text = [
    '<system>',
    '  <memory_region name="big" size="0x400000"/>',
    '  <memory_region name="dev" size="0x1000" phys_addr="0x9000000"/>',
    '  <protection_domain name="root" priority="10">',
    `    ${IMG}`,
    '    <map mr="big" vaddr="0x20000000" setvar_vaddr="big_vaddr"/>',
    '    <protection_domain name="c1" id="3" priority="5" setvar_id="c1_id">',
    `      ${IMG}`,
    '      <protection_domain name="g" id="0">' + IMG + '</protection_domain>',
    '    </protection_domain>',
    '    <protection_domain name="c2" id="4">' + IMG + '</protection_domain>',
    '  </protection_domain>',
    '  <protection_domain name="other" priority="20" passive="true">',
    `    ${IMG}`,
    '    <map mr="dev" vaddr="0x1000" perms="r" cached="false"/>',
    '    <irq irq="33" id="2" trigger="edge"/>',
    '  </protection_domain>',
    '  <channel><end pd="root" id="1" pp="true" setvar_id="ch"/><end pd="other" id="0"/></channel>',
    '</system>',
  ].join('\n');
  const res = checkSdf(text, { fileName: F, kernel: findBoard('qemu_virt_aarch64')!.kernel });
  const s = res.system!;
  it('numbers PDs depth-first, pre-order, with parent and child links', () => {
    expect(s.protectionDomains.map((p) => [p.pdIndex, p.name, p.parentIndex, p.id])).toEqual([
      [0, 'root', null, null],
      [1, 'c1', 0, 3],
      [2, 'g', 1, 0],
      [3, 'c2', 0, 4],
      [4, 'other', null, null],
    ]);
    expect(s.protectionDomains[0].childIndices).toEqual([1, 3]);
  });
  it('collects every patched symbol of a PD in the tool order', () => {
    expect(s.protectionDomains[0].setvars.map((v) => [v.symbol, v.value.kind])).toEqual([
      ['big_vaddr', 'map_vaddr'],
      ['c1_id', 'child_id'],
      ['ch', 'channel_id'],
    ]);
  });
  it('promotes a region to 2 MiB pages when every address allows it', () => {
    expect(s.memoryRegions.map((m) => [m.name, m.pageSize])).toEqual([
      ['big', 0x200000n],
      ['dev', 0x1000n],
    ]);
  });
  it('keeps defaults, channels, irqs and positions', () => {
    const other = s.protectionDomains[4];
    expect(other).toMatchObject({ passive: true, priority: 20, budget: 1000n, period: 1000n, stackSize: 0x2000n, fpu: true, pos: { line: 13, column: 3 } });
    expect(other.irqs[0]).toMatchObject({ kind: 'conventional', irq: 33n, id: 2, trigger: 'edge' });
    expect(other.maps[0]).toMatchObject({ mr: 'dev', perms: { read: true, write: false, execute: false }, cached: false });
    expect(s.channels[0].ends.map((e) => [e.pd, e.pdIndex, e.id, e.pp, e.notify])).toEqual([
      ['root', 0, 1, true, true],
      ['other', 4, 0, false, true],
    ]);
  });
});

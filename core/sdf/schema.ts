/** The SDF schema: ONE table of elements, their attributes (type, default, range,
 * architectures, meaning) and allowed children. The validator's attribute
 * whitelists, completion, hover and docs/sdf-reference.md all read it.
 * Source: ../shared/reference/microkit.md §A (and the tool's sdf.rs whitelists). */
import type { Arch } from '../boards';

export type AttrType =
  | 'name' // free text naming this element
  | 'number' // generic number: decimal or 0x hex, '_' allowed
  | 'decimal' // decimal only (the tool crashes on anything else)
  | 'bool'
  | 'enum'
  | 'perms' // r/w/x letters
  | 'iomap_perms' // r/w letters
  | 'pci' // BB:DD.F in hex
  | 'duration' // "<number> us|ticks"
  | 'path'
  | 'symbol' // ELF symbol patched by the tool
  | 'ref'; // name of another element

export type IrqVariant = 'conventional' | 'ioapic' | 'msi';
export type ElementKey =
  | 'system'
  | 'protection_domain'
  | 'program_image'
  | 'map'
  | 'irq'
  | 'ioport'
  | 'setvar'
  | 'cspace'
  | 'cap_tcb'
  | 'cap_sc'
  | 'cap_vspace'
  | 'virtual_machine'
  | 'vcpu'
  | 'vm_map'
  | 'memory_region'
  | 'channel'
  | 'end'
  | 'io_address_space'
  | 'iomap'
  | 'domains'
  | 'domain'
  | 'domain_schedule'
  | 'schedule_entry'
  | 'schedule_end_marker';

export interface AttrSpec {
  name: string;
  type: AttrType;
  /** allowed values of an enum/bool */
  values?: readonly string[];
  /** what a 'ref' names */
  ref?: 'memory_region' | 'protection_domain' | 'domain';
  /** 'child': required on child protection domains only */
  required: boolean | 'child';
  default?: string;
  range?: string;
  /** architectures whose whitelist accepts it (all when absent) */
  archs?: readonly Arch[];
  /** architectures where it is meaningful, for completion and docs (= archs when absent) */
  usableOn?: readonly Arch[];
  /** irq variants that accept it */
  variants?: readonly IrqVariant[];
  /** only on a protection_domain nested in another one */
  childOnly?: boolean;
  /** accepted for old systems but no longer part of the language (never offered) */
  legacy?: boolean;
  doc: string;
}

export type Requirement = 'hypervisor' | 'iommu' | 'single-core';

export interface ElementSpec {
  key: ElementKey;
  /** the tag name */
  name: string;
  doc: string;
  attrs: readonly AttrSpec[];
  children: readonly ElementKey[];
  /** how often it may appear in its parent */
  occurs: 'one' | 'optional' | 'many' | 'one-or-more' | 'two' | 'root';
  usableOn?: readonly Arch[];
  requires?: readonly Requirement[];
  /** a snippet body inserted after the tag name by completion */
  snippet?: string;
}

const ALL: readonly Arch[] = ['aarch64', 'riscv64', 'x86_64'];
const X86: readonly Arch[] = ['x86_64'];
const ARM: readonly Arch[] = ['aarch64'];
const ARM_RISCV: readonly Arch[] = ['aarch64', 'riscv64'];
const BOOL = ['true', 'false'] as const;

const MAP_ATTRS: readonly AttrSpec[] = [
  { name: 'mr', type: 'ref', ref: 'memory_region', required: true, doc: 'Name of the memory region to map.' },
  {
    name: 'vaddr',
    type: 'number',
    required: true,
    range: 'multiple of the region\'s page size; the whole region must fit below the stack (PD) or the top of the address space (VM); no overlap with other maps',
    doc: 'Virtual address of the first byte (for a VM map: guest-physical address).',
  },
  {
    name: 'perms',
    type: 'perms',
    required: false,
    default: 'rw',
    range: 'letters r, w, x; write-only (w) is rejected',
    doc: 'Access rights of the mapping. `x` is ignored by seL4 on x86_64.',
  },
  { name: 'cached', type: 'bool', values: BOOL, required: false, default: 'true', doc: 'Map cacheable (false for device registers). Ignored on RISC-V.' },
];

const MAP_SETVARS: readonly AttrSpec[] = [
  { name: 'setvar_vaddr', type: 'symbol', required: false, doc: 'Symbol in the program image that receives `vaddr`.' },
  { name: 'setvar_size', type: 'symbol', required: false, doc: 'Symbol that receives the region size in bytes.' },
  {
    name: 'setvar_prefill_size',
    type: 'symbol',
    required: false,
    doc: 'Symbol that receives the length of the prefill file (the region must have `prefill_path`).',
  },
];

const CAP_ATTRS: readonly AttrSpec[] = [
  { name: 'slot', type: 'number', required: true, range: '1..127 (only 1..63 reachable at runtime)', doc: 'Slot of the PD\'s root CNode that receives the cap.' },
  { name: 'pd', type: 'ref', ref: 'protection_domain', required: true, doc: 'PD whose object is shared (may be the PD itself).' },
];

const IRQ_ID: AttrSpec = {
  name: 'id',
  type: 'decimal',
  required: true,
  range: '0..61, shared with the PD\'s channel ids',
  variants: ['conventional', 'ioapic', 'msi'],
  doc: 'Channel id the PD sees in `notified(ch)` and passes to `microkit_irq_ack`.',
};

export const SDF_ELEMENTS: readonly ElementSpec[] = [
  {
    key: 'system',
    name: 'system',
    occurs: 'root',
    doc: 'The root of a system description. Its attributes are not checked; text directly inside it is an error.',
    attrs: [],
    children: ['protection_domain', 'memory_region', 'channel', 'io_address_space', 'domains'],
  },
  {
    key: 'protection_domain',
    name: 'protection_domain',
    occurs: 'many',
    doc: 'A protection domain: one thread with its own address space, capability space and scheduling context. May contain child PDs (at most 63 PDs in total).',
    snippet: ' name="$1" priority="$2">\n\t<program_image path="$3" />\n</protection_domain>',
    attrs: [
      { name: 'name', type: 'name', required: true, range: 'unique among all PDs; `monitor` is reserved', doc: 'Name of the PD (the first 64 bytes are patched into `microkit_name`).' },
      { name: 'priority', type: 'number', required: false, default: '0', range: '0..254', doc: 'Scheduling priority (the monitor runs at 255).' },
      { name: 'budget', type: 'number', required: false, default: '1000', range: '≤ period', doc: 'Scheduling budget in microseconds.' },
      { name: 'period', type: 'number', required: false, default: 'budget', range: '≥ budget', doc: 'Scheduling period in microseconds.' },
      { name: 'passive', type: 'bool', values: BOOL, required: false, default: 'false', doc: 'Passive PDs give up their scheduling context after `init` and run only on their callers\' budgets.' },
      {
        name: 'stack_size',
        type: 'number',
        required: false,
        default: '0x2000',
        range: '0x1000..0x1000000, multiple of 0x1000',
        doc: 'Stack size in bytes.',
      },
      {
        name: 'smc',
        type: 'bool',
        values: BOOL,
        required: false,
        default: 'false',
        usableOn: ARM,
        doc: 'Allow ARM Secure Monitor Calls (needs a kernel with SMC forwarding).',
      },
      { name: 'cpu', type: 'number', required: false, default: '0', range: '< number of cores', doc: 'Core the PD runs on.' },
      {
        name: 'domain',
        type: 'ref',
        ref: 'domain',
        required: false,
        range: 'required when `<domains>` appears earlier, forbidden otherwise',
        doc: 'Scheduling domain of the PD (non-SMP kernels only).',
      },
      { name: 'fpu', type: 'bool', values: BOOL, required: false, default: 'true', doc: 'Give the thread FPU access.' },
      {
        name: 'id',
        type: 'number',
        required: 'child',
        childOnly: true,
        range: 'unique among the parent\'s children and its VM\'s vcpu ids; 0..61',
        doc: 'Child id the parent uses in `microkit_pd_restart` and sees in `fault(child, ...)`.',
      },
      { name: 'setvar_id', type: 'symbol', required: false, childOnly: true, doc: 'Symbol in the *parent\'s* image that receives `id`.' },
      {
        name: 'pp',
        type: 'bool',
        values: BOOL,
        required: false,
        legacy: true,
        doc: 'Obsolete (Microkit 1.x): marked a PD as callable. Today a channel end\'s `pp` says who may call whom; accepted with a warning.',
      },
    ],
    children: ['program_image', 'map', 'irq', 'ioport', 'setvar', 'cspace', 'virtual_machine', 'protection_domain'],
  },
  {
    key: 'program_image',
    name: 'program_image',
    occurs: 'one',
    doc: 'The program the PD runs (an ELF linked with libmicrokit; in the simulator backed by a `.js` file of the same name).',
    snippet: ' path="$1" />',
    attrs: [
      { name: 'path', type: 'path', required: true, doc: 'File name of the ELF image, searched in the search paths.' },
      { name: 'path_for_symbols', type: 'path', required: false, doc: 'Optional second ELF used only to look up symbols.' },
    ],
    children: [],
  },
  {
    key: 'map',
    name: 'map',
    occurs: 'many',
    doc: 'Maps a memory region into the PD\'s address space.',
    snippet: ' mr="$1" vaddr="$2" perms="rw" />',
    attrs: [...MAP_ATTRS, ...MAP_SETVARS],
    children: [],
  },
  {
    key: 'irq',
    name: 'irq',
    occurs: 'many',
    doc: 'Delivers an interrupt to the PD as a notification on channel `id`. Three variants, chosen by the attribute present: `irq` (ARM/RISC-V line), `pin` (x86 I/O APIC), `pcidev` (x86 MSI).',
    snippet: ' irq="$1" id="$2" />',
    attrs: [
      { name: 'irq', type: 'decimal', required: true, usableOn: ARM_RISCV, variants: ['conventional'], range: 'unique system-wide', doc: 'Hardware interrupt number.' },
      { name: 'pin', type: 'decimal', required: true, usableOn: X86, variants: ['ioapic'], range: '≥ 0', doc: 'I/O APIC input pin.' },
      { name: 'pcidev', type: 'pci', required: true, usableOn: X86, variants: ['msi'], range: 'bus 0..ff, device 0..1f, function 0..7 (hex)', doc: 'PCI address `bus:device.function` of the MSI source.' },
      IRQ_ID,
      { name: 'setvar_id', type: 'symbol', required: false, variants: ['conventional', 'ioapic', 'msi'], doc: 'Symbol that receives `id`.' },
      {
        name: 'trigger',
        type: 'enum',
        values: ['level', 'edge'],
        required: false,
        default: 'level',
        variants: ['conventional', 'ioapic'],
        doc: 'Trigger mode.',
      },
      { name: 'ioapic', type: 'decimal', required: false, default: '0', usableOn: X86, variants: ['ioapic'], range: '≥ 0', doc: 'Index of the I/O APIC.' },
      { name: 'polarity', type: 'enum', values: ['low', 'high'], required: false, default: 'high', usableOn: X86, variants: ['ioapic'], doc: 'Signal polarity.' },
      {
        name: 'vector',
        type: 'decimal',
        required: true,
        usableOn: X86,
        variants: ['ioapic', 'msi'],
        range: '0..107, unique system-wide',
        doc: 'Interrupt vector (offset from the kernel\'s first user vector).',
      },
      { name: 'handle', type: 'decimal', required: true, usableOn: X86, variants: ['msi'], range: '≥ 0', doc: 'MSI handle.' },
    ],
    children: [],
  },
  {
    key: 'ioport',
    name: 'ioport',
    occurs: 'many',
    usableOn: X86,
    doc: 'Gives the PD access to a range of x86 I/O ports.',
    snippet: ' id="$1" addr="$2" size="$3" />',
    attrs: [
      { name: 'id', type: 'decimal', required: true, range: '0..61, unique within the PD (own id space)', doc: 'Id used with `microkit_x86_ioport_*`.' },
      { name: 'addr', type: 'number', required: true, doc: 'First port.' },
      { name: 'size', type: 'decimal', required: true, range: '> 0; ranges must not overlap system-wide', doc: 'Number of ports.' },
      { name: 'setvar_id', type: 'symbol', required: false, doc: 'Symbol that receives `id`.' },
      { name: 'setvar_addr', type: 'symbol', required: false, doc: 'Symbol that receives `addr`.' },
    ],
    children: [],
  },
  {
    key: 'setvar',
    name: 'setvar',
    occurs: 'many',
    doc: 'Patches an 8-byte variable of the program image with the physical address of a memory region.',
    snippet: ' symbol="$1" region_paddr="$2" />',
    attrs: [
      { name: 'symbol', type: 'symbol', required: true, range: 'unique among the PD\'s patched symbols', doc: 'Symbol to patch.' },
      { name: 'region_paddr', type: 'ref', ref: 'memory_region', required: true, doc: 'Memory region whose physical address is written (on x86_64 it needs `phys_addr`).' },
    ],
    children: [],
  },
  {
    key: 'cspace',
    name: 'cspace',
    occurs: 'optional',
    doc: 'Extra capabilities placed in the PD\'s root CNode.',
    attrs: [],
    children: ['cap_tcb', 'cap_sc', 'cap_vspace'],
  },
  { key: 'cap_tcb', name: 'cap_tcb', occurs: 'many', doc: 'The TCB of PD `pd`.', snippet: ' slot="$1" pd="$2" />', attrs: CAP_ATTRS, children: [] },
  { key: 'cap_sc', name: 'cap_sc', occurs: 'many', doc: 'The scheduling context of PD `pd`.', snippet: ' slot="$1" pd="$2" />', attrs: CAP_ATTRS, children: [] },
  { key: 'cap_vspace', name: 'cap_vspace', occurs: 'many', doc: 'The root page table (VSpace) of PD `pd`.', snippet: ' slot="$1" pd="$2" />', attrs: CAP_ATTRS, children: [] },
  {
    key: 'virtual_machine',
    name: 'virtual_machine',
    occurs: 'optional',
    usableOn: ['aarch64', 'x86_64'],
    requires: ['hypervisor'],
    doc: 'A guest virtual machine managed by this PD (its VMM). Needs a hypervisor kernel. On x86_64 exactly one vcpu, and the VM runs on the VMM\'s thread.',
    snippet: ' name="$1">\n\t<vcpu id="0" />\n</virtual_machine>',
    attrs: [
      { name: 'name', type: 'name', required: true, range: 'unique among VMs', doc: 'Name of the VM.' },
      { name: 'priority', type: 'number', required: false, default: '0', archs: ARM, doc: 'Priority of the vCPU threads (AArch64 only).' },
      { name: 'budget', type: 'number', required: false, default: '1000', archs: ARM, range: '≤ period', doc: 'vCPU budget in microseconds (AArch64 only).' },
      { name: 'period', type: 'number', required: false, default: 'budget', archs: ARM, doc: 'vCPU period in microseconds (AArch64 only).' },
    ],
    children: ['vcpu', 'vm_map'],
  },
  {
    key: 'vcpu',
    name: 'vcpu',
    occurs: 'one-or-more',
    doc: 'A virtual CPU of the VM.',
    snippet: ' id="$1" />',
    attrs: [
      { name: 'id', type: 'decimal', required: true, range: '0..61, unique in the VM and distinct from child PD ids', doc: 'vCPU id used with `microkit_vcpu_*`.' },
      { name: 'cpu', type: 'number', required: false, default: 'the PD\'s cpu', range: '< number of cores', doc: 'Core the vCPU runs on (AArch64; ignored on x86_64).' },
      { name: 'setvar_id', type: 'symbol', required: false, doc: 'Accepted but ignored by the microkit tool.' },
    ],
    children: [],
  },
  {
    key: 'vm_map',
    name: 'map',
    occurs: 'many',
    doc: 'Maps a memory region into the guest-physical address space of the VM.',
    snippet: ' mr="$1" vaddr="$2" perms="rwx" />',
    attrs: MAP_ATTRS,
    children: [],
  },
  {
    key: 'memory_region',
    name: 'memory_region',
    occurs: 'many',
    doc: 'A region of memory (RAM, or device memory with `phys_addr`) that PDs and VMs can map.',
    snippet: ' name="$1" size="$2" />',
    attrs: [
      { name: 'name', type: 'name', required: true, range: 'unique among memory regions', doc: 'Name of the region.' },
      {
        name: 'size',
        type: 'number',
        required: false,
        range: 'multiple of page_size; required unless prefilled',
        doc: 'Size in bytes.',
      },
      { name: 'page_size', type: 'number', required: false, default: '0x1000 (0x200000 chosen automatically when size and every address allow)', range: '0x1000 or 0x200000', doc: 'Page size used to map the region.' },
      { name: 'phys_addr', type: 'number', required: false, range: 'multiple of page_size; fixed ranges must not overlap', doc: 'Fixed physical address (device memory or a chosen RAM range).' },
      { name: 'prefill_path', type: 'path', required: false, range: 'non-empty file, not longer than size', doc: 'File whose bytes are copied into the region at boot.' },
      {
        name: 'prefill_bootinfo',
        type: 'enum',
        values: ['x86_vbe', 'x86_mbmmap', 'x86_acpi_rsdp', 'x86_framebuffer', 'x86_tsc_freq', 'fdt'],
        required: false,
        doc: 'Fill the region with a seL4 boot-info record (not together with prefill_path).',
      },
    ],
    children: [],
  },
  {
    key: 'channel',
    name: 'channel',
    occurs: 'many',
    doc: 'A communication channel between two PDs: notifications and, with `pp`, protected procedure calls.',
    snippet: '>\n\t<end pd="$1" id="$2" />\n\t<end pd="$3" id="$4" />\n</channel>',
    attrs: [],
    children: ['end'],
  },
  {
    key: 'end',
    name: 'end',
    occurs: 'two',
    doc: 'One end of a channel (a channel has exactly two).',
    snippet: ' pd="$1" id="$2" />',
    attrs: [
      { name: 'pd', type: 'ref', ref: 'protection_domain', required: true, doc: 'PD at this end.' },
      { name: 'id', type: 'decimal', required: true, range: '0..61, unique in the PD among channel and IRQ ids', doc: 'Channel id this PD uses.' },
      { name: 'pp', type: 'bool', values: BOOL, required: false, default: 'false', range: 'not on both ends; the other PD must have a strictly higher priority', doc: 'This end may make protected procedure calls to the other end.' },
      { name: 'notify', type: 'bool', values: BOOL, required: false, default: 'true', doc: 'This end may notify the other end.' },
      { name: 'setvar_id', type: 'symbol', required: false, doc: 'Symbol in this end\'s PD that receives `id`.' },
    ],
    children: [],
  },
  {
    key: 'io_address_space',
    name: 'io_address_space',
    occurs: 'many',
    usableOn: X86,
    requires: ['iommu'],
    doc: 'The IOMMU address space of one PCI device (x86_64 with an IOMMU).',
    snippet: ' name="$1" peripheral_id="$2" domain_id="$3">\n\t<iomap mr="$4" iovaddr="$5" />\n</io_address_space>',
    attrs: [
      { name: 'name', type: 'name', required: true, range: 'unique', doc: 'Name of the address space.' },
      { name: 'peripheral_id', type: 'pci', required: true, range: 'unique', doc: 'PCI address `bus:device.function` (hex) of the device.' },
      { name: 'domain_id', type: 'number', required: true, range: 'unique', doc: 'VT-d domain id.' },
    ],
    children: ['iomap'],
  },
  {
    key: 'iomap',
    name: 'iomap',
    occurs: 'many',
    doc: 'Maps a memory region into the device\'s IOMMU address space.',
    snippet: ' mr="$1" iovaddr="$2" />',
    attrs: [
      { name: 'mr', type: 'ref', ref: 'memory_region', required: true, range: 'region with 4 KiB pages', doc: 'Memory region to map.' },
      { name: 'iovaddr', type: 'number', required: true, range: 'page aligned; the region must end at or below 0x8000000000; no overlap in this device', doc: 'I/O virtual address.' },
      { name: 'perms', type: 'iomap_perms', required: false, default: 'rw', range: 'non-empty combination of r and w', doc: 'Device access rights.' },
    ],
    children: [],
  },
  {
    key: 'domains',
    name: 'domains',
    occurs: 'optional',
    requires: ['single-core'],
    doc: 'Declares scheduling domains and the domain schedule (non-SMP kernels). Must come before the PDs that use `domain=`.',
    snippet: '>\n\t<domain name="$1" id="0" />\n\t<domain_schedule>\n\t\t<schedule_entry domain="$1" duration="1000 us" />\n\t</domain_schedule>\n</domains>',
    attrs: [],
    children: ['domain', 'domain_schedule'],
  },
  {
    key: 'domain',
    name: 'domain',
    occurs: 'one-or-more',
    doc: 'A scheduling domain.',
    snippet: ' name="$1" />',
    attrs: [
      { name: 'name', type: 'name', required: true, range: 'unique', doc: 'Name PDs use in `domain=`.' },
      { name: 'id', type: 'number', required: false, range: '< 16 (KernelNumDomains), unique; assigned automatically when absent', doc: 'Domain number.' },
    ],
    children: [],
  },
  {
    key: 'domain_schedule',
    name: 'domain_schedule',
    occurs: 'one',
    doc: 'The cyclic schedule of domains.',
    attrs: [
      { name: 'start_index', type: 'number', required: false, default: '0', range: '< number of entries', doc: 'Entry the schedule starts with.' },
      { name: 'index_shift', type: 'number', required: false, range: 'shift + entries < 100 (KernelNumDomainSchedules)', doc: 'Offset of the schedule in the kernel\'s table.' },
    ],
    children: ['schedule_entry', 'schedule_end_marker'],
  },
  {
    key: 'schedule_entry',
    name: 'schedule_entry',
    occurs: 'many',
    doc: 'Run one domain for a while.',
    snippet: ' domain="$1" duration="$2 us" />',
    attrs: [
      { name: 'domain', type: 'ref', ref: 'domain', required: true, doc: 'Domain to run.' },
      { name: 'duration', type: 'duration', required: true, range: 'non-zero; unit `us` or `ticks`', doc: 'How long, e.g. `1000 us` or `5 ticks`.' },
    ],
    children: [],
  },
  {
    key: 'schedule_end_marker',
    name: 'schedule_end_marker',
    occurs: 'many',
    doc: 'Marks where the schedule wraps around (one is implied at the end).',
    snippet: ' />',
    attrs: [],
    children: [],
  },
];

export const SDF_SCHEMA: Readonly<Record<ElementKey, ElementSpec>> = Object.fromEntries(SDF_ELEMENTS.map((e) => [e.key, e])) as Record<
  ElementKey,
  ElementSpec
>;

/** The element key of a child tag inside a parent element (null when not allowed there). */
export function childKey(parent: ElementKey, tag: string): ElementKey | null {
  for (const k of SDF_SCHEMA[parent].children) if (SDF_SCHEMA[k].name === tag) return k;
  return null;
}

export interface AttrContext {
  arch: Arch;
  /** protection_domain nested in another */
  isChild?: boolean;
  /** irq variant */
  variant?: IrqVariant;
}

function accepts(a: AttrSpec, ctx: AttrContext): boolean {
  if (a.archs && !a.archs.includes(ctx.arch)) return false;
  if (a.childOnly && !ctx.isChild) return false;
  if (a.variants && ctx.variant && !a.variants.includes(ctx.variant)) return false;
  return true;
}

const ARCHS: readonly Arch[] = ['aarch64', 'riscv64', 'x86_64'];
const VARIANTS: readonly (IrqVariant | undefined)[] = [undefined, 'conventional', 'ioapic', 'msi'];

/** Every whitelist, computed once: [element][arch][isChild][variant] (asked for every element). */
const WHITELISTS: Record<ElementKey, ReadonlySet<string>[][][]> = Object.fromEntries(
  SDF_ELEMENTS.map((e) => [
    e.key,
    ARCHS.map((arch) => [false, true].map((isChild) => VARIANTS.map((variant) => new Set(e.attrs.filter((a) => accepts(a, { arch, isChild, variant })).map((a) => a.name))))),
  ]),
) as unknown as Record<ElementKey, ReadonlySet<string>[][][]>;

/** The tool's attribute whitelist for an element in a context. */
export function attributeWhitelist(key: ElementKey, ctx: AttrContext): ReadonlySet<string> {
  return whitelistFor(key, ctx.arch, ctx.isChild, ctx.variant);
}

/** `attributeWhitelist` without a context object (the validator asks for every element). */
export function whitelistFor(key: ElementKey, arch: Arch, isChild?: boolean, variant?: IrqVariant): ReadonlySet<string> {
  return WHITELISTS[key][ARCHS.indexOf(arch)][isChild ? 1 : 0][VARIANTS.indexOf(variant)];
}

/** Attributes worth offering in an editor: accepted and meaningful on the architecture. */
export function usableAttributes(key: ElementKey, ctx: AttrContext): AttrSpec[] {
  return SDF_SCHEMA[key].attrs.filter((a) => !a.legacy && accepts(a, ctx) && (a.usableOn ?? a.archs ?? ALL).includes(ctx.arch));
}

export function attrSpec(key: ElementKey, name: string): AttrSpec | undefined {
  return SDF_SCHEMA[key].attrs.find((a) => a.name === name);
}

/** Which irq variant an element is, chosen as the tool does (irq, then pin, then pcidev). */
export function irqVariant(has: (name: string) => boolean): IrqVariant | null {
  if (has('irq')) return 'conventional';
  if (has('pin')) return 'ioapic';
  if (has('pcidev')) return 'msi';
  return null;
}

/** The validated system, as the `microkit` tool holds it after parsing an SDF.
 * Produced by `checkSdf` only when the document has no errors; the build (issue 4)
 * and the runtime read it. Addresses and sizes are bigint; small counts and ids
 * are numbers. Every element keeps the 1-based position of its start tag so views
 * can jump to the source. See ../shared/reference/microkit.md §A and §D. */
import type { Arch } from '../boards';

/** 1-based line and column of an element's start tag (the `<`). */
export interface SourcePos {
  line: number;
  column: number;
}

export interface SystemDescription {
  fileName: string;
  arch: Arch;
  /** Every PD, children included, flattened depth-first pre-order (each top-level PD followed by
   * its descendants): the tool's numbering. `protectionDomains[i].pdIndex === i`. */
  protectionDomains: ProtectionDomain[];
  /** Document order. */
  memoryRegions: MemoryRegion[];
  /** Document order. */
  channels: Channel[];
  /** Document order (x86_64 with IOMMU only). */
  ioAddressSpaces: IoAddressSpace[];
  /** Present only when the SDF has a `<domains>` element. */
  domains: DomainSchedule | null;
  pos: SourcePos;
}

export interface ProtectionDomain {
  /** flattened index (monitor badge = pdIndex + 1, SC badge = 0x100 + pdIndex) */
  pdIndex: number;
  name: string;
  /** pdIndex of the parent, null for a top-level PD */
  parentIndex: number | null;
  /** pdIndex of each direct child, in document order */
  childIndices: number[];
  /** child PD id (the parent's `microkit_child`), null for a top-level PD */
  id: number | null;
  /** symbol in the *parent's* image patched with `id` */
  setvarId: string | null;
  priority: number;
  /** microseconds */
  budget: bigint;
  /** microseconds */
  period: bigint;
  passive: boolean;
  /** bytes, multiple of 0x1000 */
  stackSize: bigint;
  cpu: number;
  smc: boolean;
  fpu: boolean;
  /** name and id of the scheduling domain, null when the SDF has no `<domains>` */
  domain: { name: string; id: number } | null;
  programImage: ProgramImage;
  maps: MapEntry[];
  irqs: Irq[];
  ioports: IoPort[];
  /** Every symbol the tool patches into this PD's image, from `<setvar>` and from every
   * `setvar_*` attribute (maps, irqs, ioports, channel ends, child PDs), in the tool's order. */
  setvars: SetVar[];
  /** caps placed in the PD's root CNode by `<cspace>` */
  cspaceCaps: CspaceCap[];
  virtualMachine: VirtualMachine | null;
  pos: SourcePos;
}

export interface ProgramImage {
  path: string;
  pathForSymbols: string | null;
  pos: SourcePos;
}

export interface MapPerms {
  read: boolean;
  write: boolean;
  execute: boolean;
}

export interface MapEntry {
  mr: string;
  /** virtual address (PD map) or guest-physical address (VM map) */
  vaddr: bigint;
  perms: MapPerms;
  cached: boolean;
  setvarVaddr: string | null;
  setvarSize: string | null;
  setvarPrefillSize: string | null;
  pos: SourcePos;
}

export type IrqTrigger = 'level' | 'edge';
export type IrqPolarity = 'low' | 'high';

interface IrqCommon {
  /** PD-local channel id 0..61 (notification badge 1 << id) */
  id: number;
  setvarId: string | null;
  pos: SourcePos;
}

/** ARM / RISC-V interrupt line */
export interface IrqConventional extends IrqCommon {
  kind: 'conventional';
  irq: bigint;
  trigger: IrqTrigger;
}

/** x86 I/O APIC pin */
export interface IrqIoapic extends IrqCommon {
  kind: 'ioapic';
  ioapic: bigint;
  pin: bigint;
  trigger: IrqTrigger;
  polarity: IrqPolarity;
  /** 0..107 */
  vector: number;
}

export interface PciAddress {
  bus: number;
  device: number;
  function: number;
}

/** x86 MSI */
export interface IrqMsi extends IrqCommon {
  kind: 'msi';
  pcidev: PciAddress;
  handle: bigint;
  /** 0..107 */
  vector: number;
}

export type Irq = IrqConventional | IrqIoapic | IrqMsi;

export interface IoPort {
  /** 0..61, own id space */
  id: number;
  addr: bigint;
  size: bigint;
  setvarId: string | null;
  setvarAddr: string | null;
  pos: SourcePos;
}

/** What a patched symbol receives. */
export type SetVarValue =
  | { kind: 'region_paddr'; mr: string }
  | { kind: 'map_vaddr'; vaddr: bigint }
  | { kind: 'map_size'; mr: string }
  | { kind: 'map_prefill_size'; mr: string }
  | { kind: 'irq_id'; id: number }
  | { kind: 'ioport_id'; id: number }
  | { kind: 'ioport_addr'; addr: bigint }
  | { kind: 'channel_id'; id: number }
  | { kind: 'child_id'; id: number };

export interface SetVar {
  symbol: string;
  value: SetVarValue;
  /** the element that asked for it */
  pos: SourcePos;
}

export type CapKind = 'tcb' | 'sc' | 'vspace';

export interface CspaceCap {
  kind: CapKind;
  /** root CNode slot, 1..127 */
  slot: number;
  /** name of the PD whose object is placed */
  pd: string;
  pos: SourcePos;
}

export interface VirtualMachine {
  name: string;
  /** AArch64 only (x86 VMs run on the VMM's TCB and SC); 8-bit truncated like the tool */
  priority: number;
  budget: bigint;
  period: bigint;
  vcpus: Vcpu[];
  /** guest-physical mappings */
  maps: MapEntry[];
  pos: SourcePos;
}

export interface Vcpu {
  id: number;
  cpu: number;
  pos: SourcePos;
}

export type PrefillBootinfo = 'x86_vbe' | 'x86_mbmmap' | 'x86_acpi_rsdp' | 'x86_framebuffer' | 'x86_tsc_freq' | 'fdt';

export type Prefill =
  | { kind: 'file'; path: string; /** bytes of the file */ data: Uint8Array }
  | { kind: 'bootinfo'; type: PrefillBootinfo };

export interface MemoryRegion {
  name: string;
  size: bigint;
  /** after the tool's 2 MiB promotion (§A.13) */
  pageSize: bigint;
  /** true when the SDF gave `page_size` */
  pageSizeExplicit: boolean;
  physAddr: bigint | null;
  prefill: Prefill | null;
  pos: SourcePos;
}

export interface ChannelEnd {
  pd: string;
  pdIndex: number;
  id: number;
  pp: boolean;
  notify: boolean;
  setvarId: string | null;
  pos: SourcePos;
}

export interface Channel {
  ends: [ChannelEnd, ChannelEnd];
  pos: SourcePos;
}

export interface IoMap {
  mr: string;
  iovaddr: bigint;
  perms: { read: boolean; write: boolean };
  pos: SourcePos;
}

export interface IoAddressSpace {
  name: string;
  peripheral: PciAddress;
  /** VT-d domain id (required on x86_64) */
  domainId: bigint | null;
  maps: IoMap[];
  pos: SourcePos;
}

export interface Domain {
  name: string;
  id: number;
  pos: SourcePos;
}

export type ScheduleEntry =
  | { kind: 'entry'; domain: string; domainId: number; duration: bigint; unit: 'us' | 'ticks'; pos: SourcePos }
  | { kind: 'end_marker'; pos: SourcePos };

export interface DomainSchedule {
  domains: Domain[];
  entries: ScheduleEntry[];
  startIndex: number;
  indexShift: number | null;
  pos: SourcePos;
}

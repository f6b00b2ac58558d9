/** The capDL spec the build derives from a system description: named objects, the caps in
 * their slots, and every address-space mapping. Objects are referenced directly (not by id);
 * ids are assigned after the tool's sort (paddr first, then size descending, then name). */
import type { SourcePos } from '../sdf';

export type SpecObjectKind =
  | 'tcb' | 'sched_context' | 'cnode' | 'endpoint' | 'notification' | 'reply' | 'frame' | 'page_table'
  | 'vcpu' | 'irq' | 'ioports' | 'iospace' | 'io_page_table' | 'arm_smc';

export interface Rights {
  read: boolean;
  write: boolean;
  grant: boolean;
  grantReply: boolean;
}

export interface SpecCap {
  obj: SpecObject;
  rights?: Rights;
  badge?: bigint;
  /** CNode caps */
  guard?: bigint;
  guardSize?: number;
  /** frame caps */
  cached?: boolean;
  executable?: boolean;
}

export interface TcbExtra {
  ip: bigint;
  sp: bigint;
  ipcBuffer: bigint;
  prio: number;
  maxPrio: number;
  affinity: number;
  fpuDisabled: boolean;
  resume: boolean;
  domain: number | null;
}

export type IrqInfo =
  | { kind: 'conventional'; irq: bigint; trigger: 'level' | 'edge'; cpu: number }
  | { kind: 'ioapic'; vector: number; ioapic: bigint; pin: bigint; trigger: 'level' | 'edge'; polarity: 'low' | 'high' }
  | { kind: 'msi'; vector: number; bus: number; dev: number; func: number; handle: bigint };

/** What a frame holds when the initialiser starts it. */
export type FrameFill = 'none' | 'elf' | 'prefill' | 'bootinfo';

export interface SpecObject {
  /** index in the sorted object list (set by sortSpec) */
  id: number;
  name: string;
  kind: SpecObjectKind;
  /** bytes = 2^sizeBits; 0 for objects that take no memory (IRQs, I/O ports, IOSpace, SMC) */
  sizeBits: number;
  /** fixed physical address, if the spec gives one */
  paddr: bigint | null;
  /** CNode slots, page-table entries, TCB bound caps, IRQ notification (slot 0) */
  slots: Map<number, SpecCap>;
  /** page tables: level (0 = root), root flag, EPT flag */
  level?: number;
  isRoot?: boolean;
  ept?: boolean;
  /** CNode radix */
  radix?: number;
  tcb?: TcbExtra;
  sc?: { budget: bigint; period: bigint; badge: bigint };
  irq?: IrqInfo;
  ioports?: { first: number; last: number };
  iospace?: { domainId: bigint; bus: number; dev: number; func: number };
  fill?: FrameFill;
  /** bytes of initial content the initialiser copies in (ELF data, prefill) */
  fillBytes?: number;
  /** the tool will choose a fixed address for it (a `region_paddr` region on A/R): never embedded */
  willBePlaced?: boolean;
  /** byte offset inside the initial task's image when the frame is embedded there (used in place, not retyped) */
  embeddedOffset?: bigint;
  /** memory region a frame belongs to */
  mr?: string;
  /** the SDF element this object comes from (for build errors) */
  pos: SourcePos | null;
}

export type MappingWhat = 'elf' | 'stack' | 'ipc_buffer' | 'memory_region';

export interface SpecMapping {
  /** virtual, guest-physical or IO address */
  addr: bigint;
  frame: SpecObject;
  sizeBits: number;
  rights: { read: boolean; write: boolean; execute: boolean };
  cached: boolean;
  what: MappingWhat;
  mr: string | null;
}

export type AddressSpaceKind = 'vspace' | 'ept' | 'iospace';

export interface SpecAddressSpace {
  /** PD, VM or device name */
  name: string;
  kind: AddressSpaceKind;
  root: SpecObject;
  mappings: SpecMapping[];
}

/** The objects that make up one PD (or the monitor), for views and the runtime. */
export interface PdObjects {
  name: string;
  /** flattened PD index, -1 for the monitor */
  pdIndex: number;
  tcb: SpecObject;
  sc: SpecObject;
  cnode: SpecObject;
  /** the PD's 64-slot root CNode (absent for the monitor) */
  rootCnode: SpecObject | null;
  vspace: SpecObject;
  notification: SpecObject | null;
  endpoint: SpecObject | null;
  reply: SpecObject;
  vcpu: SpecObject | null;
  ept: SpecObject | null;
  stackBottom: bigint;
  ipcBuffer: bigint;
  entry: bigint;
  /** the synthetic image's segments */
  segments: ImageSegment[];
}

export interface ImageSegment {
  vaddr: bigint;
  /** bytes in memory (file data + zero fill) */
  memSize: bigint;
  /** bytes of file data */
  fileSize: bigint;
  read: boolean;
  write: boolean;
  execute: boolean;
}

export interface BuildSpec {
  /** sorted: fixed paddr ascending, then size descending, then name */
  objects: SpecObject[];
  addressSpaces: SpecAddressSpace[];
  pds: PdObjects[];
  monitor: PdObjects;
  /** IRQ handler objects, sorted by number */
  irqs: SpecObject[];
}

export const RW: Rights = { read: true, write: true, grant: false, grantReply: false };
export const RWG: Rights = { read: true, write: true, grant: true, grantReply: false };

/** frames hold no caps: they share one empty (never written) slot map */
const NO_SLOTS: Map<number, SpecCap> = new Map();

export function newObject(kind: SpecObjectKind, name: string, sizeBits: number, pos: SourcePos | null, extra: Partial<SpecObject> = {}): SpecObject {
  const o: SpecObject = { id: -1, name, kind, sizeBits, paddr: null, slots: kind === 'frame' ? NO_SLOTS : new Map(), pos };
  return Object.assign(o, extra);
}

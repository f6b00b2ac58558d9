/** Kernel objects and capabilities as plain records with numeric ids (fast, serialisable, easy to enumerate). */
import { NUM_USER_REGS, ThreadState, type ThreadStateNum } from './constants';

export const CapKind = {
  Null: 0, Untyped: 1, Endpoint: 2, Notification: 3, Reply: 4, CNode: 5, TCB: 6, SchedContext: 7, SchedControl: 8,
  Frame: 9, PML4: 10, PDPT: 11, PageDirectory: 12, PageTable: 13, IOPageTable: 14, IOSpace: 15, ASIDControl: 16,
  ASIDPool: 17, IRQControl: 18, IRQHandler: 19, IOPortControl: 20, IOPort: 21, VCPU: 22, EPTPML4: 23, EPTPDPT: 24,
  EPTPD: 25, EPTPT: 26, Domain: 27, Zombie: 28,
} as const;
export type CapKindNum = (typeof CapKind)[keyof typeof CapKind];
export const CAP_KIND_NAMES = Object.keys(CapKind);

export const MapType = { None: 0, VSpace: 1, IOSpace: 2, EPT: 3 } as const;

/** A capability. One small flat shape for every kind (monomorphic and cheap to allocate): the per-kind fields
 * share five storage slots through accessors, because no kind uses two fields that share a slot. */
export class Cap {
  kind: CapKindNum = CapKind.Null;
  /** object id (-1 when the cap names no object, e.g. untyped, IRQ control) */
  obj = -1;
  /** physical address as a double (exact: physical addresses are < 2^53); `paddr` is its bigint view */
  pa!: number;
  sizeBits = 0;
  rights = 0;
  badge = 0n;
  // shared storage: a = freeIndex | radix | mapAsid | irq | first | core | asidBase; b = guardSize | mapType | last;
  // c = vmRights | linkedVcpu; d = guard | mapVaddr; e = isDevice | mapped
  a!: number;
  b = 0;
  c = 0;
  d = 0n;
  e = false;

  constructor() {
    // `pa` and `a` can hold values beyond 2^31; given a number initialiser V8 would store them as boxed doubles
    // (two extra heap objects per cap). Declared without one, they start undefined and stay plain tagged slots.
    this.pa = 0;
    this.a = 0;
  }

  get paddr(): bigint { return BigInt(this.pa); }
  set paddr(v: bigint) { this.pa = Number(v); }
  /** Untyped watermark in 16-byte units */
  get freeIndex(): number { return this.a; }
  set freeIndex(v: number) { this.a = v; }
  get isDevice(): boolean { return this.e; }
  set isDevice(v: boolean) { this.e = v; }
  get radix(): number { return this.a; }
  set radix(v: number) { this.a = v; }
  get guardSize(): number { return this.b; }
  set guardSize(v: number) { this.b = v; }
  get guard(): bigint { return this.d; }
  set guard(v: bigint) { this.d = v; }
  /** Frame: VM rights; mapping record (type, ASID, vaddr). Tables/PML4: mapped flag + ASID + vaddr. */
  get vmRights(): number { return this.c; }
  set vmRights(v: number) { this.c = v; }
  get mapType(): number { return this.b; }
  set mapType(v: number) { this.b = v; }
  get mapAsid(): number { return this.a; }
  set mapAsid(v: number) { this.a = v; }
  get mapVaddr(): bigint { return this.d; }
  set mapVaddr(v: bigint) { this.d = v; }
  get mapped(): boolean { return this.e; }
  set mapped(v: boolean) { this.e = v; }
  /** IRQ handler: kernel IRQ number */
  get irq(): number { return this.a; }
  set irq(v: number) { this.a = v; }
  /** IOPort range and the VCPU object it is linked to (-1 none; stored +1 so the default 0 means none) */
  get first(): number { return this.a; }
  set first(v: number) { this.a = v; }
  get last(): number { return this.b; }
  set last(v: number) { this.b = v; }
  get linkedVcpu(): number { return this.c - 1; }
  set linkedVcpu(v: number) { this.c = v + 1; }
  /** SchedControl: the core it configures */
  get core(): number { return this.a; }
  set core(v: number) { this.a = v; }
  /** ASIDPool: the pool's ASID base */
  get asidBase(): number { return this.a; }
  set asidBase(v: number) { this.a = v; }

  clone(): Cap {
    const c = new Cap();
    c.kind = this.kind;
    c.obj = this.obj;
    c.pa = this.pa;
    c.sizeBits = this.sizeBits;
    c.rights = this.rights;
    c.badge = this.badge;
    c.a = this.a;
    c.b = this.b;
    c.c = this.c;
    c.d = this.d;
    c.e = this.e;
    return c;
  }
  isNull(): boolean {
    return this.kind === CapKind.Null;
  }
}

export const NULL_CAP: Readonly<Cap> = Object.freeze(new Cap());

export interface Pte {
  /** 'frame' leaf or 'table' (next level object id) */
  table: number; // object id of the next-level table, -1 for a frame leaf
  paddr: bigint;
  sizeBits: number;
  vmRights: number;
  attr: number;
}

export interface KObjectBase {
  id: number;
  /** ObjectType number */
  type: number;
  readonly paddr: bigint;
  pa: number;
  sizeBits: number;
  alive: boolean;
}

export class EndpointObj implements KObjectBase {
  alive = true;
  /** 0 idle, 1 send queue, 2 recv queue */
  state = 0;
  qHead = -1;
  qTail = -1;
  constructor(public id: number, public type: number, paddr: bigint | number, public sizeBits: number) {
    this.pa = Number(paddr);
  }
  /** physical address as a double (exact below 2^53) */
  pa: number;
  get paddr(): bigint {
    return BigInt(this.pa);
  }
}

export class NotificationObj implements KObjectBase {
  alive = true;
  /** 0 idle, 1 waiting, 2 active */
  state = 0;
  word = 0n;
  qHead = -1;
  qTail = -1;
  boundTcb = -1;
  boundSc = -1;
  constructor(public id: number, public type: number, paddr: bigint | number, public sizeBits: number) {
    this.pa = Number(paddr);
  }
  /** physical address as a double (exact below 2^53) */
  pa: number;
  get paddr(): bigint {
    return BigInt(this.pa);
  }
}

export class ReplyObj implements KObjectBase {
  alive = true;
  /** TCB blocked on this reply (the caller), -1 none */
  tcb = -1;
  /** receiver that supplied this reply object while blocked in Recv, -1 none */
  receiver = -1;
  /** SC donated through this reply (returned on reply), -1 none */
  donatedSc = -1;
  constructor(public id: number, public type: number, paddr: bigint | number, public sizeBits: number) {
    this.pa = Number(paddr);
  }
  /** physical address as a double (exact below 2^53) */
  pa: number;
  get paddr(): bigint {
    return BigInt(this.pa);
  }
}

export class SchedContextObj implements KObjectBase {
  alive = true;
  budget = 0n; // µs
  period = 0n; // µs (0 = round robin)
  extraRefills = 0;
  badge = 0n;
  sporadic = false;
  configured = false;
  tcb = -1;
  ntfn = -1;
  reply = -1;
  core = 0;
  consumed = 0n;
  /** remaining budget in the current period, µs */
  remaining = 0n;
  /** time when the budget is replenished (release queue), µs */
  releaseAt = 0n;
  constructor(public id: number, public type: number, paddr: bigint | number, public sizeBits: number) {
    this.pa = Number(paddr);
  }
  /** physical address as a double (exact below 2^53) */
  pa: number;
  get paddr(): bigint {
    return BigInt(this.pa);
  }
}

export class CNodeObj implements KObjectBase {
  alive = true;
  constructor(public id: number, public type: number, paddr: bigint | number, public sizeBits: number, public radix: number, public slotBase: number) {
    this.pa = Number(paddr);
  }
  pa: number;
  get paddr(): bigint {
    return BigInt(this.pa);
  }
}

/** Paging structure of either kind (VSpace or EPT); entries are sparse. */
export class TableObj implements KObjectBase {
  alive = true;
  entries = new Map<number, Pte>();
  /** where it is mapped (object id of parent table, index) */
  parent = -1;
  parentIndex = -1;
  /** PML4 / EPT PML4: assigned ASID (0 = none) */
  asid = 0;
  constructor(public id: number, public type: number, paddr: bigint | number, public sizeBits: number) {
    this.pa = Number(paddr);
  }
  /** physical address as a double (exact below 2^53) */
  pa: number;
  get paddr(): bigint {
    return BigInt(this.pa);
  }
}

export class AsidPoolObj implements KObjectBase {
  alive = true;
  /** 512 entries: object id of the VSpace/EPT root, -1 empty */
  entries = new Int32Array(512).fill(-1);
  /** index in the ASID table (pool number) */
  poolIndex = -1;
  constructor(public id: number, public type: number, paddr: bigint | number, public sizeBits: number) {
    this.pa = Number(paddr);
  }
  /** physical address as a double (exact below 2^53) */
  pa: number;
  get paddr(): bigint {
    return BigInt(this.pa);
  }
}

export class FrameObj implements KObjectBase {
  alive = true;
  constructor(public id: number, public type: number, paddr: bigint | number, public sizeBits: number) {
    this.pa = Number(paddr);
  }
  /** physical address as a double (exact below 2^53) */
  pa: number;
  get paddr(): bigint {
    return BigInt(this.pa);
  }
}

export class VcpuObj implements KObjectBase {
  alive = true;
  tcb = -1;
  vmcs = new Map<number, bigint>();
  /** guest GP registers: EAX, EBX, ECX, EDX, ESI, EDI, EBP (+R8..R15) */
  gpr = new BigUint64Array(15);
  /** I/O bitmap: 1 = port allowed (no exit) */
  ioAllowed = new Uint8Array(65536);
  /** bumped on every change to ioAllowed, so a guest runner can cache its hardware bitmap */
  ioVersion = 0;
  launched = false;
  vpid = 0;
  constructor(public id: number, public type: number, paddr: bigint | number, public sizeBits: number) {
    this.pa = Number(paddr);
  }
  /** physical address as a double (exact below 2^53) */
  pa: number;
  get paddr(): bigint {
    return BigInt(this.pa);
  }
}

export interface FaultRecord {
  label: number;
  mrs: bigint[];
}

export class TcbObj implements KObjectBase {
  alive = true;
  state: ThreadStateNum = ThreadState.Inactive;
  prio = 0;
  mcp = 0;
  domain = 0;
  /** first slot id of the internal 16-slot CNode */
  slotBase = -1;
  regs = new BigUint64Array(NUM_USER_REGS);
  /** IPC buffer contents (128 words: tag, msg[120], userData, caps[3], recvCNode, recvIndex, recvDepth) */
  buf = new BigUint64Array(128);
  /** syscall registers */
  capReg = 0n; // RDI: cptr in, badge out
  msgInfo = 0n; // RSI
  replyReg = 0n; // R12 (MCS reply cptr)
  destReg = 0n; // R13 (NBSendRecv dest)
  ipcBufferVaddr = 0n;
  boundNtfn = -1;
  sc = -1;
  /** scheduling-context donation: SC lent by a notification or a caller */
  yieldTo = -1;
  vcpu = -1;
  core = 0;
  flags = 0n;
  tlsBase = 0n;
  /** object the thread is blocked on (endpoint / notification / reply), -1 none */
  blockedOn = -1;
  /** blocked-state details */
  blockIsCall = false;
  blockCanGrant = false;
  blockCanGrantReply = false;
  blockBadge = 0n;
  blockReply = -1;
  /** queue links (endpoint / notification queue) */
  qNext = -1;
  qPrev = -1;
  /** ready-queue links */
  rqNext = -1;
  rqPrev = -1;
  inReadyQueue = false;
  inReleaseQueue = false;
  /** pending fault being delivered */
  fault: FaultRecord | null = null;
  /** lab convenience: a reply object without a cap, used by receives that name no reply cap (non-MCS style) */
  implicitReply = -1;
  /** label of the last fault this thread raised (for reports) */
  lastFaultLabel = 0;
  /** reply object the caller is waiting on (BlockedOnReply) */
  replyObj = -1;
  timeslice = 5;
  name = '';
  constructor(public id: number, public type: number, paddr: bigint | number, public sizeBits: number) {
    this.pa = Number(paddr);
  }
  /** physical address as a double (exact below 2^53) */
  pa: number;
  get paddr(): bigint {
    return BigInt(this.pa);
  }
  mr(i: number): bigint {
    return this.buf[1 + i];
  }
  setMr(i: number, v: bigint): void {
    this.buf[1 + i] = BigInt.asUintN(64, v);
  }
}

export type KObject = EndpointObj | NotificationObj | ReplyObj | SchedContextObj | CNodeObj | TableObj | AsidPoolObj | FrameObj | VcpuObj | TcbObj;

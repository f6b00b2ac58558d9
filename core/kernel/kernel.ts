/** The kernel state: objects by numeric id, slots + MDB, ASID table, IRQ and I/O-port tables, threads.
 * Operations live in their own files (cnodeOps, retype, deletion, ipc, ...) as functions over this state. */
import type { IoPortBus } from './ioBus';
import type { Board } from '../boards';
import { NUM_IRQS, NUM_PRIORITIES, ObjectType, TCB_CNODE_SLOTS, ThreadState } from './constants';
import type { KernelEvent, KernelEventHook } from './events';
import { AsidPoolObj, CNodeObj, EndpointObj, FrameObj, NotificationObj, ReplyObj, SchedContextObj, TableObj, TcbObj, VcpuObj, type KObject } from './objects';
import { SlotTable } from './slots';
const OT = { ...ObjectType };
/** What a guest run reports back to the kernel (the x86 CPU plugs in here later). */
export interface GuestExit {
  /** basic exit reason (VMX) */
  reason: number;
  qualification: bigint;
  instructionLength: bigint;
  guestPhysical: bigint;
}

/** Runs a VCPU's guest until it exits. Reads/writes vcpu.vmcs (GUEST_RIP, RFLAGS, ...) and vcpu.gpr.
 * Returns null when the guest is still running after its slice (the kernel keeps the thread in RunningVM). */
export interface GuestRunner {
  run(vcpu: VcpuObj, tcb: TcbObj, kernel: Kernel): GuestExit | null;
}

export interface KernelOptions {
  cores?: number;
  guestRunner?: GuestRunner;
}

export class Kernel {
  readonly objects: (KObject | undefined)[] = [];
  readonly slots = new SlotTable();
  /** ASID table: pool object id per pool index, -1 none */
  readonly asidTable = new Int32Array(8).fill(-1);
  /** kernel IRQ notification slots (slot id per IRQ) */
  readonly irqSlotBase: number;
  /** per-IRQ state: 0 inactive, 1 signal (handler issued), 2 masked-pending-ack */
  readonly irqState = new Uint8Array(NUM_IRQS);
  readonly irqMasked = new Uint8Array(NUM_IRQS);
  /** global I/O port allocation bitmap */
  readonly ioPortIssued = new Uint8Array(65536);
  /** simulated I/O port bus values (In returns the last Out, 0 initially) */
  readonly ioPortValues = new Map<number, bigint>();
  readonly cores: number;
  /** per-core current thread id (-1 idle) */
  readonly current: Int32Array;
  /** per-core scheduler action (seL4 ksSchedulerAction): -1 resume current, -2 choose new thread, >= 0 a candidate TCB */
  readonly action: Int32Array;
  /** the core whose kernel code is running (set by the engine before each kernel entry) */
  execCore = 0;
  /** ready queues: per core, per priority, head/tail of TCB ids */
  readonly rqHead: Int32Array;
  readonly rqTail: Int32Array;
  /** per core, 8 words of 32 bits: bit p set when priority p's ready queue is non-empty (seL4's ready-queue bitmap) */
  readonly rqBitmap: Uint32Array;
  /** µs since boot (advanced only by the engine) */
  now = 0n;
  readonly releaseQueue: number[] = [];
  guestRunner: GuestRunner | null;
  /** devices behind I/O ports (the VMM/device models plug in here); without one, In returns the last Out */
  ioBus: IoPortBus | null = null;
  hook: KernelEventHook | null = null;
  board: Board | null = null;

  constructor(opts: KernelOptions = {}) {
    this.cores = opts.cores ?? 1;
    this.current = new Int32Array(this.cores).fill(-1);
    this.action = new Int32Array(this.cores).fill(-1);
    this.rqHead = new Int32Array(this.cores * NUM_PRIORITIES).fill(-1);
    this.rqTail = new Int32Array(this.cores * NUM_PRIORITIES).fill(-1);
    this.rqBitmap = new Uint32Array(this.cores * 8);
    this.irqSlotBase = this.slots.alloc(NUM_IRQS, -2);
    this.guestRunner = opts.guestRunner ?? null;
  }

  emit(e: KernelEvent): void {
    this.hook?.(e);
  }

  // ---- objects ----
  newObject(type: number, paddr: bigint | number, sizeBits: number): KObject {
    const id = this.objects.length;
    let o: KObject;
    switch (type) {
      case OT.seL4_TCBObject: {
        const t = new TcbObj(id, type, paddr, sizeBits);
        this.objects.push(t);
        t.slotBase = this.slots.alloc(TCB_CNODE_SLOTS, id);
        t.state = ThreadState.Inactive;
        return t;
      }
      case OT.seL4_EndpointObject:
        o = new EndpointObj(id, type, paddr, sizeBits);
        break;
      case OT.seL4_NotificationObject:
        o = new NotificationObj(id, type, paddr, sizeBits);
        break;
      case OT.seL4_ReplyObject:
        o = new ReplyObj(id, type, paddr, sizeBits);
        break;
      case OT.seL4_SchedContextObject:
        o = new SchedContextObj(id, type, paddr, sizeBits);
        break;
      case OT.seL4_CapTableObject: {
        const radix = sizeBits - 5;
        this.objects.push(undefined);
        const c = new CNodeObj(id, type, paddr, sizeBits, radix, this.slots.alloc(1 << radix, id));
        this.objects[id] = c;
        return c;
      }
      case OT.seL4_X86_VCPUObject:
        o = new VcpuObj(id, type, paddr, sizeBits);
        break;
      case OT.seL4_X86_4K:
      case OT.seL4_X86_LargePageObject:
      case OT.seL4_X64_HugePageObject:
        o = new FrameObj(id, type, paddr, sizeBits);
        break;
      case -1: // ASID pool (no object type number; made by ASIDControl_MakePool)
        o = new AsidPoolObj(id, type, paddr, sizeBits);
        break;
      default:
        o = new TableObj(id, type, paddr, sizeBits);
    }
    this.objects.push(o);
    return o;
  }

  obj<T extends KObject>(id: number): T {
    return this.objects[id] as T;
  }
  tcb(id: number): TcbObj {
    return this.objects[id] as TcbObj;
  }

  /** Destroy an object (after its last cap went away). CNode/TCB slot ranges are released for reuse. */
  destroyObject(id: number): void {
    const o = this.objects[id];
    if (!o || !o.alive) return;
    o.alive = false;
    if (o instanceof CNodeObj) this.slots.release(o.slotBase, 1 << o.radix);
    else if (o instanceof TcbObj) this.slots.release(o.slotBase, TCB_CNODE_SLOTS);
  }

  /** All live objects (for views and invariants). */
  *liveObjects(): IterableIterator<KObject> {
    for (const o of this.objects) if (o && o.alive) yield o;
  }
}

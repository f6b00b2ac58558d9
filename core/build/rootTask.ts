/** The initialiser's system calls: libsel4-style invocations made by the root task through the
 * kernel's syscall entry (seL4_Call with message registers and extra caps), never by touching
 * kernel state directly. A failing invocation throws InvocationError with the seL4 error name. */
import {
  ERROR_NAMES, Label, Sys, handleSyscall, makeInfo, msgLabel, type Kernel, type LabelName, type TcbObj,
} from '../kernel';

export class InvocationError extends Error {
  constructor(readonly call: string, readonly error: number, readonly mrs: bigint[]) {
    super(`${call} failed: ${ERROR_NAMES[error] ?? error}`);
  }
}

// plain copies: hot path, and module namespace getters are slow under some loaders
const L: Record<LabelName, number> = { ...Label };
const SYS_CALL = Sys.Call;

/** BigInt(n) allocates: cptrs and small words are converted once and kept (a build uses ~15k distinct ones) */
const SMALL: bigint[] = [];
const SMALL_LIMIT = 1 << 20;
function big(n: number): bigint {
  if (n >= SMALL_LIMIT) return BigInt(n);
  let b = SMALL[n];
  if (b === undefined) SMALL[n] = b = BigInt(n);
  return b;
}
/** message info words by (label, extra caps, length) */
const INFOS = new Map<number, bigint>();
function info(label: number, caps: number, len: number): bigint {
  const key = (label << 9) | (caps << 7) | len;
  let i = INFOS.get(key);
  if (i === undefined) INFOS.set(key, (i = makeInfo(BigInt(label), 0, caps, len)));
  return i;
}
/** message words are 64-bit; on a little-endian host a small one is written as two 32-bit halves without a BigInt */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO32 = 2 ** 32;

/** Marshalling: the invocation helpers put their words with `w`/`wb` and caps with `c`, then `send`. */
export class RootTask {
  /** invocations made so far */
  calls = 0;
  private readonly buf: BigUint64Array;
  private readonly halves: Uint32Array | null;
  constructor(readonly k: Kernel, readonly tcb: TcbObj, readonly cnodeBits: number) {
    this.buf = tcb.buf;
    this.halves = LITTLE_ENDIAN ? new Uint32Array(tcb.buf.buffer, tcb.buf.byteOffset, tcb.buf.length * 2) : null;
  }

  /** message register i := a non-negative integer below 2^53 */
  private w(i: number, v: number): void {
    const h = this.halves;
    if (h === null) { this.buf[1 + i] = BigInt(v); return; }
    const lo = v % TWO32;
    h[2 + 2 * i] = lo;
    h[3 + 2 * i] = (v - lo) / TWO32;
  }
  /** message register i := a 64-bit word (negative values wrap, as in a C cast) */
  private wb(i: number, v: bigint): void {
    this.buf[1 + i] = v;
  }
  /** extra cap i := cptr */
  private c(i: number, cptr: number): void {
    const h = this.halves;
    if (h === null) { this.buf[122 + i] = BigInt(cptr); return; }
    h[244 + 2 * i] = cptr;
    h[245 + 2 * i] = 0;
  }

  /** seL4_Call(cptr) with the words and caps already placed; throws on an error reply. */
  private send(name: LabelName, cptr: number, len: number, caps: number): void {
    const t = this.tcb;
    t.msgInfo = info(L[name], caps, len);
    t.capReg = big(cptr);
    handleSyscall(this.k, t, SYS_CALL);
    this.calls++;
    const reply = t.msgInfo;
    // label 0 (no error) ⇔ the info word is below 2^12
    if (reply >= 4096n) {
      const err = Number(msgLabel(reply));
      throw new InvocationError(name, err, Array.from(this.buf.slice(1, 1 + Number(reply & 0x7fn))));
    }
  }

  // ---- the invocations the initialiser needs (argument order as libsel4) ----
  retype(untyped: number, type: number, sizeBits: number, destSlot: number, count = 1): void {
    this.w(0, type); this.w(1, sizeBits); this.w(2, 0); this.w(3, 0); this.w(4, destSlot); this.w(5, count);
    this.c(0, this.rootCNode);
    this.send('UntypedRetype', untyped, 6, 1);
  }
  /** CNode_Mint into `destCNode` (a cap in the root CNode) at `destIndex` of depth `destDepth`. */
  mint(destCNode: number, destIndex: number, destDepth: number, srcSlot: number, rights: number, badge: bigint): void {
    this.w(0, destIndex); this.w(1, destDepth); this.w(2, srcSlot); this.w(3, this.rootDepth); this.w(4, rights); this.wb(5, badge);
    this.c(0, this.rootCNode);
    this.send('CNodeMint', destCNode, 6, 1);
  }
  copy(destCNode: number, destIndex: number, destDepth: number, srcSlot: number, rights: number): void {
    this.w(0, destIndex); this.w(1, destDepth); this.w(2, srcSlot); this.w(3, this.rootDepth); this.w(4, rights);
    this.c(0, this.rootCNode);
    this.send('CNodeCopy', destCNode, 5, 1);
  }
  /** Mint with CNode cap data (guard) */
  mintGuard(destCNode: number, destIndex: number, destDepth: number, srcSlot: number, guard: bigint, guardSize: number): void {
    const capData = (guard << 6n) | BigInt(guardSize);
    this.mint(destCNode, destIndex, destDepth, srcSlot, 0xf, capData);
  }
  asidAssign(pool: number, root: number): void {
    this.c(0, root);
    this.send('X86ASIDPoolAssign', pool, 0, 1);
  }
  mapTable(label: LabelName, table: number, root: number, vaddr: bigint, attr: number): void {
    this.wb(0, vaddr); this.w(1, attr);
    this.c(0, root);
    this.send(label, table, 2, 1);
  }
  mapPage(frame: number, root: number, vaddr: bigint, rights: number, attr: number, ept: boolean): void {
    this.wb(0, vaddr); this.w(1, rights); this.w(2, attr);
    this.c(0, root);
    this.send(ept ? 'X86PageMapEPT' : 'X86PageMap', frame, 3, 1);
  }
  schedConfigure(schedControl: number, sc: number, budget: bigint, period: bigint, badge: bigint): void {
    this.wb(0, budget); this.wb(1, period); this.w(2, 0); this.wb(3, badge); this.w(4, 0);
    this.c(0, sc);
    this.send('SchedControlConfigureFlags', schedControl, 5, 1);
  }
  tcbConfigure(tcb: number, cspace: number, cspaceData: bigint, vspace: number, ipcVaddr: bigint, ipcFrame: number): void {
    this.wb(0, cspaceData); this.w(1, 0); this.wb(2, ipcVaddr);
    this.c(0, cspace); this.c(1, vspace); this.c(2, ipcFrame);
    this.send('TCBConfigure', tcb, 3, 3);
  }
  tcbSchedParams(tcb: number, mcp: number, prio: number, sc: number, faultEp: number): void {
    this.w(0, mcp); this.w(1, prio);
    this.c(0, this.rootTcb); this.c(1, sc); this.c(2, faultEp);
    this.send('TCBSetSchedParams', tcb, 2, 3);
  }
  tcbBindNotification(tcb: number, ntfn: number): void {
    this.c(0, ntfn);
    this.send('TCBBindNotification', tcb, 0, 1);
  }
  tcbSetEptRoot(tcb: number, ept: number): void {
    this.c(0, ept);
    this.send('TCBSetEPTRoot', tcb, 0, 1);
  }
  tcbSetFlags(tcb: number, clear: bigint, set: bigint): void {
    this.wb(0, clear); this.wb(1, set);
    this.send('TCBSetFlags', tcb, 2, 0);
  }
  /** WriteRegisters(resume=false) of the whole seL4_UserContext (20 registers): rip, rsp, the rest 0 */
  tcbWriteAllRegisters(tcb: number, ip: bigint, sp: bigint): void {
    this.w(0, 0); this.w(1, 20); this.wb(2, ip); this.wb(3, sp);
    for (let i = 2; i < 20; i++) this.w(2 + i, 0);
    this.send('TCBWriteRegisters', tcb, 22, 0);
  }
  domainSet(domain: number, tcb: number): void {
    this.w(0, domain);
    this.c(0, tcb);
    this.send('DomainSetSet', this.domain, 1, 1);
  }
  tcbSetTimeoutEndpoint(tcb: number, ep: number): void {
    this.c(0, ep);
    this.send('TCBSetTimeoutEndpoint', tcb, 0, 1);
  }
  tcbResume(tcb: number): void {
    this.send('TCBResume', tcb, 0, 0);
  }
  /** the initialiser's last act: suspend itself (no reply comes back) */
  suspendSelf(): void {
    const t = this.tcb;
    t.msgInfo = info(L.TCBSuspend, 0, 0);
    t.capReg = big(this.rootTcb);
    handleSyscall(this.k, t, SYS_CALL);
    this.calls++;
  }
  vcpuSetTcb(vcpu: number, tcb: number): void {
    this.c(0, tcb);
    this.send('X86VCPUSetTCB', vcpu, 0, 1);
  }
  irqGetIoapic(destSlot: number, ioapic: bigint, pin: bigint, level: number, polarity: number, vector: number): void {
    this.w(0, destSlot); this.w(1, this.rootDepth); this.wb(2, ioapic); this.wb(3, pin); this.w(4, level); this.w(5, polarity); this.w(6, vector);
    this.c(0, this.rootCNode);
    this.send('X86IRQIssueIRQHandlerIOAPIC', this.irqControl, 7, 1);
  }
  irqGetMsi(destSlot: number, bus: number, dev: number, func: number, handle: bigint, vector: number): void {
    this.w(0, destSlot); this.w(1, this.rootDepth); this.w(2, bus); this.w(3, dev); this.w(4, func); this.wb(5, handle); this.w(6, vector);
    this.c(0, this.rootCNode);
    this.send('X86IRQIssueIRQHandlerMSI', this.irqControl, 7, 1);
  }
  irqSetNotification(handler: number, ntfn: number): void {
    this.c(0, ntfn);
    this.send('IRQSetIRQHandler', handler, 0, 1);
  }
  ioPortIssue(destSlot: number, first: number, last: number): void {
    this.w(0, first); this.w(1, last); this.w(2, destSlot); this.w(3, this.rootDepth);
    this.c(0, this.rootCNode);
    this.send('X86IOPortControlIssue', this.ioPortControl, 4, 1);
  }

  /** CPtr depth that resolves a slot of the root CNode (its guard plus its radix) */
  readonly rootDepth = 64;
  // initial caps (§4.7)
  readonly rootTcb = 1;
  readonly rootCNode = 2;
  readonly irqControl = 4;
  readonly asidPool = 6;
  readonly ioPortControl = 7;
  readonly domain = 11;
}

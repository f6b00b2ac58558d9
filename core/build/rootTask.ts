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
const LABELS: Record<string, bigint> = Object.fromEntries(Object.entries(Label).map(([n, v]) => [n, BigInt(v)]));
const SYS_CALL = Sys.Call;
const NO_CAPS: number[] = [];

export class RootTask {
  /** invocations made so far */
  calls = 0;
  constructor(readonly k: Kernel, readonly tcb: TcbObj, readonly cnodeBits: number) {}

  /** seL4_Call(cptr) with label, message words and extra caps; throws on an error reply. */
  call(name: LabelName, cptr: number, words: bigint[], caps: number[] = NO_CAPS): void {
    const t = this.tcb;
    const buf = t.buf;
    for (let i = 0; i < words.length; i++) buf[1 + i] = words[i] < 0n ? BigInt.asUintN(64, words[i]) : words[i];
    for (let i = 0; i < caps.length; i++) buf[122 + i] = BigInt(caps[i]);
    t.msgInfo = makeInfo(LABELS[name], 0, caps.length, words.length);
    t.capReg = BigInt(cptr);
    handleSyscall(this.k, t, SYS_CALL);
    this.calls++;
    const err = Number(msgLabel(t.msgInfo));
    if (err !== 0) throw new InvocationError(name, err, Array.from(buf.slice(1, 1 + Number(t.msgInfo & 0x7fn))));
  }

  // ---- the invocations the initialiser needs (argument order as libsel4) ----
  retype(untyped: number, type: number, sizeBits: number, destSlot: number, count = 1): void {
    this.call('UntypedRetype', untyped, [BigInt(type), BigInt(sizeBits), 0n, 0n, BigInt(destSlot), BigInt(count)], [this.rootCNode]);
  }
  /** CNode_Mint into `destCNode` (a cap in the root CNode) at `destIndex` of depth `destDepth`. */
  mint(destCNode: number, destIndex: number, destDepth: number, srcSlot: number, rights: number, badge: bigint): void {
    this.call('CNodeMint', destCNode, [BigInt(destIndex), BigInt(destDepth), BigInt(srcSlot), BigInt(this.rootDepth), BigInt(rights), badge], [this.rootCNode]);
  }
  copy(destCNode: number, destIndex: number, destDepth: number, srcSlot: number, rights: number): void {
    this.call('CNodeCopy', destCNode, [BigInt(destIndex), BigInt(destDepth), BigInt(srcSlot), BigInt(this.rootDepth), BigInt(rights)], [this.rootCNode]);
  }
  /** Mint with CNode cap data (guard) */
  mintGuard(destCNode: number, destIndex: number, destDepth: number, srcSlot: number, guard: bigint, guardSize: number): void {
    const capData = (guard << 6n) | BigInt(guardSize);
    this.mint(destCNode, destIndex, destDepth, srcSlot, 0xf, capData);
  }
  asidAssign(pool: number, root: number): void {
    this.call('X86ASIDPoolAssign', pool, [], [root]);
  }
  mapTable(label: LabelName, table: number, root: number, vaddr: bigint, attr: number): void {
    this.call(label, table, [vaddr, BigInt(attr)], [root]);
  }
  mapPage(frame: number, root: number, vaddr: bigint, rights: number, attr: number, ept: boolean): void {
    this.call(ept ? 'X86PageMapEPT' : 'X86PageMap', frame, [vaddr, BigInt(rights), BigInt(attr)], [root]);
  }
  schedConfigure(schedControl: number, sc: number, budget: bigint, period: bigint, badge: bigint): void {
    this.call('SchedControlConfigureFlags', schedControl, [budget, period, 0n, badge, 0n], [sc]);
  }
  tcbConfigure(tcb: number, cspace: number, cspaceData: bigint, vspace: number, ipcVaddr: bigint, ipcFrame: number): void {
    this.call('TCBConfigure', tcb, [cspaceData, 0n, ipcVaddr], [cspace, vspace, ipcFrame]);
  }
  tcbSchedParams(tcb: number, mcp: number, prio: number, sc: number, faultEp: number): void {
    this.call('TCBSetSchedParams', tcb, [BigInt(mcp), BigInt(prio)], [this.rootTcb, sc, faultEp]);
  }
  tcbBindNotification(tcb: number, ntfn: number): void {
    this.call('TCBBindNotification', tcb, [], [ntfn]);
  }
  tcbSetEptRoot(tcb: number, ept: number): void {
    this.call('TCBSetEPTRoot', tcb, [], [ept]);
  }
  tcbSetFlags(tcb: number, clear: bigint, set: bigint): void {
    this.call('TCBSetFlags', tcb, [clear, set]);
  }
  /** WriteRegisters(resume=false) of the whole seL4_UserContext (20 registers): rip, rsp, the rest 0 */
  tcbWriteAllRegisters(tcb: number, ip: bigint, sp: bigint): void {
    const regs: bigint[] = [0n, 20n, ip, sp];
    for (let i = 2; i < 20; i++) regs.push(0n);
    this.call('TCBWriteRegisters', tcb, regs);
  }
  domainSet(domain: number, tcb: number): void {
    this.call('DomainSetSet', this.domain, [BigInt(domain)], [tcb]);
  }
  tcbSetTimeoutEndpoint(tcb: number, ep: number): void {
    this.call('TCBSetTimeoutEndpoint', tcb, [], [ep]);
  }
  tcbResume(tcb: number): void {
    this.call('TCBResume', tcb, []);
  }
  /** the initialiser's last act: suspend itself (no reply comes back) */
  suspendSelf(): void {
    const t = this.tcb;
    t.msgInfo = makeInfo(BigInt(Label.TCBSuspend), 0, 0, 0);
    t.capReg = BigInt(this.rootTcb);
    handleSyscall(this.k, t, Sys.Call);
    this.calls++;
  }
  vcpuSetTcb(vcpu: number, tcb: number): void {
    this.call('X86VCPUSetTCB', vcpu, [], [tcb]);
  }
  irqGetIoapic(destSlot: number, ioapic: bigint, pin: bigint, level: number, polarity: number, vector: number): void {
    this.call('X86IRQIssueIRQHandlerIOAPIC', this.irqControl, [BigInt(destSlot), BigInt(this.rootDepth), ioapic, pin, BigInt(level), BigInt(polarity), BigInt(vector)], [this.rootCNode]);
  }
  irqGetMsi(destSlot: number, bus: number, dev: number, func: number, handle: bigint, vector: number): void {
    this.call('X86IRQIssueIRQHandlerMSI', this.irqControl, [BigInt(destSlot), BigInt(this.rootDepth), BigInt(bus), BigInt(dev), BigInt(func), handle, BigInt(vector)], [this.rootCNode]);
  }
  irqSetNotification(handler: number, ntfn: number): void {
    this.call('IRQSetIRQHandler', handler, [], [ntfn]);
  }
  ioPortIssue(destSlot: number, first: number, last: number): void {
    this.call('X86IOPortControlIssue', this.ioPortControl, [BigInt(first), BigInt(last), BigInt(destSlot), BigInt(this.rootDepth)], [this.rootCNode]);
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

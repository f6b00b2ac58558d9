/** The capability lab: a booted kernel driven by libsel4-style statements, one at a time (LabSession) or as a
 * whole script (runLabScript). Blocking calls are made by other threads with `as NAME:` (see SIMPLIFICATIONS.md). */
import { BOARDS, DEFAULT_BOARD, findBoard, type Board } from '../../boards';
import { bootKernel, type Booted, type BootOptions } from '../boot';
import { ERROR_NAMES, FAULT_NAMES, ObjectType, Sys, THREAD_STATE_NAMES, ThreadState, OBJECT_TYPE_NAMES, seL4_ReplyBits } from '../constants';
import { doReplyTransfer, makeInfo, msgLabel, msgLength } from '../ipc';
import { Outcome, handleSyscall, runGuest } from '../syscall';
import { CapKind, type ReplyObj, type TcbObj } from '../objects';
import { lookupSlot } from '../lookup';
import { raiseIrq } from '../vcpu';
import type { Kernel } from '../kernel';
import { LAB_CONSTANTS } from './names';
import { NON_MCS_FORMS, STUBS } from './api';
import { LabSyntaxError, parseLine, parseScript, type Expr, type Stmt } from './parse';

export interface LabOptions {
  board?: Board | string;
  boot?: BootOptions;
  /** drive an already booted (and possibly initialised) kernel as its root task instead of booting one */
  booted?: Booted;
}

export interface LabResult {
  line: number;
  text: string;
  /** false when the line failed its `# expect` or could not run */
  ok: boolean;
  /** seL4 error number of the result (undefined for statements without one) */
  error?: number;
  /** the printed result: error name then name=0xHEX values */
  output: string;
  values: Record<string, string>;
  /** things that happened to other threads as a consequence (wake-ups) */
  notes: string[];
  expect?: string[];
  missing?: string[];
}

type Val = bigint | bigint[];
class LabRuntimeError extends Error {}

const hex = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;

interface Pending {
  kind: 'recv' | 'wait' | 'call' | 'vmenter';
  outVar?: string;
  line: number;
}

export class LabSession {
  readonly booted: Booted;
  readonly kernel: Kernel;
  readonly root: TcbObj;
  readonly vars = new Map<string, Val>();
  private current: TcbObj;
  private pending = new Map<number, Pending>();
  private threadNames = new Map<number, string>();

  constructor(opts: LabOptions = {}) {
    const board = typeof opts.board === 'string' ? findBoard(opts.board) : opts.board ?? findBoard(DEFAULT_BOARD);
    if (!board) throw new Error(`unknown board '${String(opts.board)}' (known: ${BOARDS.map((b) => b.name).join(', ')})`);
    this.booted = opts.booted ?? bootKernel(board, opts.boot);
    this.kernel = this.booted.kernel;
    this.root = this.booted.rootTcb;
    this.current = this.root;
    this.threadNames.set(this.root.id, 'root');
  }

  /** Run one line of script text. Returns null for blank/comment lines. Throws LabSyntaxError on bad syntax. */
  exec(text: string, line = 1): LabResult | null {
    const st = parseLine(text, line);
    return st ? this.execStmt(st) : null;
  }

  execStmt(st: Stmt): LabResult {
    const res: LabResult = { line: st.line, text: st.text, ok: true, output: '', values: {}, notes: [], expect: st.expect };
    try {
      const saved = this.current;
      if (st.as) this.current = this.threadFor(st.as.name);
      try {
        if (st.bootinfo) this.bootinfo(res);
        else this.statement(st, res);
      } finally {
        this.current = saved;
      }
    } catch (e) {
      if (!(e instanceof LabRuntimeError)) throw e;
      res.ok = false;
      res.output = `error: ${e.message}`;
    }
    this.checkPending(res);
    if (st.expect) {
      // an expectation decides the line's verdict, also for lines that report a lab error
      const toks = new Set(res.output.split(/\s+/));
      res.missing = st.expect.filter((t) => !toks.has(t));
      res.ok = res.missing.length === 0;
    }
    return res;
  }

  private threadFor(e: Expr): TcbObj {
    if (e.k === 'name' && e.name === 'root') return this.root;
    const v = this.scalar(this.eval(e));
    let slot: number;
    try {
      slot = lookupSlot(this.kernel, this.root, v);
    } catch {
      throw new LabRuntimeError(`'as': ${hex(v)} is not a valid cptr in the root task's CSpace`);
    }
    const c = this.kernel.slots.caps[slot];
    if (!c || c.kind !== CapKind.TCB) throw new LabRuntimeError(`'as': slot ${hex(v)} does not hold a TCB cap`);
    const t = this.kernel.tcb(c.obj);
    if (e.k === 'name' && !this.threadNames.has(t.id)) this.threadNames.set(t.id, e.name);
    return t;
  }

  private name(t: TcbObj): string {
    return this.threadNames.get(t.id) ?? `tcb${t.id}`;
  }

  private bootinfo(res: LabResult): void {
    const bi = this.booted.bootinfo;
    const lines = bi.untypedList.map((u, i) => `untyped[${i}] slot=${hex(BigInt(bi.untyped.start + i))} paddr=${hex(u.paddr)} size_bits=${u.sizeBits} ${u.isDevice ? 'device' : 'ram'}`);
    res.error = 0;
    res.output = `seL4_NoError untyped_start=${hex(BigInt(bi.untyped.start))} untyped_end=${hex(BigInt(bi.untyped.end))} empty_start=${hex(BigInt(bi.empty.start))} empty_end=${hex(BigInt(bi.empty.end))} schedcontrol_start=${hex(BigInt(bi.schedcontrol.start))}`;
    res.notes.push(...lines);
  }

  // ---- evaluation ----
  private scalar(v: Val): bigint {
    if (Array.isArray(v)) throw new LabRuntimeError('a register list is not a number');
    return v;
  }

  private lookupName(n: string): Val {
    const v = this.vars.get(n);
    if (v !== undefined) return v;
    const c = LAB_CONSTANTS.get(n);
    if (c !== undefined) return c;
    const bi = this.booted.bootinfo;
    const special: Record<string, number> = {
      untyped_start: bi.untyped.start, untyped_end: bi.untyped.end, empty_start: bi.empty.start, empty_end: bi.empty.end,
      schedcontrol_start: bi.schedcontrol.start, schedcontrol_end: bi.schedcontrol.end, num_untypeds: bi.untypedList.length,
    };
    if (n === 'largest_ram_untyped') {
      let best = -1;
      bi.untypedList.forEach((u, i) => { if (!u.isDevice && (best < 0 || u.sizeBits > bi.untypedList[best].sizeBits)) best = i; });
      return BigInt(bi.untyped.start + best);
    }
    if (n in special) return BigInt(special[n]);
    throw new LabRuntimeError(`unknown name '${n}'`);
  }

  private eval(e: Expr): Val {
    switch (e.k) {
      case 'num': return e.v;
      case 'name': return this.lookupName(e.name);
      case 'list': return e.items.map((x) => this.scalar(this.eval(x)));
      case 'addr': return 0n;
      case 'un': {
        const v = this.scalar(this.eval(e.e));
        return e.op === '-' ? BigInt.asUintN(64, -v) : e.op === '~' ? BigInt.asUintN(64, ~v) : v === 0n ? 1n : 0n;
      }
      case 'bin': {
        const a = this.scalar(this.eval(e.a));
        const b = this.scalar(this.eval(e.b));
        const r = binop(e.op, a, b);
        if (r === null) throw new LabRuntimeError(`division by zero`);
        return BigInt.asUintN(64, r);
      }
      case 'index': {
        const i = Number(this.scalar(this.eval(e.index)));
        const bi = this.booted.bootinfo;
        if (e.base === 'untyped') {
          if (i < 0 || i >= bi.untypedList.length) throw new LabRuntimeError(`untyped[${i}] does not exist (${bi.untypedList.length} untypeds)`);
          return BigInt(bi.untyped.start + i);
        }
        if (e.base === 'ram_untyped' || e.base === 'device_untyped') {
          const want = e.base === 'device_untyped';
          const idx = bi.untypedList.map((u, j) => [u, j] as const).filter(([u]) => u.isDevice === want).map(([, j]) => j);
          if (i < 0 || i >= idx.length) throw new LabRuntimeError(`${e.base}[${i}] does not exist (${idx.length})`);
          return BigInt(bi.untyped.start + idx[i]);
        }
        if (e.base === 'untyped_size_bits') return BigInt(bi.untypedList[i]?.sizeBits ?? 0);
        if (e.base === 'untyped_paddr') return bi.untypedList[i]?.paddr ?? 0n;
        if (e.base === 'schedcontrol') return BigInt(bi.schedcontrol.start + i);
        const arr = this.vars.get(e.base);
        if (Array.isArray(arr)) return arr[i] ?? 0n;
        throw new LabRuntimeError(`'${e.base}' cannot be indexed`);
      }
      case 'call': {
        if (e.fn === 'seL4_GetBootInfo') return BOOTINFO_HANDLE;
        const r = this.callExpr(e, null);
        return r ?? 0n;
      }
      case 'member':
      case 'elem': {
        const v = this.structPath(e);
        if (typeof v === 'bigint') return v;
        if (typeof v === 'number') return BigInt(v);
        if (typeof v === 'boolean') return v ? 1n : 0n;
        throw new LabRuntimeError(`'${describe(e)}' is not a number`);
      }
    }
  }

  /** C-style access to the bootinfo structure: bootinfo->empty.start, info->untypedList[i].sizeBits, ... */
  private structPath(e: Expr): unknown {
    if (e.k === 'name') {
      const v = this.vars.get(e.name);
      if (v === BOOTINFO_HANDLE || (v === undefined && BOOTINFO_NAMES.has(e.name))) return this.bootinfoModel();
      throw new LabRuntimeError(`'${e.name}' is not a structure (use seL4_BootInfo *info = seL4_GetBootInfo())`);
    }
    if (e.k === 'call' && e.fn === 'seL4_GetBootInfo') return this.bootinfoModel();
    if (e.k === 'member') {
      const base = this.structPath(e.base) as Record<string, unknown> | undefined;
      if (!base || typeof base !== 'object' || !(e.name in base)) throw new LabRuntimeError(`no field '${e.name}' in '${describe(e.base)}'`);
      return base[e.name];
    }
    if (e.k === 'elem') {
      const base = this.structPath(e.base);
      const i = Number(this.scalar(this.eval(e.index)));
      if (!Array.isArray(base) || i < 0 || i >= base.length) throw new LabRuntimeError(`index ${i} out of range in '${describe(e.base)}'`);
      return base[i];
    }
    throw new LabRuntimeError(`'${describe(e)}' is not a structure`);
  }

  private bootinfoModel(): Record<string, unknown> {
    const bi = this.booted.bootinfo;
    return {
      nodeID: bi.nodeID, numNodes: bi.numNodes, ipcBuffer: bi.ipcBuffer, initThreadCNodeSizeBits: bi.initThreadCNodeSizeBits,
      initThreadDomain: 0, extraLen: 0, numIOPTLevels: 0,
      empty: bi.empty, userImageFrames: bi.userImageFrames, userImagePaging: bi.userImagePaging, schedcontrol: bi.schedcontrol,
      untyped: bi.untyped, ioSpaceCaps: { start: 0, end: 0 }, extraBIPages: { start: 0, end: 0 },
      untypedList: bi.untypedList.map((u) => ({ paddr: u.paddr, sizeBits: u.sizeBits, isDevice: u.isDevice ? 1 : 0 })),
    };
  }

  private statement(st: Stmt, res: LabResult): void {
    const e = st.expr!;
    if (e.k === 'call' && (STUBS[e.fn] || SYSCALLS.has(e.fn) || LAB_ACTIONS.has(e.fn))) {
      const v = this.callExpr(e, res);
      if (st.assign !== undefined && v !== null) this.vars.set(st.assign, v);
      return;
    }
    const v = this.eval(e);
    if (st.assign !== undefined) this.vars.set(st.assign, v);
    res.error = 0;
    res.output = Array.isArray(v) ? `seL4_NoError value={${v.map(hex).join(',')}}` : `seL4_NoError value=${hex(v)}`;
    if (!Array.isArray(v)) res.values.value = hex(v);
  }

  /** A call: pure helpers return a value; invocations and syscalls fill `res` and return their natural C result. */
  private callExpr(e: Extract<Expr, { k: 'call' }>, res: LabResult | null): bigint | null {
    const args = e.args;
    const num = (i: number): bigint => {
      if (i >= args.length) throw new LabRuntimeError(`${e.fn}: missing argument ${i + 1}`);
      return this.scalar(this.eval(args[i]));
    };
    const t = this.current;
    switch (e.fn) {
      case 'seL4_CapRights_new': this.argc(e, 4); return (num(0) & 1n) << 3n | (num(1) & 1n) << 2n | (num(2) & 1n) << 1n | (num(3) & 1n);
      case 'seL4_MessageInfo_new': this.argc(e, 4); return makeInfo(num(0), Number(num(1)), Number(num(2)), Number(num(3)));
      case 'seL4_MessageInfo_get_label': return msgLabel(num(0));
      case 'seL4_MessageInfo_get_length': return BigInt(msgLength(num(0)));
      case 'seL4_MessageInfo_get_extraCaps': return (num(0) >> 7n) & 3n;
      case 'seL4_MessageInfo_get_capsUnwrapped': return (num(0) >> 9n) & 7n;
      case 'seL4_CNode_CapData_new': this.argc(e, 2); return BigInt.asUintN(64, (num(0) << 6n) | (num(1) & 0x3fn));
      case 'BIT': return 1n << num(0);
      case 'seL4_GetMR': return t.buf[1 + Number(num(0))];
      case 'seL4_SetMR': t.buf[1 + Number(num(0))] = BigInt.asUintN(64, num(1)); return this.plain(res, null);
      case 'seL4_GetBadge': return t.buf[122 + Number(num(0))];
      case 'seL4_SetCap': t.buf[122 + Number(num(0))] = num(1); return this.plain(res, null);
      case 'seL4_SetCapReceivePath': t.buf[125] = num(0); t.buf[126] = num(1); t.buf[127] = num(2); return this.plain(res, null);
      case 'raise_irq': {
        const delivered = raiseIrq(this.kernel, Number(num(0)));
        if (res) { res.error = 0; res.output = `seL4_NoError delivered=${delivered ? '0x1' : '0x0'}`; }
        return delivered ? 1n : 0n;
      }
      case 'thread_state': {
        const th = this.threadFor(args[0]);
        if (res) {
          res.error = 0;
          res.output = `seL4_NoError state=${THREAD_STATE_NAMES[th.state]} has_sc=${th.sc >= 0 ? '0x1' : '0x0'} prio=${hex(BigInt(th.prio))}`;
        }
        return BigInt(th.state);
      }
      case 'assert': {
        const ok = num(0) !== 0n;
        if (!ok) throw new LabRuntimeError('assertion failed');
        return this.plain(res, 1n);
      }
    }
    if (!STUBS[e.fn] && !SYSCALLS.has(e.fn)) throw new LabRuntimeError(`unknown function '${e.fn}'`);
    if (res === null) throw new LabRuntimeError(`${e.fn} cannot be used inside an expression; call it as a statement`);
    if (t.state !== ThreadState.Running && t.state !== ThreadState.Restart) {
      throw new LabRuntimeError(`thread ${this.name(t)} cannot make a syscall: it is ${THREAD_STATE_NAMES[t.state]}`);
    }
    const stub = STUBS[e.fn];
    if (stub) return this.invoke(e, stub, res);
    return this.syscall(e, res);
  }

  private plain(res: LabResult | null, v: bigint | null): bigint | null {
    if (res) { res.error = 0; res.output = 'seL4_NoError'; }
    return v;
  }

  private argc(e: Extract<Expr, { k: 'call' }>, n: number): void {
    if (e.args.length !== n) throw new LabRuntimeError(`${e.fn} takes ${n} arguments, ${e.args.length} given`);
  }

  private invoke(e: Extract<Expr, { k: 'call' }>, stub: (typeof STUBS)[string], res: LabResult): bigint | null {
    let vals = e.args.map((a) => this.eval(a));
    // non-MCS SetSchedParams(tcb, authority, mcp, prio) keeps the thread's SC: done as SetMCPriority + SetPriority
    if (e.fn === 'seL4_TCB_SetSchedParams' && vals.length === 4) {
      const [tcb, auth, mcp, prio] = vals;
      const mk = (fn: string, v: Val): Extract<Expr, { k: 'call' }> => ({ k: 'call', fn, args: [tcb, auth, v].map((x) => ({ k: 'num', v: this.scalar(x), col: e.col })), col: e.col });
      const first = this.invoke(mk('seL4_TCB_SetMCPriority', mcp), STUBS.seL4_TCB_SetMCPriority, res);
      if (first !== 0n) return first;
      return this.invoke(mk('seL4_TCB_SetPriority', prio), STUBS.seL4_TCB_SetPriority, res);
    }
    const alt = NON_MCS_FORMS[e.fn];
    if (alt && vals.length === alt.argc) vals = alt.map(vals.map((v) => this.scalar(v)));
    if (vals.length !== stub.params.length + 1) throw new LabRuntimeError(`${e.fn} takes ${stub.params.length + 1} arguments, ${vals.length} given`);
    const t = this.current;
    const mrs: bigint[] = [];
    const caps: bigint[] = [];
    const p = vals.slice(1);
    switch (stub.special) {
      case 'readRegs': mrs.push((this.scalar(p[0]) & 1n) | (this.scalar(p[1]) << 8n), this.scalar(p[2])); break;
      case 'writeRegs': {
        const regs = Array.isArray(p[3]) ? p[3] : [p[3]];
        const count = Number(this.scalar(p[2]));
        mrs.push((this.scalar(p[0]) & 1n) | (this.scalar(p[1]) << 8n), BigInt(count));
        for (let i = 0; i < count; i++) mrs.push(regs[i] ?? 0n);
        break;
      }
      case 'copyRegs': {
        caps.push(this.scalar(p[0]));
        const b = (i: number): bigint => this.scalar(p[i]) & 1n;
        mrs.push(b(1) | (b(2) << 1n) | (b(3) << 2n) | (b(4) << 3n) | (this.scalar(p[5]) << 8n));
        break;
      }
      case 'vcpuRegs': {
        const regs = Array.isArray(p[0]) ? p[0] : [p[0]];
        for (let i = 0; i < 7; i++) mrs.push(regs[i] ?? 0n);
        break;
      }
      default:
        for (let i = 0; i < stub.params.length; i++) {
          const v = this.scalar(p[i]);
          if (stub.params[i] === 'c') caps.push(v);
          else mrs.push(v);
        }
        if (e.fn === 'seL4_SchedControl_Configure') mrs.push(0n);
    }
    for (let i = 0; i < mrs.length; i++) t.buf[1 + i] = BigInt.asUintN(64, mrs[i]);
    for (let i = 0; i < caps.length; i++) t.buf[122 + i] = caps[i];
    t.msgInfo = makeInfo(BigInt(stub.label), 0, caps.length, mrs.length);
    t.capReg = this.scalar(vals[0]);
    const out = handleSyscall(this.kernel, t, Sys.Call);
    if (out === Outcome.Faulted) { this.reportFault(t, res); return null; }
    if (t.state !== ThreadState.Running && t.state !== ThreadState.Restart) {
      res.error = 0;
      res.output = `seL4_NoError state=${THREAD_STATE_NAMES[t.state]}`;
      return 0n;
    }
    const err = Number(msgLabel(t.msgInfo));
    const len = msgLength(t.msgInfo);
    res.error = err;
    const parts: string[] = [ERROR_NAMES[err] ?? `error${err}`];
    if (err !== 0) {
      for (let i = 0; i < len; i++) { res.values[`mr${i}`] = hex(t.buf[1 + i]); parts.push(`mr${i}=${hex(t.buf[1 + i])}`); }
    } else if (stub.ret) {
      const n = stub.special === 'readRegs' ? len : Math.min(len, stub.ret.length);
      for (let i = 0; i < n; i++) { res.values[stub.ret[i]] = hex(t.buf[1 + i]); parts.push(`${stub.ret[i]}=${hex(t.buf[1 + i])}`); }
    }
    res.output = parts.join(' ');
    return BigInt(err);
  }

  private reportFault(t: TcbObj, res: LabResult): void {
    const f = t.fault;
    // the lab's root task has no fault handler: seL4 would suspend it (double fault); the lab keeps it running
    if (t.state === ThreadState.Inactive) {
      const label = t.lastFaultLabel;
      res.error = undefined;
      res.output = `${FAULT_NAMES[label] ?? 'fault'} double_fault=0x1`;
      if (t === this.root) t.state = ThreadState.Running;
      else res.notes.push(`${this.name(t)}: no fault handler, thread is now Inactive`);
      return;
    }
    res.output = `${FAULT_NAMES[f?.label ?? 0] ?? 'fault'} blocked`;
    this.pending.set(t.id, { kind: 'call', line: res.line });
  }


  private syscall(e: Extract<Expr, { k: 'call' }>, res: LabResult): bigint | null {
    const t = this.current;
    const a = e.args;
    const num = (i: number): bigint => this.scalar(this.eval(a[i]));
    const outName = (i: number): string | undefined => (a[i] && a[i].k === 'addr' ? (a[i] as { name: string }).name : undefined);
    const want = SYSCALLS.get(e.fn)!;
    if (a.length < want[0] || a.length > want[1]) throw new LabRuntimeError(`${e.fn} takes ${want[0] === want[1] ? want[0] : `${want[0]}..${want[1]}`} arguments, ${a.length} given`);
    let sys: number;
    let pend: Pending | null = null;
    switch (e.fn) {
      case 'seL4_Send': case 'seL4_NBSend': t.capReg = num(0); t.msgInfo = num(1); sys = e.fn === 'seL4_Send' ? Sys.Send : Sys.NBSend; break;
      case 'seL4_Signal': t.capReg = num(0); t.msgInfo = 0n; sys = Sys.Send; break;
      case 'seL4_Call': t.capReg = num(0); t.msgInfo = num(1); sys = Sys.Call; pend = { kind: 'call', line: res.line }; break;
      case 'seL4_Recv': case 'seL4_NBRecv':
        t.capReg = num(0); t.replyReg = a.length > 2 ? num(2) : 0n; sys = e.fn === 'seL4_Recv' ? Sys.Recv : Sys.NBRecv;
        pend = { kind: 'recv', outVar: outName(1), line: res.line }; break;
      case 'seL4_Wait': case 'seL4_Poll': case 'seL4_NBWait':
        t.capReg = num(0); sys = e.fn === 'seL4_Wait' ? Sys.Wait : Sys.NBWait; pend = { kind: 'wait', outVar: outName(1), line: res.line }; break;
      case 'seL4_ReplyRecv':
        t.capReg = num(0); t.msgInfo = num(1); t.replyReg = a.length > 3 ? num(3) : 0n; sys = Sys.ReplyRecv;
        pend = { kind: 'recv', outVar: outName(2), line: res.line }; break;
      case 'seL4_NBSendRecv':
        t.destReg = num(0); t.msgInfo = num(1); t.capReg = num(2); t.replyReg = a.length > 4 ? num(4) : 0n; sys = Sys.NBSendRecv;
        pend = { kind: 'recv', outVar: outName(3), line: res.line }; break;
      case 'seL4_NBSendWait':
        t.destReg = num(0); t.msgInfo = num(1); t.capReg = num(2); sys = Sys.NBSendWait; pend = { kind: 'recv', outVar: outName(3), line: res.line }; break;
      case 'seL4_Reply': {
        // non-MCS call: the lab replies through the reply object of this thread's last receive
        const r = this.lastReply.get(t.id);
        if (r === undefined || r === 0n) {
          if (r === 0n && t.implicitReply >= 0) {
            t.msgInfo = num(0);
            doReplyTransfer(this.kernel, t, this.kernel.obj<ReplyObj>(t.implicitReply), true);
          }
          res.error = 0;
          res.output = 'seL4_NoError';
          return null;
        }
        t.capReg = r; t.msgInfo = num(0); sys = Sys.Send; break;
      }
      case 'seL4_Yield': sys = Sys.Yield; break;
      case 'seL4_VMEnter': sys = Sys.VMEnter; pend = { kind: 'vmenter', outVar: outName(0), line: res.line }; break;
      default: throw new LabRuntimeError(`unknown function '${e.fn}'`);
    }
    if (pend?.kind === 'recv') {
      // a receive without a reply cap (non-MCS style) uses the thread's implicit reply object
      if (t.replyReg === 0n && t.implicitReply < 0) t.implicitReply = this.kernel.newObject(ObjectType.seL4_ReplyObject, 0n, seL4_ReplyBits).id;
      this.lastReply.set(t.id, t.replyReg);
    }
    let out: number = handleSyscall(this.kernel, t, sys);
    if (out === Outcome.Blocked && sys === Sys.VMEnter && runGuest(this.kernel, t)) out = Outcome.Done;
    if (out === Outcome.Faulted) { this.reportFault(t, res); return null; }
    if (out === Outcome.Blocked) {
      res.error = undefined;
      res.output = `blocked state=${THREAD_STATE_NAMES[t.state]}`;
      if (pend) this.pending.set(t.id, pend);
      return null;
    }
    res.error = 0;
    if (!pend) { res.output = 'seL4_NoError'; return null; }
    const r = this.completion(t, pend);
    res.output = r.text;
    Object.assign(res.values, r.values);
    return r.value;
  }

  private lastReply = new Map<number, bigint>();

  /** Result of a completed receive / call / VMEnter, read from the thread's registers. */
  private completion(t: TcbObj, p: Pending): { text: string; values: Record<string, string>; value: bigint } {
    const values: Record<string, string> = {};
    if (p.kind === 'vmenter') {
      values.result = hex(t.msgInfo);
      if (t.msgInfo === 0n) values.badge = hex(t.capReg);
      else values.reason = hex(t.buf[4]);
      for (let i = 0; i < (t.msgInfo === 0n ? 3 : 17); i++) values[`mr${i}`] = hex(t.buf[1 + i]);
      if (p.outVar) this.vars.set(p.outVar, t.capReg);
      return { text: ['seL4_NoError', ...Object.entries(values).map(([k, v]) => `${k}=${v}`)].join(' '), values, value: t.msgInfo };
    }
    if (p.kind === 'wait') {
      values.badge = hex(t.capReg);
      if (p.outVar) this.vars.set(p.outVar, t.capReg);
      return { text: `seL4_NoError badge=${values.badge}`, values, value: t.capReg };
    }
    const info = t.msgInfo;
    const len = msgLength(info);
    if (p.kind === 'recv' || t.capReg !== 0n) values.badge = hex(t.capReg);
    values.label = hex(msgLabel(info));
    values.length = hex(BigInt(len));
    if ((info >> 7n) & 3n) values.extraCaps = hex((info >> 7n) & 3n);
    if ((info >> 9n) & 7n) values.capsUnwrapped = hex((info >> 9n) & 7n);
    for (let i = 0; i < len; i++) values[`mr${i}`] = hex(t.buf[1 + i]);
    if (p.outVar) this.vars.set(p.outVar, t.capReg);
    return { text: ['seL4_NoError', ...Object.entries(values).map(([k, v]) => `${k}=${v}`)].join(' '), values, value: info };
  }

  /** Blocked threads that became runnable during this line: finish their pending call. */
  private checkPending(res: LabResult): void {
    for (const [id, p] of [...this.pending]) {
      const t = this.kernel.tcb(id);
      if (t.state === ThreadState.Running) {
        this.pending.delete(id);
        const r = this.completion(t, p);
        res.notes.push(`${this.name(t)} (line ${p.line}): ${r.text}`);
      } else if (t.state === ThreadState.Restart || t.state === ThreadState.Inactive || !t.alive) {
        this.pending.delete(id);
        res.notes.push(`${this.name(t)} (line ${p.line}): ${t.state === ThreadState.Restart ? 'restarted (the syscall will be retried)' : 'now Inactive'}`);
      }
    }
  }
}

/** value a variable holds when it was assigned seL4_GetBootInfo() */
const BOOTINFO_HANDLE = 0xb0071f0n;
const BOOTINFO_NAMES = new Set(['bootinfo', 'bi', 'info', 'bootInfo', 'boot_info']);

function describe(e: Expr): string {
  switch (e.k) {
    case 'name': return e.name;
    case 'member': return `${describe(e.base)}.${e.name}`;
    case 'elem': return `${describe(e.base)}[...]`;
    case 'call': return `${e.fn}()`;
    default: return 'expression';
  }
}

const SYSCALLS = new Map<string, [number, number]>([
  ['seL4_Send', [2, 2]], ['seL4_NBSend', [2, 2]], ['seL4_Signal', [1, 1]], ['seL4_Call', [2, 2]],
  ['seL4_Recv', [1, 3]], ['seL4_NBRecv', [1, 3]], ['seL4_Wait', [1, 2]], ['seL4_Poll', [1, 2]], ['seL4_NBWait', [1, 2]],
  ['seL4_ReplyRecv', [2, 4]], ['seL4_NBSendRecv', [3, 5]], ['seL4_NBSendWait', [3, 4]], ['seL4_Reply', [1, 1]],
  ['seL4_Yield', [0, 0]], ['seL4_VMEnter', [0, 1]],
]);
const LAB_ACTIONS = new Set(['seL4_SetMR', 'seL4_SetCap', 'seL4_SetCapReceivePath', 'raise_irq', 'thread_state', 'assert']);

function binop(op: string, a: bigint, b: bigint): bigint | null {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0n ? null : a / b;
    case '%': return b === 0n ? null : a % b;
    case '<<': return b >= 64n ? 0n : a << b;
    case '>>': return a >> b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '<': return a < b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '&&': return a && b ? 1n : 0n;
    case '||': return a || b ? 1n : 0n;
  }
  return null;
}

export interface ScriptRun {
  results: LabResult[];
  syntaxErrors: LabSyntaxError[];
  ok: boolean;
}

/** Parse and run a whole script. Syntax errors stop it before anything runs. */
export function runLabScript(text: string, opts: LabOptions = {}): ScriptRun {
  const { stmts, errors } = parseScript(text);
  if (errors.length) return { results: [], syntaxErrors: errors, ok: false };
  const s = new LabSession(opts);
  const results = stmts.map((st) => s.execStmt(st));
  return { results, syntaxErrors: [], ok: results.every((r) => r.ok) };
}

export { OBJECT_TYPE_NAMES };

/** Error paths the lab cannot reach (it always marshals complete messages): short messages and missing caps. */
import { describe, expect, it } from 'vitest';
import { boot, ROOT } from './testkit';
import { InitialCap, ObjectType, seL4_IllegalOperation, seL4_NoError, seL4_TruncatedMessage, Sys, type LabelName } from './constants';
import { makeInfo } from './ipc';
import { handleSyscall } from './syscall';

function objects() {
  const h = boot();
  const f = h.free;
  const mk = (type: number, slot: number, size = 0) => expect(h.call(h.ram, 'UntypedRetype', [type, size, 0, 0, slot, 1], [ROOT]).err).toBe(0);
  mk(ObjectType.seL4_TCBObject, f);
  mk(ObjectType.seL4_X86_4K, f + 1);
  mk(ObjectType.seL4_X86_PageTableObject, f + 2);
  mk(ObjectType.seL4_X86_VCPUObject, f + 3);
  mk(ObjectType.seL4_SchedContextObject, f + 4, 8);
  mk(ObjectType.seL4_X86_EPTPTObject, f + 5);
  return { h, tcb: f, frame: f + 1, pt: f + 2, vcpu: f + 3, sc: f + 4, eptpt: f + 5 };
}

describe('short messages give TruncatedMessage', () => {
  const cases: [string, LabelName, number][] = [];
  const o = objects();
  const targets: Record<string, number> = {
    untyped: Number(o.h.ram), cnode: InitialCap.seL4_CapInitThreadCNode, tcb: o.tcb, frame: o.frame, pt: o.pt, vcpu: o.vcpu,
    schedcontrol: o.h.bootinfo.schedcontrol.start, asidcontrol: InitialCap.seL4_CapASIDControl, pool: InitialCap.seL4_CapInitThreadASIDPool,
    irqcontrol: InitialCap.seL4_CapIRQControl, ioportcontrol: InitialCap.seL4_CapIOPortControl, eptpt: o.eptpt, sc: o.sc,
  };
  const table: [string, LabelName[]][] = [
    ['untyped', ['UntypedRetype']],
    ['cnode', ['CNodeCopy', 'CNodeMint', 'CNodeMove', 'CNodeMutate', 'CNodeRotate', 'CNodeRevoke', 'CNodeDelete']],
    ['tcb', ['TCBReadRegisters', 'TCBWriteRegisters', 'TCBCopyRegisters', 'TCBConfigure', 'TCBSetPriority', 'TCBSetMCPriority', 'TCBSetSchedParams', 'TCBSetTimeoutEndpoint', 'TCBSetIPCBuffer', 'TCBSetSpace', 'TCBBindNotification', 'TCBSetTLSBase', 'TCBSetFlags', 'TCBSetEPTRoot']],
    ['frame', ['X86PageMap', 'X86PageMapEPT']],
    ['pt', ['X86PageTableMap']],
    ['eptpt', ['X86EPTPTMap']],
    ['vcpu', ['X86VCPUSetTCB', 'X86VCPUEnableIOPort', 'X86VCPUDisableIOPort', 'X86VCPUWriteRegisters']],
    ['schedcontrol', ['SchedControlConfigureFlags']],
    ['sc', ['SchedContextBind', 'SchedContextUnbindObject']],
    ['asidcontrol', ['X86ASIDControlMakePool']],
    ['pool', ['X86ASIDPoolAssign']],
    ['irqcontrol', ['X86IRQIssueIRQHandlerIOAPIC', 'X86IRQIssueIRQHandlerMSI']],
    ['ioportcontrol', ['X86IOPortControlIssue']],
  ];
  for (const [target, labels] of table) for (const l of labels) cases.push([target, l, targets[target]]);
  it.each(cases)('%s %s with no words and no caps', (_t, label, cptr) => {
    const { h } = objects();
    expect(h.call(cptr, label, []).err).toBe(seL4_TruncatedMessage);
  });
});

describe('invocation labels a cap does not understand give IllegalOperation', () => {
  it.each<[string, LabelName]>([
    ['untyped', 'CNodeCopy'], ['tcb', 'UntypedRetype'], ['frame', 'X86PageTableMap'], ['vspace', 'X86PageMap'], ['domain', 'CNodeCopy'],
  ])('%s invoked with %s', (what, label) => {
    const o = objects();
    const cptr = { untyped: Number(o.h.ram), tcb: o.tcb, frame: o.frame, vspace: InitialCap.seL4_CapInitThreadVSpace, domain: InitialCap.seL4_CapDomain }[what]!;
    expect(o.h.call(cptr, label, [0, 0, 0, 0, 0, 0, 0, 0], [ROOT, ROOT, ROOT]).err).toBe(seL4_IllegalOperation);
  });
});

describe('errors of Send-invoked operations are dropped', () => {
  it('Send of a failing invocation leaves no error in the caller', () => {
    const { h } = objects();
    const t = h.rootTcb;
    t.buf[1] = 4000n; // dest slot is out of range for depth 1
    t.buf[2] = 1n;
    t.msgInfo = makeInfo(BigInt(19), 0, 0, 2); // CNodeDelete
    t.capReg = ROOT;
    handleSyscall(h.kernel, t, Sys.Send);
    expect(Number(t.msgInfo >> 12n)).toBe(19); // untouched: no reply was written
  });
});

describe('TCB odds and ends', () => {
  it('CopyRegisters copies frame and integer registers from another TCB', () => {
    const o = objects();
    const f = o.h.free;
    o.h.call(o.h.ram, 'UntypedRetype', [ObjectType.seL4_TCBObject, 0, 0, 0, f + 10, 1], [ROOT]);
    o.h.call(o.tcb, 'TCBWriteRegisters', [0, 20, ...Array.from({ length: 20 }, (_, i) => i + 1)]);
    expect(o.h.call(f + 10, 'TCBCopyRegisters', [0b1100], [o.tcb]).err).toBe(seL4_NoError);
    expect(o.h.call(f + 10, 'TCBReadRegisters', [0, 20]).mrs).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
    expect(o.h.call(f + 10, 'TCBCopyRegisters', [0], [o.frame]).err).toBe(2);
  });
  it('SetTLSBase sets fs_base', () => {
    const o = objects();
    expect(o.h.call(o.tcb, 'TCBSetTLSBase', [0xabc]).err).toBe(0);
    expect(o.h.call(o.tcb, 'TCBReadRegisters', [0, 19]).mrs[18]).toBe(0xabcn);
  });
});

import { describe, expect, it } from 'vitest';
import { boot, ROOT } from './testkit';
import { bootKernel } from './boot';
import { x86_64_generic_vtx } from '../boards/x86_64_generic_vtx';
import { InitialCap, ObjectType, seL4_DeleteFirst, Sys, ThreadState, VMCS, SEL4_VMENTER_RESULT_FAULT } from './constants';
import { CapKind, type VcpuObj, type TcbObj } from './objects';
import { descendants, isChildOf } from './mdb';
import { handleSyscall, Outcome, runGuest } from './syscall';
import type { GuestRunner } from './kernel';
import { schedule, chargeTime, advanceTime } from './sched';
import type { KernelEvent } from './events';
import { findRootForAsid, listMappings } from './vspace';

describe('boot', () => {
  it('puts the standard initial caps in their standard slots', () => {
    const b = bootKernel(x86_64_generic_vtx);
    const cap = (i: number) => b.kernel.slots.caps[b.rootCNode.slotBase + i];
    expect(cap(InitialCap.seL4_CapNull)).toBeNull();
    expect(cap(InitialCap.seL4_CapInitThreadTCB)!.kind).toBe(CapKind.TCB);
    expect(cap(InitialCap.seL4_CapInitThreadCNode)!.kind).toBe(CapKind.CNode);
    expect(cap(InitialCap.seL4_CapInitThreadCNode)!.radix).toBe(12);
    expect(cap(InitialCap.seL4_CapInitThreadCNode)!.guardSize).toBe(52);
    expect(cap(InitialCap.seL4_CapInitThreadVSpace)!.kind).toBe(CapKind.PML4);
    expect(cap(InitialCap.seL4_CapIRQControl)!.kind).toBe(CapKind.IRQControl);
    expect(cap(InitialCap.seL4_CapASIDControl)!.kind).toBe(CapKind.ASIDControl);
    expect(cap(InitialCap.seL4_CapInitThreadASIDPool)!.kind).toBe(CapKind.ASIDPool);
    expect(cap(InitialCap.seL4_CapIOPortControl)!.kind).toBe(CapKind.IOPortControl);
    expect(cap(InitialCap.seL4_CapIOSpace)!.kind).toBe(CapKind.IOSpace);
    expect(cap(InitialCap.seL4_CapBootInfoFrame)!.kind).toBe(CapKind.Frame);
    expect(cap(InitialCap.seL4_CapInitThreadIPCBuffer)!.kind).toBe(CapKind.Frame);
    expect(cap(InitialCap.seL4_CapDomain)!.kind).toBe(CapKind.Domain);
    expect(cap(InitialCap.seL4_CapInitThreadSC)!.kind).toBe(CapKind.SchedContext);
    expect(b.rootTcb.prio).toBe(255);
    expect(b.rootTcb.mcp).toBe(255);
  });

  it('describes naturally aligned, non-overlapping untypeds: device gaps first, then RAM, none inside reserved memory', () => {
    const b = bootKernel(x86_64_generic_vtx);
    const list = b.bootinfo.untypedList;
    expect(list.length).toBeGreaterThan(10);
    expect(list.length).toBeLessThanOrEqual(230);
    const firstRam = list.findIndex((u) => !u.isDevice);
    expect(list.slice(firstRam).every((u) => !u.isDevice)).toBe(true);
    const sorted = [...list].sort((a, c) => (a.paddr < c.paddr ? -1 : 1));
    for (let i = 0; i < sorted.length; i++) {
      const u = sorted[i];
      expect(u.paddr % (1n << BigInt(u.sizeBits))).toBe(0n);
      expect(u.sizeBits).toBeGreaterThanOrEqual(4);
      if (i > 0) expect(sorted[i - 1].paddr + (1n << BigInt(sorted[i - 1].sizeBits)) <= u.paddr).toBe(true);
    }
    // RAM below 1 MiB is device memory; the local APIC page is reserved
    expect(list.find((u) => u.paddr === 0n)!.isDevice).toBe(true);
    const apic = 0xfee00000n;
    expect(list.some((u) => u.paddr <= apic && apic < u.paddr + (1n << BigInt(u.sizeBits)))).toBe(false);
    expect(b.bootinfo.untyped.end - b.bootinfo.untyped.start).toBe(list.length);
    expect(b.bootinfo.empty.start).toBe(b.bootinfo.untyped.end);
  });

  it('reports extra ranges as device untypeds (legacy device-untyped boot mode)', () => {
    const extra = { start: 0x2000_0000n, end: 0x2010_0000n, name: 'preloaded images' };
    const b = bootKernel(x86_64_generic_vtx, { extraDeviceRanges: [extra] });
    const hit = b.bootinfo.untypedList.filter((u) => u.paddr >= extra.start && u.paddr < extra.end);
    expect(hit.length).toBeGreaterThan(0);
    expect(hit.every((u) => u.isDevice)).toBe(true);
  });

  it('boot untypeds start full, so the first retype resets them to offset 0', () => {
    const h = boot();
    const ut = h.kernel.slots.caps[h.slotOf(h.ram)]!;
    expect(ut.freeIndex * 16).toBe(2 ** ut.sizeBits);
    expect(h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_EndpointObject, 0, 0, 0, h.free, 1], [ROOT]).err).toBe(0);
    expect(h.kernel.slots.caps[h.slotOf(h.free)]!.paddr).toBe(ut.paddr);
  });
});

describe('derivation tree', () => {
  it('makes badged caps originals, copies of copies siblings, and separately minted equal badges siblings', () => {
    const h = boot();
    const s = (i: number) => h.slotOf(h.free + i);
    const c = (i: number) => BigInt(h.free + i);
    expect(h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_EndpointObject, 0, 0, 0, h.free, 1], [ROOT]).err).toBe(0);
    h.call(ROOT, 'CNodeMint', [c(1), 64, c(0), 64, 15, 7], [ROOT]); // badged child of the original
    h.call(ROOT, 'CNodeCopy', [c(2), 64, c(1), 64, 15], [ROOT]); // copy of the badged cap: its child
    h.call(ROOT, 'CNodeCopy', [c(3), 64, c(2), 64, 15], [ROOT]); // copy of a copy: sibling
    h.call(ROOT, 'CNodeMint', [c(4), 64, c(0), 64, 15, 7], [ROOT]); // same badge, minted again: sibling of c1
    const k = h.kernel;
    expect(isChildOf(k, s(0), s(1))).toBe(true);
    expect(isChildOf(k, s(1), s(2))).toBe(true);
    expect(isChildOf(k, s(1), s(3))).toBe(true);
    expect(isChildOf(k, s(2), s(3))).toBe(false);
    expect(isChildOf(k, s(1), s(4))).toBe(false);
    expect(new Set(descendants(k, s(0)))).toEqual(new Set([s(1), s(2), s(3), s(4)]));
    expect(new Set(descendants(k, s(4)))).toEqual(new Set());
    h.call(ROOT, 'CNodeRevoke', [c(1), 64], []);
    expect(k.slots.caps[s(2)]).toBeNull();
    expect(k.slots.caps[s(3)]).toBeNull();
    expect(k.slots.caps[s(4)]).not.toBeNull();
  });

  it('finalises an object only when its last cap goes', () => {
    const h = boot();
    h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_EndpointObject, 0, 0, 0, h.free, 1], [ROOT]);
    const obj = h.kernel.slots.caps[h.slotOf(h.free)]!.obj;
    h.call(ROOT, 'CNodeCopy', [h.free + 1, 64, h.free, 64, 15], [ROOT]);
    h.call(ROOT, 'CNodeDelete', [h.free, 64], []);
    expect(h.kernel.objects[obj]!.alive).toBe(true);
    h.call(ROOT, 'CNodeDelete', [h.free + 1, 64], []);
    expect(h.kernel.objects[obj]!.alive).toBe(false);
  });

  it('refuses to Copy into an occupied slot before looking at the source', () => {
    const h = boot();
    expect(h.call(ROOT, 'CNodeCopy', [InitialCap.seL4_CapInitThreadTCB, 64, 4000, 64, 15], [ROOT]).err).toBe(seL4_DeleteFirst);
  });
});

function makeThread(h: ReturnType<typeof boot>, slot: number): TcbObj {
  h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_TCBObject, 0, 0, 0, slot, 1], [ROOT]);
  h.call(slot, 'TCBConfigure', [0, 0, 0], [ROOT, InitialCap.seL4_CapInitThreadVSpace, 0]);
  return h.kernel.tcb(h.kernel.slots.caps[h.slotOf(slot)]!.obj);
}

describe('scheduling (MCS)', () => {
  it('runs the highest-priority thread with a configured SC, round-robins equals and releases exhausted budgets', () => {
    const h = boot();
    const k = h.kernel;
    const f = h.free;
    const a = makeThread(h, f);
    const b = makeThread(h, f + 1);
    for (const [i, t] of [[f + 2, f], [f + 3, f + 1]]) {
      h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_SchedContextObject, 8, 0, 0, i, 1], [ROOT]);
      h.call(h.bootinfo.schedcontrol.start, 'SchedControlConfigureFlags', [1000, 1000, 0, 0, 0], [i]);
      h.call(t, 'TCBSetSchedParams', [255, 100], [InitialCap.seL4_CapInitThreadTCB, i, 0]);
      h.call(t, 'TCBResume', []);
    }
    // the root thread (255) keeps the CPU
    expect(schedule(k, 0)).toBe(h.rootTcb.id);
    h.call(InitialCap.seL4_CapInitThreadTCB, 'TCBSetPriority', [50], [InitialCap.seL4_CapInitThreadTCB]);
    const first = schedule(k, 0);
    expect([a.id, b.id]).toContain(first);
    chargeTime(k, 0, 1000n); // round-robin SC (budget == period): refill and go to the tail
    const second = schedule(k, 0);
    expect(second).not.toBe(first);
    expect([a.id, b.id]).toContain(second);
  });

  it('puts a sporadic SC that used its budget in the release queue until its period passes', () => {
    const h = boot();
    const k = h.kernel;
    const f = h.free;
    const a = makeThread(h, f);
    h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_SchedContextObject, 8, 0, 0, f + 1, 1], [ROOT]);
    h.call(h.bootinfo.schedcontrol.start, 'SchedControlConfigureFlags', [100, 1000, 0, 0, 0], [f + 1]);
    h.call(f, 'TCBSetSchedParams', [255, 254], [InitialCap.seL4_CapInitThreadTCB, f + 1, 0]);
    h.call(f, 'TCBResume', []);
    expect(schedule(k, 0)).toBe(h.rootTcb.id);
    h.call(InitialCap.seL4_CapInitThreadTCB, 'TCBSuspend', []);
    expect(schedule(k, 0)).toBe(a.id);
    chargeTime(k, 0, 100n);
    expect(schedule(k, 0)).toBe(-1);
    advanceTime(k, 999n);
    expect(schedule(k, 0)).toBe(-1);
    advanceTime(k, 1n);
    expect(schedule(k, 0)).toBe(a.id);
  });
});

describe('timeout faults (MCS)', () => {
  it('sends a Timeout fault to the timeout endpoint when a sporadic budget runs out', () => {
    const h = boot();
    const k = h.kernel;
    const f = h.free;
    const a = makeThread(h, f);
    h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_SchedContextObject, 8, 0, 0, f + 1, 1], [ROOT]);
    h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_EndpointObject, 0, 0, 0, f + 2, 1], [ROOT]);
    h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_ReplyObject, 0, 0, 0, f + 3, 1], [ROOT]);
    h.call(h.bootinfo.schedcontrol.start, 'SchedControlConfigureFlags', [100, 1000, 0, 0x42, 0], [f + 1]);
    h.call(f, 'TCBSetSchedParams', [255, 254], [InitialCap.seL4_CapInitThreadTCB, f + 1, 0]);
    h.call(f, 'TCBSetTimeoutEndpoint', [], [f + 2]);
    h.call(f, 'TCBResume', []);
    const r = h.rootTcb;
    r.capReg = BigInt(f + 2);
    r.replyReg = BigInt(f + 3);
    expect(handleSyscall(k, r, Sys.Recv)).toBe(Outcome.Blocked);
    expect(schedule(k, 0)).toBe(a.id);
    chargeTime(k, 0, 100n);
    expect(r.state).toBe(ThreadState.Running);
    expect(Number(r.msgInfo >> 12n)).toBe(5);
    expect(r.buf[1]).toBe(0x42n);
    expect(r.buf[2]).toBe(100n);
    expect(a.state).toBe(ThreadState.BlockedOnReply);
  });
});

describe('VMEnter with a guest runner', () => {
  it('returns a VM exit as the fault result with the §6.4 message layout', () => {
    const h = boot();
    const k = h.kernel;
    const exits: KernelEvent[] = [];
    k.hook = (e) => exits.push(e);
    const runner: GuestRunner = {
      run(v: VcpuObj) {
        v.vmcs.set(VMCS.GUEST_RIP, (v.vmcs.get(VMCS.GUEST_RIP) ?? 0n) + 0n);
        v.gpr[0] = 0x1234n;
        return { reason: 0x0c, qualification: 0x99n, instructionLength: 1n, guestPhysical: 0n }; // HLT: no qualification
      },
    };
    k.guestRunner = runner;
    const f = h.free;
    const t = makeThread(h, f);
    h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_X86_VCPUObject, 0, 0, 0, f + 1, 1], [ROOT]);
    h.call(f + 1, 'X86VCPUSetTCB', [], [f]);
    h.call(f, 'TCBSetIPCBuffer', [0x3000], [InitialCap.seL4_CapInitThreadIPCBuffer]);
    h.call(f, 'TCBResume', []);
    t.buf[1] = 0x7c00n;
    expect(handleSyscall(k, t, Sys.VMEnter)).toBe(Outcome.Blocked);
    expect(t.state).toBe(ThreadState.RunningVM);
    expect(runGuest(k, t)).toBe(true);
    expect(t.state).toBe(ThreadState.Running);
    expect(t.msgInfo).toBe(SEL4_VMENTER_RESULT_FAULT);
    expect(t.buf[1]).toBe(0x7c00n); // MR0 guest RIP, not advanced
    expect(t.buf[4]).toBe(0x0cn); // MR3 reason
    expect(t.buf[5]).toBe(0n); // MR4: HLT reports no qualification
    expect(t.buf[6]).toBe(1n); // MR5 instruction length
    expect(t.buf[11]).toBe(0x1234n); // MR10 EAX
    expect(exits.some((e) => e.kind === 'vm-exit' && e.reason === 0x0c)).toBe(true);
  });

  it('keeps the thread in the guest on external-interrupt exits; endpoints do not pull it out', () => {
    const h = boot();
    const k = h.kernel;
    k.guestRunner = { run: () => ({ reason: 1, qualification: 0n, instructionLength: 0n, guestPhysical: 0n }) };
    const f = h.free;
    const t = makeThread(h, f);
    h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_X86_VCPUObject, 0, 0, 0, f + 1, 1], [ROOT]);
    h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_EndpointObject, 0, 0, 0, f + 2, 1], [ROOT]);
    h.call(f + 1, 'X86VCPUSetTCB', [], [f]);
    h.call(f, 'TCBResume', []);
    handleSyscall(k, t, Sys.VMEnter);
    expect(runGuest(k, t)).toBe(false);
    expect(t.state).toBe(ThreadState.RunningVM);
    h.rootTcb.capReg = BigInt(f + 2);
    h.rootTcb.msgInfo = 0n;
    expect(handleSyscall(k, h.rootTcb, Sys.NBSend)).toBe(Outcome.Done);
    expect(t.state).toBe(ThreadState.RunningVM);
  });
});

describe('trace events', () => {
  it('reports retype, map, revoke and delete', () => {
    const h = boot();
    const ev: string[] = [];
    h.kernel.hook = (e) => ev.push(e.kind);
    h.call(h.ram, 'UntypedRetype', [ObjectType.seL4_X86_4K, 0, 0, 0, h.free, 1], [ROOT]);
    h.call(h.free, 'X86PageMap', [0x500000, 3, 0], [InitialCap.seL4_CapInitThreadVSpace]);
    h.call(ROOT, 'CNodeRevoke', [h.ram, 64], []);
    expect(ev).toEqual(expect.arrayContaining(['retype', 'map', 'delete', 'unmap', 'revoke']));
  });
});

describe('huge and large pages', () => {
  it('maps a 1 GiB page where no page directory is in the way, and refuses where one is', () => {
    const h = boot();
    const bi = h.bootinfo;
    const gig = bi.untypedList.findIndex((u) => !u.isDevice && u.sizeBits === 30);
    const ut = bi.untyped.start + gig;
    expect(h.call(ut, 'UntypedRetype', [ObjectType.seL4_X64_HugePageObject, 0, 0, 0, h.free, 1], [ROOT]).err).toBe(0);
    const vs = InitialCap.seL4_CapInitThreadVSpace;
    expect(h.call(h.free, 'X86PageMap', [0, 3, 0], [vs]).err).toBe(seL4_DeleteFirst); // PDPT[0] holds the boot PD
    expect(h.call(h.free, 'X86PageMap', [0x40000000, 3, 0], [vs]).err).toBe(0);
    const m = listMappings(h.kernel, findRootForAsid(h.kernel, 1)).find((x) => x.vaddr === 0x40000000n)!;
    expect(m.sizeBits).toBe(30);
    expect(m.paddr).toBe(bi.untypedList[gig].paddr);
  });

  it('maps 2 MiB guest frames into EPT and unmaps them when the cap is deleted', () => {
    const h = boot();
    const f = h.free;
    const mk = (type: number, slot: number) => expect(h.call(h.ram, 'UntypedRetype', [type, 0, 0, 0, slot, 1], [ROOT]).err).toBe(0);
    mk(ObjectType.seL4_X86_EPTPML4Object, f);
    mk(ObjectType.seL4_X86_EPTPDPTObject, f + 1);
    mk(ObjectType.seL4_X86_EPTPDObject, f + 2);
    mk(ObjectType.seL4_X86_LargePageObject, f + 3);
    expect(h.call(InitialCap.seL4_CapInitThreadASIDPool, 'X86ASIDPoolAssign', [], [f]).err).toBe(0);
    expect(h.call(f + 1, 'X86EPTPDPTMap', [0, 6], [f]).err).toBe(0);
    expect(h.call(f + 2, 'X86EPTPDMap', [0, 6], [f]).err).toBe(0);
    expect(h.call(f + 3, 'X86PageMapEPT', [0x200000, 3, 6], [f]).err).toBe(0);
    const root = h.kernel.slots.caps[h.slotOf(f)]!.obj;
    expect(listMappings(h.kernel, root).map((m) => m.vaddr)).toEqual([0x200000n]);
    expect(h.call(ROOT, 'CNodeDelete', [f + 3, 64]).err).toBe(0);
    expect(listMappings(h.kernel, root)).toEqual([]);
  });
});

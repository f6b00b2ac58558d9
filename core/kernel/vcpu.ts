/** VCPU (§6.1, §6.3), I/O ports (§1.3 IO ports) and IRQ control/handlers (§1.3 IRQ). */
import {
  IRQ_OFFSET, IRQ_USER_MAX_VECTOR, Label, RIGHT_WRITE, seL4_DeleteFirst, seL4_IllegalOperation, seL4_InvalidArgument, seL4_InvalidCapability,
  seL4_RangeError, seL4_RevokeFirst, seL4_TruncatedMessage, VMCS_FIXED_ONE, VMCS_READABLE, VMCS_WRITABLE, VMCS,
} from './constants';
import { cteDelete } from './deletion';
import { syserr } from './errors';
import { EMPTY, mr, type Invocation, type InvokeResult } from './invocation';
import { sendSignal } from './ipc';
import type { Kernel } from './kernel';
import { lookupSlotForCNodeOp } from './lookup';
import { cteInsert } from './mdb';
import { Cap, CapKind, type NotificationObj, type VcpuObj } from './objects';
import { setState } from './sched';
import { ThreadState } from './constants';

// ---- VCPU ----
export function vcpuDissociate(k: Kernel, v: VcpuObj): void {
  if (v.tcb >= 0) {
    const t = k.tcb(v.tcb);
    t.vcpu = -1;
    // simulator decision (§6.1 corner case): a thread in guest mode whose VCPU goes away leaves guest mode
    if (t.state === ThreadState.RunningVM) setState(k, t, ThreadState.Running);
    v.tcb = -1;
  }
}

export function vcpuInit(v: VcpuObj): void {
  for (const [f, bits] of VMCS_FIXED_ONE) v.vmcs.set(f, bits);
  v.ioAllowed.fill(0);
  v.ioVersion++;
}

function applyFixed(field: number, value: bigint): bigint {
  const fixed = VMCS_FIXED_ONE.get(field);
  return fixed === undefined ? value : value | fixed;
}

export function writeVmcs(v: VcpuObj, field: number, value: bigint): bigint {
  const w = applyFixed(field, BigInt.asUintN(64, value));
  v.vmcs.set(field, w);
  return w;
}

export function decodeVcpu(inv: Invocation): InvokeResult {
  const { k } = inv;
  const v = k.obj<VcpuObj>(inv.cap.obj);
  switch (inv.label) {
    case Label.X86VCPUSetTCB: {
      const c = inv.extra[0];
      if (!c) throw syserr(seL4_TruncatedMessage);
      if (c.kind !== CapKind.TCB) throw syserr(seL4_IllegalOperation);
      const t = k.tcb(c.obj);
      vcpuDissociate(k, v);
      if (t.vcpu >= 0) vcpuDissociate(k, k.obj<VcpuObj>(t.vcpu));
      v.tcb = t.id;
      t.vcpu = v.id;
      return EMPTY;
    }
    case Label.X86VCPUReadVMCS: {
      if (inv.len < 1) throw syserr(seL4_IllegalOperation);
      const f = Number(mr(inv, 0));
      if (!VMCS_READABLE.has(f)) throw syserr(seL4_IllegalOperation);
      return [v.vmcs.get(f) ?? 0n];
    }
    case Label.X86VCPUWriteVMCS: {
      if (inv.len < 2) throw syserr(seL4_IllegalOperation);
      const f = Number(mr(inv, 0));
      if (!VMCS_WRITABLE.has(f)) throw syserr(seL4_IllegalOperation);
      return [writeVmcs(v, f, mr(inv, 1))];
    }
    case Label.X86VCPUEnableIOPort: {
      if (inv.len < 2 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
      const c = inv.extra[0];
      if (c.kind !== CapKind.IOPort) throw syserr(seL4_InvalidCapability, 1);
      const low = Number(mr(inv, 0) & 0xffffn);
      const high = Number(mr(inv, 1) & 0xffffn);
      if (low < c.first || high > c.last || high < low) throw syserr(seL4_InvalidArgument, 0);
      ioPortUnlink(k, c);
      c.linkedVcpu = v.id;
      for (let p = low; p <= high; p++) v.ioAllowed[p] = 1;
      v.ioVersion++;
      return EMPTY;
    }
    case Label.X86VCPUDisableIOPort: {
      if (inv.len < 2) throw syserr(seL4_TruncatedMessage);
      const low = Number(mr(inv, 0) & 0xffffn);
      const high = Number(mr(inv, 1) & 0xffffn);
      for (let p = low; p <= high; p++) v.ioAllowed[p] = 0;
      v.ioVersion++;
      return EMPTY;
    }
    case Label.X86VCPUWriteRegisters: {
      if (inv.len < 7) throw syserr(seL4_TruncatedMessage);
      // 7 words for 32-bit guests, 15 (with R8..R15) for 64-bit guests
      for (let i = 0; i < Math.min(inv.len, 15); i++) v.gpr[i] = mr(inv, i);
      return EMPTY;
    }
  }
  throw syserr(seL4_IllegalOperation);
}

// ---- I/O ports ----
export function ioPortUnlink(k: Kernel, c: Cap): void {
  if (c.linkedVcpu >= 0) {
    const v = k.objects[c.linkedVcpu] as VcpuObj | undefined;
    if (v && v.alive) {
      for (let p = c.first; p <= c.last; p++) v.ioAllowed[p] = 0;
      v.ioVersion++;
    }
    c.linkedVcpu = -1;
  }
}

export function decodeIOPortControl(inv: Invocation): InvokeResult {
  const { k } = inv;
  if (inv.label !== Label.X86IOPortControlIssue) throw syserr(seL4_IllegalOperation);
  if (inv.len < 4 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
  const first = Number(mr(inv, 0) & 0xffffn);
  const last = Number(mr(inv, 1) & 0xffffn);
  if (last < first) throw syserr(seL4_InvalidArgument, 1);
  for (let p = first; p <= last; p++) if (k.ioPortIssued[p]) throw syserr(seL4_RevokeFirst);
  const dest = lookupSlotForCNodeOp(k, false, inv.extra[0], mr(inv, 2), mr(inv, 3));
  if (k.slots.caps[dest]) throw syserr(seL4_DeleteFirst);
  for (let p = first; p <= last; p++) k.ioPortIssued[p] = 1;
  const c = new Cap();
  c.kind = CapKind.IOPort;
  c.first = first;
  c.last = last;
  cteInsert(k, c, inv.slot, dest);
  return EMPTY;
}

export function decodeIOPort(inv: Invocation): InvokeResult {
  const { k, label } = inv;
  const sizes: Record<number, number> = {
    [Label.X86IOPortIn8]: 1, [Label.X86IOPortIn16]: 2, [Label.X86IOPortIn32]: 4,
    [Label.X86IOPortOut8]: 1, [Label.X86IOPortOut16]: 2, [Label.X86IOPortOut32]: 4,
  };
  const size = sizes[label];
  if (!size) throw syserr(seL4_IllegalOperation);
  const isIn = label <= Label.X86IOPortIn32;
  if (inv.len < (isIn ? 1 : 2)) throw syserr(seL4_TruncatedMessage);
  const port = Number(mr(inv, 0) & 0xffffn);
  if (port < inv.cap.first || port + size - 1 > inv.cap.last) throw syserr(seL4_IllegalOperation);
  const mask = (1n << BigInt(size * 8)) - 1n;
  if (isIn) return [(k.ioBus ? k.ioBus.in(port, size) : k.ioPortValues.get(port) ?? 0n) & mask];
  const value = mr(inv, 1) & mask;
  if (k.ioBus) k.ioBus.out(port, size, value);
  else k.ioPortValues.set(port, value);
  return EMPTY;
}

// ---- IRQs ----
export function decodeIRQControl(inv: Invocation): InvokeResult {
  const { k, label } = inv;
  if (label !== Label.X86IRQIssueIRQHandlerIOAPIC && label !== Label.X86IRQIssueIRQHandlerMSI) throw syserr(seL4_IllegalOperation);
  if (inv.len < 7 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
  const vector = mr(inv, 6);
  if (vector > BigInt(IRQ_USER_MAX_VECTOR)) throw syserr(seL4_RangeError, 0, IRQ_USER_MAX_VECTOR);
  const irq = Number(vector) + IRQ_OFFSET;
  if (k.irqState[irq]) throw syserr(seL4_RevokeFirst);
  const dest = lookupSlotForCNodeOp(k, false, inv.extra[0], mr(inv, 0), mr(inv, 1));
  if (k.slots.caps[dest]) throw syserr(seL4_DeleteFirst);
  if (label === Label.X86IRQIssueIRQHandlerIOAPIC) {
    if (mr(inv, 2) > 0n) throw syserr(seL4_RangeError, 0, 0);
    if (mr(inv, 3) > 23n) throw syserr(seL4_RangeError, 0, 23);
    if (mr(inv, 4) > 1n) throw syserr(seL4_RangeError, 0, 1);
    if (mr(inv, 5) > 1n) throw syserr(seL4_RangeError, 0, 1);
  } else {
    if (mr(inv, 2) > 255n) throw syserr(seL4_RangeError, 0, 255);
    if (mr(inv, 3) > 31n) throw syserr(seL4_RangeError, 0, 31);
    if (mr(inv, 4) > 7n) throw syserr(seL4_RangeError, 0, 7);
  }
  k.irqState[irq] = 1;
  k.irqMasked[irq] = 0;
  const c = new Cap();
  c.kind = CapKind.IRQHandler;
  c.irq = irq;
  cteInsert(k, c, inv.slot, dest);
  return EMPTY;
}

export function decodeIRQHandler(inv: Invocation): InvokeResult {
  const { k } = inv;
  const irq = inv.cap.irq;
  const slot = k.irqSlotBase + irq;
  switch (inv.label) {
    case Label.IRQAckIRQ:
      k.irqMasked[irq] = 0;
      return EMPTY;
    case Label.IRQSetIRQHandler: {
      const c = inv.extra[0];
      if (!c) throw syserr(seL4_TruncatedMessage);
      if (c.kind !== CapKind.Notification || !(c.rights & RIGHT_WRITE)) throw syserr(seL4_InvalidCapability, 0);
      cteDelete(k, slot);
      cteInsert(k, c.clone(), inv.extraSlots[0], slot);
      return EMPTY;
    }
    case Label.IRQClearIRQHandler:
      cteDelete(k, slot);
      return EMPTY;
  }
  throw syserr(seL4_IllegalOperation);
}

/** An interrupt arrives: signal the handler's notification and mask the line until Ack. Returns whether delivered. */
export function raiseIrq(k: Kernel, irq: number): boolean {
  if (!k.irqState[irq] || k.irqMasked[irq]) return false;
  const c = k.slots.caps[k.irqSlotBase + irq];
  if (!c) return false;
  k.irqMasked[irq] = 1;
  if (k.hook) k.emit({ kind: 'irq', irq, ntfn: c.obj });
  sendSignal(k, k.obj<NotificationObj>(c.obj), c.badge);
  return true;
}

export { VMCS };

/** Untyped_Retype (§3.1–§3.3): decode order = error precedence, watermark, alignment, lazy reset. */
import {
  Label, OBJECT_SIZE_BITS, ObjectType, RETYPE_FAN_OUT_LIMIT, seL4_AllRights, seL4_CanGrant, seL4_DeleteFirst, seL4_IllegalOperation,
  seL4_InvalidArgument, seL4_MaxUntypedBits, seL4_MinSchedContextBits, seL4_MinUntypedBits, seL4_NotEnoughMemory, seL4_ObjectTypeCount,
  seL4_RangeError, seL4_ReadWrite, seL4_TruncatedMessage, ThreadState, TIME_SLICE_TICKS, VM_READ_WRITE, OBJECT_TYPE_NAMES,
} from './constants';
import { failedLookup, syserr } from './errors';
import { EMPTY, mr, type Invocation, type InvokeResult } from './invocation';
import type { Kernel } from './kernel';
import { lookupSlotForCNodeOp, missing } from './lookup';
import { hasChildren, insertNewCap } from './mdb';
import { Cap, CapKind, type CNodeObj, type TcbObj, type VcpuObj } from './objects';
import { vcpuInit } from './vcpu';
const OT = { ...ObjectType };/** local copies: imported bindings can be getters after transpilation, slow in hot paths */
const CK = { ...CapKind };
const TS = { ...ThreadState };
/** Cap kind for each object type. */
export const CAP_KIND_FOR_TYPE: readonly number[] = [
  CK.Untyped, CK.TCB, CK.Endpoint, CK.Notification, CK.CNode, CK.SchedContext, CK.Reply,
  CK.PDPT, CK.PML4, CK.Frame, CK.Frame, CK.Frame, CK.PageTable, CK.PageDirectory,
  CK.IOPageTable, CK.VCPU, CK.EPTPML4, CK.EPTPDPT, CK.EPTPD, CK.EPTPT,
];

export function objectSizeBits(type: number, userSize: number): number {
  const f = OBJECT_SIZE_BITS[type];
  return f === -1 ? userSize : f === -2 ? userSize + 5 : f;
}

function isFrameType(type: number): boolean {
  return type === OT.seL4_X86_4K || type === OT.seL4_X86_LargePageObject || type === OT.seL4_X64_HugePageObject;
}

export function decodeUntyped(inv: Invocation): InvokeResult {
  const { k } = inv;
  if (inv.label !== Label.UntypedRetype) throw syserr(seL4_IllegalOperation);
  if (inv.len < 6 || !inv.extra[0]) throw syserr(seL4_TruncatedMessage);
  const typeW = mr(inv, 0);
  const sizeW = mr(inv, 1);
  const nodeIndex = mr(inv, 2);
  const nodeDepth = mr(inv, 3);
  const nodeOffset = mr(inv, 4);
  const numW = mr(inv, 5);
  if (typeW >= BigInt(seL4_ObjectTypeCount)) throw syserr(seL4_InvalidArgument, 0);
  const type = Number(typeW);
  const userSize = sizeW >= 64n ? 64 : Number(sizeW);
  const objSize = objectSizeBits(type, userSize);
  if (sizeW >= 64n || objSize > seL4_MaxUntypedBits) throw syserr(seL4_RangeError, 0, seL4_MaxUntypedBits);
  if (type === OT.seL4_CapTableObject && userSize === 0) throw syserr(seL4_InvalidArgument, 1);
  if (type === OT.seL4_UntypedObject && userSize < seL4_MinUntypedBits) throw syserr(seL4_InvalidArgument, 1);
  if (type === OT.seL4_SchedContextObject && userSize < seL4_MinSchedContextBits) throw syserr(seL4_InvalidArgument, 1);

  let destCap: Cap | null = inv.extra[0];
  if (nodeDepth !== 0n) {
    const s = lookupSlotForCNodeOp(k, false, inv.extra[0], nodeIndex, nodeDepth);
    destCap = k.slots.caps[s];
  }
  if (!destCap || destCap.kind !== CK.CNode) throw failedLookup(false, missing(Number(nodeDepth)));
  const slots = 2 ** destCap.radix;
  if (nodeOffset > BigInt(slots - 1)) throw syserr(seL4_RangeError, 0, slots - 1);
  if (numW < 1n || numW > BigInt(RETYPE_FAN_OUT_LIMIT)) throw syserr(seL4_RangeError, 1, RETYPE_FAN_OUT_LIMIT);
  const offset = Number(nodeOffset);
  if (numW > BigInt(slots - offset)) throw syserr(seL4_RangeError, 1, slots - offset);
  const num = Number(numW);
  const cn = k.objects[destCap.obj] as CNodeObj;
  for (let i = 0; i < num; i++) if (k.slots.caps[cn.slotBase + offset + i]) throw syserr(seL4_DeleteFirst);

  const ut = inv.cap;
  const reset = !hasChildren(k, inv.slot);
  const freeIndex = reset ? 0 : ut.freeIndex;
  const freeBytes = 2 ** ut.sizeBits - freeIndex * 16;
  if (Math.floor(freeBytes / 2 ** objSize) < num) throw syserr(seL4_NotEnoughMemory, BigInt(freeBytes));
  if (ut.isDevice && !isFrameType(type) && type !== OT.seL4_UntypedObject) throw syserr(seL4_InvalidArgument, 1);

  retypeInto(k, inv.slot, type, userSize, cn.slotBase + offset, num, reset);
  return EMPTY;
}

/** Perform the retype (decode already checked): objects at aligned addresses from the watermark. */
export function retypeInto(k: Kernel, utSlot: number, type: number, userSize: number, firstDest: number, num: number, reset: boolean): void {
  const ut = k.slots.caps[utSlot]!;
  if (reset) ut.freeIndex = 0;
  const objSize = objectSizeBits(type, userSize);
  // addresses as doubles: exact, since physical addresses stay below 2^47
  const objBytes = 2 ** objSize;
  const start = ut.pa + ut.freeIndex * 16;
  const base = Math.ceil(start / objBytes) * objBytes;
  const kind = CAP_KIND_FOR_TYPE[type] as Cap['kind'];
  // the per-type cap fields are the same for the whole batch: decide them once, outside the per-object loop
  let rights = 0;
  let vmRights = 0;
  let isDevice = false;
  let radix = 0;
  switch (type) {
    case OT.seL4_UntypedObject:
      isDevice = ut.isDevice;
      break;
    case OT.seL4_EndpointObject:
      rights = seL4_AllRights;
      break;
    case OT.seL4_NotificationObject:
      rights = seL4_ReadWrite;
      break;
    case OT.seL4_ReplyObject:
      rights = seL4_CanGrant;
      break;
    case OT.seL4_CapTableObject:
      radix = userSize;
      break;
    case OT.seL4_X86_4K:
    case OT.seL4_X86_LargePageObject:
    case OT.seL4_X64_HugePageObject:
      vmRights = VM_READ_WRITE;
      isDevice = ut.isDevice;
      break;
  }
  const makesObject = type !== OT.seL4_UntypedObject;
  // insert in reverse so the MDB order after the untyped follows slot order
  let paddr = base + num * objBytes;
  for (let i = num - 1; i >= 0; i--) {
    paddr -= objBytes;
    const c = new Cap();
    c.kind = kind;
    c.pa = paddr;
    c.sizeBits = objSize;
    c.rights = rights;
    if (vmRights) c.vmRights = vmRights;
    if (isDevice) c.isDevice = true;
    if (radix) c.radix = radix;
    if (makesObject) {
      const o = k.newObject(type, paddr, objSize);
      c.obj = o.id;
      if (type === OT.seL4_X86_VCPUObject) vcpuInit(o as VcpuObj);
      if (type === OT.seL4_TCBObject) {
        const t = o as TcbObj;
        t.state = TS.Inactive;
        t.timeslice = TIME_SLICE_TICKS;
      }
    }
    insertNewCap(k, utSlot, firstDest + i, c);
  }
  ut.freeIndex = (base + num * objBytes - ut.pa) / 16;
  if (k.hook) k.emit({ kind: 'retype', type, count: num, paddr: BigInt(base), sizeBits: objSize });
}

export function objectTypeName(type: number): string {
  return OBJECT_TYPE_NAMES[type] ?? `type ${type}`;
}

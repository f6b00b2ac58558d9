/** Test helpers: boot a kernel and make invocations from the root thread the way libsel4 marshals them. */
import { x86_64_generic_vtx } from '../boards/x86_64_generic_vtx';
import { bootKernel, type Booted } from './boot';
import { InitialCap, Label, type LabelName } from './constants';
import { makeInfo, msgLabel, msgLength } from './ipc';
import { handleSyscall } from './syscall';
import { Sys } from './constants';
import type { TcbObj } from './objects';

export const ROOT = BigInt(InitialCap.seL4_CapInitThreadCNode);

export interface Harness extends Booted {
  /** invoke `cptr` with a label and words; returns the error number and reply words */
  call(cptr: bigint | number, label: LabelName, mrs: (bigint | number)[], caps?: (bigint | number)[], t?: TcbObj): { err: number; mrs: bigint[] };
  /** first free slot of the root CNode */
  free: number;
  /** a large RAM untyped cptr */
  ram: bigint;
  slotOf(cptr: number | bigint): number;
}

export function boot(): Harness {
  const b = bootKernel(x86_64_generic_vtx);
  const bi = b.bootinfo;
  let best = -1;
  bi.untypedList.forEach((u, i) => { if (!u.isDevice && (best < 0 || u.sizeBits > bi.untypedList[best].sizeBits)) best = i; });
  const h: Harness = {
    ...b,
    free: bi.empty.start,
    ram: BigInt(bi.untyped.start + best),
    call(cptr, label, mrs, caps = [], t = b.rootTcb) {
      mrs.forEach((m, i) => (t.buf[1 + i] = BigInt.asUintN(64, BigInt(m))));
      caps.forEach((c, i) => (t.buf[122 + i] = BigInt(c)));
      t.msgInfo = makeInfo(BigInt(Label[label]), 0, caps.length, mrs.length);
      t.capReg = BigInt(cptr);
      handleSyscall(b.kernel, t, Sys.Call);
      const len = msgLength(t.msgInfo);
      return { err: Number(msgLabel(t.msgInfo)), mrs: Array.from(t.buf.slice(1, 1 + len)) };
    },
    slotOf(cptr) {
      return b.rootCNode.slotBase + Number(cptr);
    },
  };
  return h;
}

/** Names a lab script may use: libsel4 constants, object types, initial cap slots, attributes. */
import * as C from '../constants';

export const LAB_CONSTANTS: ReadonlyMap<string, bigint> = (() => {
  const m = new Map<string, bigint>();
  for (const [k, v] of Object.entries(C)) {
    if (!k.startsWith('seL4_')) continue;
    if (typeof v === 'number') m.set(k, BigInt(v));
    else if (typeof v === 'bigint') m.set(k, v);
  }
  for (const table of [C.ObjectType, C.InitialCap, C.VMAttr, C.EPTAttr]) for (const [k, v] of Object.entries(table)) m.set(k, BigInt(v));
  m.set('seL4_X86_4KPage', BigInt(C.ObjectType.seL4_X86_4K));
  m.set('seL4_X86_4KObject', BigInt(C.ObjectType.seL4_X86_4K));
  m.set('seL4_PageTableObject', BigInt(C.ObjectType.seL4_X86_PageTableObject));
  m.set('seL4_True', 1n);
  m.set('seL4_False', 0n);
  m.set('true', 1n);
  m.set('false', 0n);
  m.set('NULL', 0n);
  m.set('seL4_TCBFlag_fpuDisabled', 1n);
  ERROR_LIST.forEach((n, i) => m.set(n, BigInt(i)));
  for (const [n, v] of Object.entries(C.VMCS)) m.set(`VMX_${n}`, BigInt(v));
  return m;
})();

import { ERROR_NAMES as ERROR_LIST } from '../constants';

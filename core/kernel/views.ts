/** Enumerations for views and invariants: every cap with its slot address, every live object. */
import type { Kernel } from './kernel';
import { CAP_KIND_NAMES, type Cap } from './objects';
import { OBJECT_TYPE_NAMES } from './constants';

export interface CapView {
  slot: number;
  /** object id of the CNode/TCB holding the slot (-2 = kernel IRQ table) */
  owner: number;
  index: number;
  kind: string;
  cap: Cap;
  revocable: boolean;
  firstBadged: boolean;
  /** MDB neighbours (slot ids, -1 none) */
  prev: number;
  next: number;
}

export interface ObjectView {
  id: number;
  type: string;
  paddr: bigint;
  sizeBits: number;
}

export function listCaps(k: Kernel): CapView[] {
  const out: CapView[] = [];
  const s = k.slots;
  for (let i = 0; i < s.size; i++) {
    const c = s.caps[i];
    if (!c || s.owner[i] === -3) continue;
    out.push({ slot: i, owner: s.owner[i], index: s.index[i], kind: CAP_KIND_NAMES[c.kind], cap: c, revocable: s.revocable(i), firstBadged: s.firstBadged(i), prev: s.prev[i], next: s.next[i] });
  }
  return out;
}

export function listObjects(k: Kernel): ObjectView[] {
  const out: ObjectView[] = [];
  for (const o of k.liveObjects()) out.push({ id: o.id, type: o.type === -1 ? 'ASIDPool' : OBJECT_TYPE_NAMES[o.type], paddr: o.paddr, sizeBits: o.sizeBits });
  return out;
}

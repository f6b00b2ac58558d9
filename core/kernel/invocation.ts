/** What a decoder sees: the invoked cap, the message words and the extra caps, as seL4's decode functions do. */
import type { Kernel } from './kernel';
import type { Cap, TcbObj } from './objects';

export interface Invocation {
  k: Kernel;
  /** calling thread */
  t: TcbObj;
  label: number;
  /** message length (words available to the decoder) */
  len: number;
  cap: Cap;
  slot: number;
  /** extra caps looked up from the caller's CSpace (null = not supplied) */
  extra: (Cap | null)[];
  extraSlots: number[];
  isCall: boolean;
}

/** MR i of the caller's message. */
export function mr(inv: Invocation, i: number): bigint {
  return inv.t.buf[1 + i];
}

/** Successful decode result: reply words, or null when no reply is sent (the caller blocked or went away). */
export type InvokeResult = bigint[] | null;
export const EMPTY: bigint[] = [];

/** The narrow interfaces the CPU needs from its surroundings: RAM and device memory,
 * I/O ports, and (in VMX non-root operation) the EPT translation supplied by the kernel model. */

/** Access kinds for translations and faults. */
export const enum Access { Read = 0, Write = 1, Exec = 2 }

/** Device memory (physical addresses outside RAM). Sizes are 1, 2 or 4 bytes. */
export interface MmioBus {
  read(addr: number, size: number): number;
  write(addr: number, size: number, value: number): void;
}

/** Host physical memory: RAM as one byte array from address 0, device memory above it. */
export interface PhysicalMemory {
  readonly bytes: Uint8Array;
  /** accesses past the end of RAM; without it reads return all ones and writes are dropped */
  readonly mmio?: MmioBus;
}

/** I/O port space. Sizes are 1, 2 or 4 bytes. */
export interface IoBus {
  in(port: number, size: number): number;
  out(port: number, size: number, value: number): void;
}

/** Guest-physical to host-physical translation (EPT). The kernel model's EPT objects implement it.
 * On a violation it returns the EPT-violation qualification bits 3..5 (what the walk allowed:
 * readable, writable, executable); the CPU adds the access bits 0..2 and bits 7/8 itself. */
export interface EptTranslator {
  translate(gpa: number, access: Access): EptResult;
}
export type EptResult = { hostPhys: number } | { violation: number; misconfig?: boolean };

/** Why a run stopped. */
export type StopReason =
  | 'budget' // the instruction budget ran out
  | 'hlt' // HLT with interrupts disabled (nothing can wake the CPU)
  | 'halted' // HLT with interrupts enabled: waiting for an interrupt
  | 'triple-fault' // shutdown
  | 'breakpoint' // stopped at a breakpoint address before executing it
  | 'stop' // a device or the host asked to stop
  | 'vm-exit'; // VMX non-root: the instruction exits to the host (it did not retire)

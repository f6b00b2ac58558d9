/** Trace events: everything observable, each stamped with a sequence number, simulated time and core. */
import type { KernelEvent } from '../kernel';
import type { RuntimeEvent } from '../microkit';

export type DeviceEvent =
  | { kind: 'timer-fired'; irqDelivered: boolean }
  | { kind: 'timer-armed'; inUs: number }
  /** a byte a board device transmitted (a UART's serial line), e.g. device "COM1", source "COM1 (serial PD's ioport 0x3f8)" */
  | { kind: 'device-output'; device: string; source: string; text: string }
  /** a guest stopped at a guest-rip breakpoint before executing the instruction there (tcb: the VCPU's thread) */
  | { kind: 'guest-breakpoint'; tcb: number; rip: number };

export type TraceEvent = (KernelEvent | RuntimeEvent | DeviceEvent) & {
  seq: number;
  /** simulated ns */
  time: number;
  core: number;
};

export type Breakpoint =
  | { kind: 'entry'; pd: string; entry?: 'init' | 'notified' | 'protected' | 'fault' }
  | { kind: 'channel'; pd: string; ch: number }
  | { kind: 'fault'; pd?: string }
  | { kind: 'irq'; pd?: string; id?: number }
  /** a guest's RIP, at any instruction (x86 VMs) */
  | { kind: 'guest-rip'; rip: number };

export interface FaultRecord {
  time: number;
  pd: string;
  label: number;
  /** 'monitor' for a top-level PD, else the parent's name */
  handler: string;
  /** the JS error or watchdog text, when the fault came from the program itself */
  text: string | null;
  /** the faulting address of a VM fault raised by the program's memory access */
  address: string | null;
}

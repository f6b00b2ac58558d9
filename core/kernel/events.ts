/** Typed trace events: everything observable the kernel does. Emitted only when a hook is installed. */
export type KernelEvent =
  | { kind: 'syscall'; tcb: number; sys: string; cptr: bigint }
  | { kind: 'invoke'; tcb: number; label: string; error: number }
  | { kind: 'schedule'; core: number; tcb: number }
  | { kind: 'block'; tcb: number; state: string; on: number }
  | { kind: 'wake'; tcb: number }
  | { kind: 'signal'; ntfn: number; badge: bigint; woke: number }
  | { kind: 'send'; ep: number; from: number; to: number; badge: bigint; label: bigint }
  | { kind: 'call'; ep: number; from: number; to: number; badge: bigint; label: bigint }
  | { kind: 'reply'; from: number; to: number }
  | { kind: 'fault'; tcb: number; label: number; handled: boolean }
  | { kind: 'irq'; irq: number; ntfn: number }
  | { kind: 'map'; asid: number; vaddr: bigint; paddr: bigint; sizeBits: number; ept: boolean }
  | { kind: 'unmap'; asid: number; vaddr: bigint; ept: boolean }
  | { kind: 'retype'; type: number; count: number; paddr: bigint; sizeBits: number }
  | { kind: 'revoke'; slot: number; deleted: number }
  | { kind: 'delete'; slot: number; final: boolean; capKind: string }
  | { kind: 'vm-entry'; tcb: number; rip: bigint }
  | { kind: 'vm-exit'; tcb: number; reason: number; notif: boolean };

export type KernelEventHook = (e: KernelEvent) => void;

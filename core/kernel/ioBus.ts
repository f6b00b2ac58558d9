/** The machine's port-I/O bus behind X86_IOPort_In/Out: the simulation installs one (`Kernel.ioBus`) so a PD that
 * owns an IOPort cap reaches the board's devices (e.g. the COM1 16550). Without one, In returns the last Out. */
export interface IoPortBus {
  /** value an IN of `size` bytes (1, 2 or 4) at `port` reads (the kernel keeps only the low `size` bytes) */
  in(port: number, size: number): bigint;
  /** an OUT of `size` bytes at `port` (value already masked to `size` bytes) */
  out(port: number, size: number, value: bigint): void;
}

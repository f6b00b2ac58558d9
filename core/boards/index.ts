/** Boards: one data file each; this list is the only place that names them. */
export type { Arch, Board, KernelConfig, PhysRange } from './types';
import type { Board } from './types';
import { x86_64_generic_vtx } from './x86_64_generic_vtx';
import { qemu_virt_aarch64 } from './qemu_virt_aarch64';
import { qemu_virt_riscv64 } from './qemu_virt_riscv64';

export const BOARDS: readonly Board[] = [x86_64_generic_vtx, qemu_virt_aarch64, qemu_virt_riscv64];
export const DEFAULT_BOARD = x86_64_generic_vtx.name;

export function findBoard(name: string): Board | undefined {
  return BOARDS.find((b) => b.name === name);
}

export function boardNames(): string[] {
  return BOARDS.map((b) => b.name);
}

/** The kernel configuration of a board, or of its `smp-` variant (the domain scheduler is
 * then unavailable: one domain). */
export function boardKernel(board: Board, opts: { smp?: boolean } = {}): import('./types').KernelConfig {
  if (!opts.smp) return board.kernel;
  if (!board.smpCores) throw new Error(`board '${board.name}' has no SMP configuration`);
  return { ...board.kernel, cores: board.smpCores, numDomains: 1 };
}

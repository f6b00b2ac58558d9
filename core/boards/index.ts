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

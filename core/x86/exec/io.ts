/** Port I/O: in/out, the IOPL check, and the VMX I/O intercept. */
import { OpKind, type Instruction } from '../decoder';
import { CpuFault, type Cpu } from '../cpu/cpu';
import { CR0, EXC } from '../cpu/constants';
// Hot-path aliases: module-level constants read once (cheaper than enum/namespace lookups).
const K_IMM = OpKind.Imm, CR0_PE = CR0.PE, EXC_GP = EXC.GP;

/** #GP when CPL > IOPL in protected mode (the TSS I/O permission bitmap is not modelled);
 * then the VMX intercept, which may cause a VM exit (thrown: string I/O is mid-iteration). */
export function checkIo(cpu: Cpu, ins: Instruction, port: number, size: number, isIn: boolean): void {
  if (cpu.cr0 & CR0_PE && cpu.cpl > ((cpu.flagsRaw >> 12) & 3)) throw new CpuFault(EXC_GP, 0);
  if (cpu.nonRoot) cpu.nonRoot.intercept(cpu, ins, 'io', port | (size << 16) | (isIn ? 1 << 24 : 0));
}

/** checkIo for IN/OUT: true if the access exits without unwinding (the caller returns without effect). */
function ioExits(cpu: Cpu, ins: Instruction, port: number, size: number, isIn: boolean): boolean {
  if (cpu.cr0 & CR0_PE && cpu.cpl > ((cpu.flagsRaw >> 12) & 3)) throw new CpuFault(EXC_GP, 0);
  const hooks = cpu.nonRoot;
  if (hooks === null) return false;
  if (hooks.ioExit !== undefined) return hooks.ioExit(cpu, ins, port, size, isIn);
  hooks.intercept(cpu, ins, 'io', port | (size << 16) | (isIn ? 1 << 24 : 0));
  return false;
}

function portOf(cpu: Cpu, ins: Instruction, i: number): number {
  const p = ins.operands[i];
  return p.kind === K_IMM ? p.imm & 0xff : cpu.r[2] & 0xffff;
}

function in_(cpu: Cpu, ins: Instruction): void {
  const d = ins.operands[0];
  const port = portOf(cpu, ins, 1);
  if (ioExits(cpu, ins, port, d.size, true)) return;
  const v = cpu.io.in(port, d.size);
  cpu.setReg(0, d.size, d.size === 4 ? v | 0 : v & (d.size === 2 ? 0xffff : 0xff));
}

function out(cpu: Cpu, ins: Instruction): void {
  const s = ins.operands[1];
  const port = portOf(cpu, ins, 0);
  if (ioExits(cpu, ins, port, s.size, false)) return;
  const v = cpu.getReg(0, s.size);
  cpu.io.out(port, s.size, s.size === 4 ? v >>> 0 : v);
}

export const IO_HANDLERS = { in: in_, out };

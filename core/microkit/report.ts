/** Formatting as the monitor's util.h does it: puthex32/puthex64, register dumps per architecture, fault decoding. */
import type { Arch } from '../boards';

export function hex64(v: bigint): string {
  return '0x' + BigInt.asUintN(64, v).toString(16).padStart(16, '0');
}

export function hex32(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}

const X86_NAMES = ['rip', 'rsp', 'rflags', 'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'fs_base', 'gs_base'];
/** aarch64 monitor order (names) mapped onto the model's register file: pc, sp, spsr, then x0.. */
const ARM_PRINT = ['pc', 'sp', 'spsr', 'x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x16', 'x17', 'x18', 'x29', 'x30', 'x9', 'x10', 'x11', 'x12', 'x13', 'x14', 'x15', 'x19', 'x20', 'x21', 'x22', 'x23', 'x24', 'x25', 'x26', 'x27', 'x28', 'tpidr_el0', 'tpidrro_el0'];
const RISCV_PRINT = ['pc', 'ra', 's0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 't0', 't1', 't2', 't3', 't4', 't5', 't6', 'tp'];

/** "Registers: " block; `regs` is the seL4_UserContext the kernel returned (x86_64 layout in this model). */
export function registerLines(arch: Arch, regs: bigint[]): string {
  let s = 'Registers: \n';
  if (arch === 'x86_64') {
    X86_NAMES.forEach((n, i) => {
      s += `${n === 'rsp' ? 'rsp:' : `${n} :`} ${hex64(regs[i] ?? 0n)}\n`;
    });
    return s;
  }
  const names = arch === 'aarch64' ? ARM_PRINT : RISCV_PRINT;
  const value = (n: string): bigint => (n === 'pc' ? regs[0] : n === 'sp' ? regs[1] : n === 'spsr' ? regs[2] : 0n) ?? 0n;
  for (const n of names) s += `${n === 'sp' ? 'sp:' : `${n} :`} ${hex64(value(n))}\n`;
  return s;
}

/** The monitor's decoding line(s) of a VM fault's FSR. */
export function pageFaultToString(arch: Arch, fsr: bigint): string {
  if (arch === 'x86_64') {
    const d: Record<string, string> = {
      '4': 'read to a non-present page at ring 3',
      '5': 'page-protection violation from read at ring 3',
      '6': 'write to a non-present page at ring 3',
      '7': 'page-protection violation from write at ring 3',
      '16': 'instruction fetch from non-executable page',
    };
    return `MON|ERROR: description of fault: ${d[fsr.toString()] ?? 'invalid FSR or unimplemented decoding'}\n`;
  }
  if (arch === 'riscv64') {
    const d: Record<string, string> = { '13': 'Load page fault', '15': 'Store/AMO page fault', '5': 'Load access fault', '7': 'Store/AMO access fault' };
    return `MON|ERROR: description of fault: ${d[fsr.toString()] ?? '<Unexpected FSR>'}\n`;
  }
  const ec = Number(fsr >> 26n);
  const il = Number((fsr >> 25n) & 1n);
  const iss = Number(fsr & 0x1ffffffn);
  let s = `MON|ERROR:   ec: ${hex32(ec)}  ${ec === 0x24 ? 'Data Abort from a lower Exception level' : '<invalid EC>'}   il: ${il}   iss: ${hex32(iss)}\n`;
  if (ec === 0x24) {
    const dfsc = iss & 0x3f;
    const names: Record<number, string> = { 0x07: 'translation fault, level 3', 0x0f: 'permission fault, level 3' };
    s += `MON|ERROR:   dfsc = ${names[dfsc] ?? '<unexpected DFSC>'} (${hex32(dfsc)})${(iss >> 6) & 1 ? ' -- write not read' : ''}\n`;
  }
  return s;
}

/** The FSR the kernel reports for a user data access on each architecture. */
export function dataFaultFsr(arch: Arch, write: boolean, present: boolean): bigint {
  if (arch === 'x86_64') return 4n | (write ? 2n : 0n) | (present ? 1n : 0n);
  if (arch === 'riscv64') return write ? 15n : 13n;
  const dfsc = present ? 0x0fn : 0x07n;
  return (0x24n << 26n) | (1n << 25n) | (write ? 1n << 6n : 0n) | dfsc;
}

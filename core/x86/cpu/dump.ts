/** Register dump with lower-case names and hex values (64-bit values do not fit a JS number). */
import type { Cpu } from './cpu';

export const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const SEGS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];

function hex64(v: number): string {
  const b = v < 0 ? BigInt(Math.round(v)) + (1n << 64n) : BigInt(Math.round(v));
  return '0x' + b.toString(16).padStart(16, '0');
}

export function registerDump(cpu: Cpu): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < 16; i++) {
    const v = (BigInt(cpu.rh[i] >>> 0) << 32n) | BigInt(cpu.r[i] >>> 0);
    out[GPR_NAMES[i]] = '0x' + v.toString(16).padStart(16, '0');
  }
  out.rip = hex64(cpu.rip);
  out.rflags = hex64(cpu.getFlags());
  out.cr0 = hex64(cpu.cr0 >>> 0);
  out.cr2 = hex64(cpu.cr2);
  out.cr3 = hex64(cpu.cr3);
  out.cr4 = hex64(cpu.cr4);
  out.efer = hex64(cpu.efer);
  SEGS.forEach((s, i) => (out[s] = '0x' + cpu.segSel[i].toString(16).padStart(4, '0')));
  return out;
}

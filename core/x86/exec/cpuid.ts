/** CPUID leaves: one table. Feature bits advertise only what the model implements. */
import type { Cpu } from '../cpu/cpu';
import { CR4 } from '../cpu/constants';

const str4 = (s: string) => s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24);
const VENDOR = 'GenuineIntel';

/** Leaf 1 EDX: PSE(3) TSC(4) MSR(5) PAE(6) PGE(13) CMOV(15) PAT(16). */
export const CPUID1_EDX = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 13) | (1 << 15) | (1 << 16);
/** Leaf 1 ECX: XSAVE(26), RDRAND(30); OSXSAVE(27) mirrors CR4.OSXSAVE; hypervisor(31) when running as a guest. */
export const CPUID1_ECX = (1 << 26) | (1 << 30);
/** Leaf 0x80000001 EDX: SYSCALL(11) NX(20) 1 GiB pages(26) RDTSCP(27) LM(29). */
export const CPUID_EXT_EDX = (1 << 11) | (1 << 20) | (1 << 26) | (1 << 27) | (1 << 29);

export function cpuidLeaf(cpu: Cpu, leaf: number, sub: number): [number, number, number, number] {
  switch (leaf) {
    case 0: return [0xd, str4(VENDOR.slice(0, 4)), str4(VENDOR.slice(8, 12)), str4(VENDOR.slice(4, 8))];
    case 1: {
      const ecx = CPUID1_ECX | (cpu.cr4 & CR4.OSXSAVE ? 1 << 27 : 0) | (cpu.nonRoot ? 1 << 31 : 0);
      return [0x000306a9, 0x00010800, ecx | 0, CPUID1_EDX];
    }
    case 0xd:
      if (sub === 0) return [3, 0x240, 0x240, 0]; // x87 + SSE state components, 576-byte area
      return [0, 0, 0, 0];
    case 0x80000000: return [0x80000008 | 0, 0, 0, 0];
    case 0x80000001: return [0, 0, 0, CPUID_EXT_EDX];
    case 0x80000008: return [0x3027, 0, 0, 0]; // 39 physical, 48 linear address bits
    default: return [0, 0, 0, 0];
  }
}

/** CPUID as libvmm answers it (vmm-x86.md §1.3). Leaves libvmm passes through from the host use the values of
 * the simulated host below (one fixed host, so runs are reproducible). */
import { TSC_HZ } from './constants';

const b = (...bits: number[]): number => bits.reduce((v, n) => (v | (1 << n)) >>> 0, 0);
const str4 = (s: string): number => (s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24)) >>> 0;

/** leaf 1 ECX: SSE3 0, PCLMULQDQ 1, SSSE3 9, CX16 13, SSE4.1 19, SSE4.2 20, MOVBE 22, POPCNT 23, AES 25, XSAVE 26, RDRAND 30 */
export const CPUID1_ECX = b(0, 1, 9, 13, 19, 20, 22, 23, 25, 26, 30);
const OSXSAVE = 1 << 27;
/** leaf 1 EDX: FPU VME DE PSE TSC MSR PAE MCE CX8 APIC MTRR PGE MCA CMOV PAT PSE36 CLFLUSH MMX FXSR SSE SSE2 SS */
export const CPUID1_EDX = b(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 19, 23, 24, 25, 26, 27);
/** leaf 7 EBX: FSGSBASE 0, SMEP 7, ADX 19, SMAP 20, CLFLUSHOPT 23 (no AVX in seL4's XCR0 here) */
export const CPUID7_EBX = b(0, 7, 19, 20, 23);
/** 0x80000001 ECX: LAHF/SAHF 0, LZCNT 5, PREFETCHW 8; EDX: NX 20, 1 GiB pages 26, LM 29, SYSCALL 11 (64-bit only) */
const EXT1_ECX = b(0, 5, 8);
const EXT1_EDX = b(20, 26, 29);
const SYSCALL = 1 << 11;
const CLFLUSH_LINE = 8 << 8; // host CLFLUSH line size (8 qwords = 64 bytes), the only EBX bits libvmm keeps

/** The simulated host's answers for the leaves libvmm passes through (2, 4, 0xD, 0x80000006..8). */
const HOST: Record<string, [number, number, number, number]> = {
  '2.0': [0x00feff01, 0, 0, 0x00c30000],
  '4.0': [0x1c004121, 0x01c0003f, 0x3f, 0], '4.1': [0x1c004122, 0x01c0003f, 0x3f, 0],
  '4.2': [0x1c004143, 0x03c0003f, 0x3ff, 0], '4.3': [0x1c03c163, 0x03c0003f, 0x3fff, 6],
  '13.0': [0x3, 0x240, 0x240, 0], '13.1': [0x1, 0, 0, 0], // x87 | SSE: a 576-byte XSAVE area
  '2147483654.0': [0, 0, 0x01006040, 0], '2147483655.0': [0, 0, 0, 0x100], '2147483656.0': [0x3027, 0, 0, 0],
};

const BRAND = 'Trustworthy Systems CPU'.padEnd(48, '\0');

export interface CpuidResult {
  eax: number;
  ebx: number;
  ecx: number;
  edx: number;
  /** false for a leaf libvmm does not know (it still answers zeros, and logs an error) */
  known: boolean;
}

/** libvmm's emulate_cpuid. `osxsave` mirrors guest CR4.OSXSAVE, `longMode` the guest's 64-bit mode. */
export function emulateCpuid(leaf: number, sub: number, osxsave: boolean, longMode: boolean, out: CpuidResult): void {
  out.eax = out.ebx = out.ecx = out.edx = 0;
  out.known = true;
  const host = (): void => {
    const h = HOST[`${leaf}.${sub}`] ?? HOST[`${leaf}.0`];
    if (h && (leaf !== 4 || HOST[`${leaf}.${sub}`])) [out.eax, out.ebx, out.ecx, out.edx] = h;
  };
  switch (leaf >>> 0) {
    case 0:
      out.eax = 0x16;
      out.ebx = str4('Genu');
      out.edx = str4('ineI');
      out.ecx = str4('ntel');
      return;
    case 1:
      out.eax = 0x00050054;
      out.ebx = CLFLUSH_LINE;
      out.ecx = (CPUID1_ECX | (osxsave ? OSXSAVE : 0)) >>> 0;
      out.edx = CPUID1_EDX;
      return;
    case 2:
    case 4:
      return host();
    case 7:
      if (sub === 0) out.ebx = CPUID7_EBX;
      return;
    case 0xb:
      out.ecx = sub >>> 0;
      return;
    case 0xd:
      host();
      if (sub === 0) out.eax = 0x3; // seL4's XCR0 feature set: x87 | SSE
      return;
    case 0x15:
      out.eax = 1;
      out.ebx = 1;
      out.ecx = TSC_HZ;
      return;
    case 0x16:
      out.eax = out.ebx = out.ecx = TSC_HZ / 1_000_000;
      return;
    case 0x80000000:
      out.eax = 0x80000008;
      return;
    case 0x80000001:
      out.ecx = EXT1_ECX;
      out.edx = (EXT1_EDX | (longMode ? SYSCALL : 0)) >>> 0;
      return;
    case 0x80000002:
    case 0x80000003:
    case 0x80000004: {
      const base = (leaf - 0x80000002) * 16;
      out.eax = str4(BRAND.slice(base, base + 4));
      out.ebx = str4(BRAND.slice(base + 4, base + 8));
      out.ecx = str4(BRAND.slice(base + 8, base + 12));
      out.edx = str4(BRAND.slice(base + 12, base + 16));
      return;
    }
    case 0x80000006:
    case 0x80000007:
    case 0x80000008:
      return host();
  }
  // every other leaf reads as zeros; libvmm knows these ranges and does not complain about them
  const l = leaf >>> 0;
  const quiet = l === 3 || l === 5 || l === 6 || (l >= 8 && l <= 0xa) || l === 0xc || (l >= 0xe && l <= 0x14) || (l >= 0x17 && l <= 0x1f) || l === 0x21
    || (l >= 0x40000000 && l <= 0x4fffffff) || l === 0x80000005 || (l >= 0x80000009 && l <= 0x8000001f);
  out.known = quiet;
}

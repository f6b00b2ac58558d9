/** Kernel configurations of the microkit tool's own SDF tests (tool/microkit/tests/test.rs),
 * by the labels used in ../shared/conformance/microkit-sdf/cases.tsv (§G). */
import type { KernelConfig } from '../boards';

const MiB = 1024n * 1024n;

const AARCH64: KernelConfig = {
  arch: 'aarch64',
  cores: 1,
  hypervisor: true,
  iommu: true,
  armSmc: false,
  // the test config leaves the SMC option undefined
  armSmcConfigured: false,
  numDomains: 16,
  numDomainSchedules: 100,
  userTop: 0xff_ffff_ffffn + 1n,
  pageSizes: [0x1000n, 2n * MiB],
  physAddrBits: 40,
  mcs: true,
};

const X86_64: KernelConfig = {
  ...AARCH64,
  arch: 'x86_64',
  userTop: 0x7fff_ffff_efffn + 1n,
  physAddrBits: 40,
};

/** `aarch64`, `aarch64-smp4`, `x86_64`, and `<base>+iommu=true|false`, `riscv64(aarch64 base)+...`. */
export function testKernelConfig(label: string): KernelConfig {
  const m = /^(aarch64-smp4|aarch64|x86_64|riscv64\(aarch64 base\))(?:\+iommu=(true|false))?$/.exec(label);
  if (!m) throw new Error(`unknown kernel configuration label '${label}'`);
  let k: KernelConfig;
  if (m[1] === 'aarch64') k = { ...AARCH64 };
  else if (m[1] === 'aarch64-smp4') k = { ...AARCH64, cores: 4 };
  else if (m[1] === 'x86_64') k = { ...X86_64 };
  else k = { ...AARCH64, arch: 'riscv64' };
  if (m[2]) k.iommu = m[2] === 'true';
  return k;
}

/** Where a name used in the SDF is declared, for go-to-definition. */
import type { SystemDescription } from '../../core/protocol';

/** The element that declares `name`: a PD, a VM or a memory region (the names the SDF refers to). */
export function declarationOf(system: SystemDescription, name: string): { line: number; column: number } | null {
  const pd = system.protectionDomains.find((p) => p.name === name);
  if (pd) return pd.pos;
  const vm = system.protectionDomains.find((p) => p.virtualMachine?.name === name)?.virtualMachine;
  if (vm) return vm.pos;
  return system.memoryRegions.find((m) => m.name === name)?.pos ?? null;
}

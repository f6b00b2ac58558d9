/** A VM's state for reports (CLI `run --json`, views): serial output, exit counts by reason, the last exits, and the
 * failure that stopped the VCPU if any. */
import type { Vmm } from './vmm';
import type { VmExitRecord } from './record';
import type { RunnerExitView } from './kernelRunner';

export interface VmReport {
  name: string;
  vmm: string;
  serial: string;
  exits: number;
  exitCounts: Record<string, number>;
  lastExits: { reason: number; name: string; qualification: number; guestPhysical: number; rip: number; outcome: string }[];
  state: 'running' | 'waiting' | 'stopped';
  error: string | null;
  trace?: VmExitRecord[];
}

/** A VM's report from what the kernel's guest runner saw (every exit) and, when the VMM uses the VMM library,
 * what the library did with them (serial output, outcomes). */
export function vmReport(name: string, vmmPd: string, seen: RunnerExitView | null, vmm: Vmm | null, tracing: boolean): VmReport {
  const r: VmReport = {
    name,
    vmm: vmmPd,
    serial: vmm?.console ?? '',
    exits: seen?.exits ?? vmm?.exits ?? 0,
    exitCounts: seen?.exitCounts ?? vmm?.exitCounts() ?? {},
    lastExits: vmm && vmm.exits > 0 ? vmm.last.list() : seen?.lastExits ?? [],
    state: vmm?.failure ? 'stopped' : vmm?.waiting ? 'waiting' : 'running',
    error: vmm?.failure?.message ?? null,
  };
  if (tracing) r.trace = vmm && vmm.trace.length > 0 ? vmm.trace : seen?.trace ?? [];
  return r;
}

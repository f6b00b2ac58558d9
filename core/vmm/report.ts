/** A VM's state for reports (CLI `run --json`, views): serial output, exit counts by reason, the last exits, and the
 * failure that stopped the VCPU if any. */
import type { Vmm } from './vmm';
import type { VmExitRecord } from './record';

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

export function vmReport(name: string, vmm: Vmm): VmReport {
  const r: VmReport = {
    name,
    vmm: vmm.name,
    serial: vmm.console,
    exits: vmm.exits,
    exitCounts: vmm.exitCounts(),
    lastExits: vmm.last.list(),
    state: vmm.failure ? 'stopped' : vmm.waiting ? 'waiting' : 'running',
    error: vmm.failure?.message ?? null,
  };
  if (vmm.tracing) r.trace = vmm.trace;
  return r;
}

/** What a slot of a PD's Microkit CNode means (microkit.md §D.3), with the SDF names beside it. */
import { slots as S } from '../../core/build';
import type { SystemDescription } from '../../core/protocol';

const RANGES: { base: number; what: string }[] = [
  { base: S.PD_BASE_OUTPUT_NOTIFICATION_CAP, what: 'notify channel' },
  { base: S.PD_BASE_OUTPUT_ENDPOINT_CAP, what: 'PPC channel' },
  { base: S.PD_BASE_IRQ_CAP, what: 'IRQ' },
  { base: S.PD_BASE_PD_TCB_CAP, what: 'child PD' },
  { base: S.PD_BASE_VM_TCB_CAP, what: 'VM TCB, vCPU' },
  { base: S.PD_BASE_VCPU_CAP, what: 'vCPU' },
  { base: S.PD_BASE_IOPORT_CAP, what: 'I/O port' },
];

const FIXED: Record<number, string> = {
  [S.PD_INPUT_CAP_IDX]: 'input (notification or endpoint it waits on)',
  [S.PD_FAULT_EP_CAP_IDX]: 'fault endpoint (its faults go here)',
  [S.PD_VSPACE_CAP_IDX]: 'its VSpace',
  [S.PD_REPLY_CAP_IDX]: 'reply object',
  [S.PD_MONITOR_EP_CAP_IDX]: 'monitor endpoint (passive PD)',
  [S.PD_TCB_CAP_IDX]: 'its TCB',
  [S.PD_ARM_SMC_CAP_IDX]: 'ARM SMC',
};

/** "10+3: notify channel 3 → serial"; null for slots outside the scheme. */
export function slotMeaning(index: number, pdName: string, system: SystemDescription | null): string | null {
  if (FIXED[index]) return `${index}: ${FIXED[index]}`;
  for (let i = RANGES.length - 1; i >= 0; i--) {
    const r = RANGES[i];
    if (index < r.base || index >= r.base + 64) continue;
    const id = index - r.base;
    return `${r.base}+${id}: ${r.what} ${id}${peer(r.what, id, pdName, system)}`;
  }
  return null;
}

function peer(what: string, id: number, pdName: string, system: SystemDescription | null): string {
  if (!system) return '';
  const pd = system.protectionDomains.find((p) => p.name === pdName);
  if (!pd) return '';
  if (what === 'notify channel' || what === 'PPC channel') {
    for (const ch of system.channels) {
      const [a, b] = ch.ends;
      // an endpoint slot exists only when this end may call the other (pp on this end)
      if (a.pd === pdName && a.id === id && (what !== 'PPC channel' || a.pp)) return ` → ${b.pd}`;
      if (b.pd === pdName && b.id === id && (what !== 'PPC channel' || b.pp)) return ` → ${a.pd}`;
    }
    return '';
  }
  if (what === 'IRQ') {
    const irq = pd.irqs.find((i) => i.id === id);
    if (!irq) return '';
    const line = irq.kind === 'conventional' ? `irq ${irq.irq}` : irq.kind === 'ioapic' ? `IOAPIC pin ${irq.pin}, vector ${irq.vector}` : `MSI vector ${irq.vector}`;
    return ` (${line})`;
  }
  if (what === 'child PD') {
    const child = pd.childIndices.map((c) => system.protectionDomains[c]).find((c) => c.id === id);
    return child ? ` → ${child.name}` : '';
  }
  if (what === 'I/O port') {
    const io = pd.ioports.find((p) => p.id === id);
    return io ? ` (ports 0x${io.addr.toString(16)}, ${io.size})` : '';
  }
  return '';
}

/** A human report in the spirit of the tool's report.txt (microkit.md §D.9): initial task, IRQs,
 * TCBs, CNodes (each slot → object, rights, badge), architecture details, kernel objects with their
 * physical addresses, and the untypeds. */
import type { BuildResult } from './build';
import type { CapDesc, PdDesc } from './description';

export function formatReport(result: BuildResult): string {
  const d = result.description;
  const spec = result.spec;
  if (!d || !spec) return 'Build failed: no report.\n';
  const L: string[] = [];
  L.push('# Initial Task (CapDL Initialiser) Details');
  L.push(`\t- Board: ${d.board} (${d.arch}), boot mode: ${d.bootMode}`);
  L.push(`\t- Image size: ${d.summary.initialTaskImage} (spec ${d.summary.specBytes}, ${d.summary.embeddedFrames} embedded frames, ${d.summary.fillBytes} bytes of other frame contents)`);
  L.push(`\t- Invocations: ${d.summary.invocations}, root CNode slots used: ${d.summary.rootCNodeSlotsUsed}`);
  L.push('', '# IRQ Details');
  for (const o of spec.irqs) {
    const i = o.irq!;
    L.push(`\t- IRQ: '${o.name}'`);
    if (i.kind === 'conventional') L.push(`\t\t* Number: ${i.irq}`, `\t\t* Trigger: ${i.trigger}`, `\t\t* CPU: ${i.cpu}`);
    else if (i.kind === 'ioapic') L.push(`\t\t* Vector: ${i.vector}`, `\t\t* IOAPIC: ${i.ioapic}`, `\t\t* Pin: ${i.pin}`, `\t\t* Trigger: ${i.trigger}`, `\t\t* Polarity: ${i.polarity}`);
    else L.push(`\t\t* Vector: ${i.vector}`, `\t\t* PCI Bus: ${i.bus}`, `\t\t* PCI Device: ${i.dev}`, `\t\t* PCI Function: ${i.func}`, `\t\t* Handle: ${i.handle}`);
  }
  L.push('', '# TCB Details');
  for (const o of spec.objects) {
    if (o.kind !== 'tcb') continue;
    const t = o.tcb!;
    L.push(`\t- TCB: '${o.name}'`);
    L.push(`\t\t* IP: 0x${t.ip.toString(16)}`, `\t\t* SP: 0x${t.sp.toString(16)}`, `\t\t* IPC Buffer: 0x${t.ipcBuffer.toString(16)}`);
    L.push(`\t\t* Priority: ${t.prio}`, `\t\t* Max Priority: ${t.maxPrio}`, `\t\t* CPU Affinity: ${t.affinity}`);
    const roles: [number, string][] = [[0, 'CSpace'], [1, 'VSpace'], [4, 'IPC Buffer'], [5, 'Fault Endpoint'], [6, 'Scheduling Context'], [8, 'Bound Notification'], [9, 'VCPU'], [10, 'EPT PML4']];
    for (const [slot, role] of roles) {
      const c = o.slots.get(slot);
      if (c) L.push(`\t\t* ${role}: '${c.obj.name}'${c.badge ? ` (badge 0x${c.badge.toString(16)})` : ''}`);
    }
  }
  L.push('', '# CNode Details');
  const cnodes = (pd: PdDesc, label: string): void => {
    const section = (name: string, caps: CapDesc[]): void => {
      L.push(`\t- CNode: '${name}'${label}`);
      for (const c of caps) {
        L.push(`\t\t* Slot ${c.slot}: ${c.capType} → '${c.objectName ?? '?'}'${c.rights ? `, rights ${c.rights}` : ''}${c.badge && c.badge !== '0x0' ? `, badge ${c.badge}` : ''}`);
      }
    };
    section(`cnode_${pd.name}`, pd.caps);
    if (pd.rootCaps.length) section(`cnode_${pd.name}_root`, pd.rootCaps);
  };
  cnodes(d.monitor, ' (monitor)');
  for (const pd of d.pds) cnodes(pd, '');
  L.push('', '# Architecture Specific Details');
  if (d.arch === 'x86_64') {
    for (const o of spec.objects) if (o.kind === 'ioports') L.push(`\t- I/O Ports: '${o.name}'`, `\t\t* Start: 0x${o.ioports!.first.toString(16)}`, `\t\t* End: 0x${o.ioports!.last.toString(16)}`);
  } else if (d.arch === 'aarch64') {
    L.push(`\t- ARM SMC: ${spec.objects.some((o) => o.kind === 'arm_smc') ? 'granted' : 'not granted'}`);
  }
  L.push('', '# Kernel Objects Details: ID, Type, Name, Physical Address');
  for (const o of d.objects) L.push(`\t${o.id}, ${o.type}, ${o.name}, ${o.paddr ?? '-'}`);
  L.push('', '# Untypeds: index, physical address, size bits, device, watermark');
  for (const u of d.untypeds) L.push(`\t${u.index}, ${u.paddr}, ${u.sizeBits}, ${u.isDevice ? 'device' : 'RAM'}, ${u.watermark}`);
  L.push('', '# Memory');
  L.push(`\t- Objects: ${d.summary.objects} (${d.summary.objectBytes} bytes), RAM used by the initialiser: ${d.summary.ramUsed}`);
  L.push(`\t- Largest free block after boot: ${d.largestFreeBlock ? `${d.largestFreeBlock.size} bytes at ${d.largestFreeBlock.paddr}` : 'none'}`);
  return L.join('\n') + '\n';
}

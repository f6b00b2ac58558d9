/** From the parsed system to a graph of names: PDs (priority, passive, core), VMs
 * under their VMM, child PDs under parents, channels with the id at each end and
 * the PPC direction, memory regions with who maps them and how, IRQs and I/O ports.
 * Every node and edge remembers the source position of its element, both to jump
 * to it and to find the element under the editor cursor. */
import type { SystemDescription } from '../../core/protocol';

export type NodeKind = 'pd' | 'vm' | 'mr' | 'irq' | 'ioport';
export type EdgeKind = 'channel' | 'map' | 'child' | 'vm' | 'irq' | 'ioport';

export interface Pos {
  line: number;
  column: number;
}

export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
  detail: string;
  pos: Pos;
}

export interface GraphEdge {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
  /** text at the source end (a channel id) */
  sourceLabel?: string;
  /** text at the target end */
  targetLabel?: string;
  /** text in the middle */
  label?: string;
  /** draw an arrow at the target (PPC caller -> callee, parent -> child) */
  directed: boolean;
  /** a tooltip sentence */
  title: string;
  pos: Pos;
}

export interface SystemGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** element starts in document order, to map a cursor position to an element */
  anchors: { pos: Pos; id: string }[];
}

export function buildGraph(sys: SystemDescription): SystemGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const anchors: { pos: Pos; id: string }[] = [];
  const node = (n: GraphNode) => {
    nodes.push(n);
    anchors.push({ pos: n.pos, id: n.id });
  };
  const edge = (e: GraphEdge, anchor = true) => {
    edges.push(e);
    if (anchor) anchors.push({ pos: e.pos, id: e.id });
  };
  const pdId = (name: string) => `pd:${name}`;
  const mrId = (name: string) => `mr:${name}`;

  for (const pd of sys.protectionDomains) {
    const traits = [`prio ${pd.priority}`, `core ${pd.cpu}`, ...(pd.passive ? ['passive'] : [])];
    node({ id: pdId(pd.name), kind: 'pd', label: pd.name, detail: traits.join(' · '), pos: pd.pos });
    if (pd.parentIndex !== null) {
      const parent = sys.protectionDomains[pd.parentIndex]!;
      edge({ id: `child:${pd.name}`, kind: 'child', source: pdId(parent.name), target: pdId(pd.name), label: `child ${pd.id}`, directed: true, title: `${parent.name} is the parent of ${pd.name} (child id ${pd.id}) and receives its faults`, pos: pd.pos }, false);
    }
    for (const m of pd.maps) {
      edge({ id: `map:${pd.name}:${m.mr}:${m.vaddr}`, kind: 'map', source: pdId(pd.name), target: mrId(m.mr), label: permsText(m.perms, m.cached), directed: false, title: `${pd.name} maps ${m.mr} at ${hex(m.vaddr)} (${permsText(m.perms, m.cached)})`, pos: m.pos });
    }
    for (const irq of pd.irqs) {
      const id = `irq:${pd.name}:${irq.id}`;
      const [label, detail] =
        irq.kind === 'ioapic'
          ? [`IRQ vector ${irq.vector}`, `IOAPIC ${irq.ioapic} pin ${irq.pin} · ${irq.trigger}`]
          : irq.kind === 'msi'
            ? [`MSI vector ${irq.vector}`, `PCI ${pci(irq.pcidev)}`]
            : [`IRQ ${irq.irq}`, irq.trigger];
      node({ id, kind: 'irq', label, detail, pos: irq.pos });
      edge({ id: `${id}:edge`, kind: 'irq', source: id, target: pdId(pd.name), targetLabel: String(irq.id), directed: true, title: `${label} is delivered to ${pd.name} on channel ${irq.id}`, pos: irq.pos }, false);
    }
    for (const io of pd.ioports) {
      const id = `ioport:${pd.name}:${io.id}`;
      const last = io.addr + io.size - 1n;
      node({ id, kind: 'ioport', label: `I/O ${hex(io.addr)}–${hex(last)}`, detail: `${io.size} port${io.size === 1n ? '' : 's'}`, pos: io.pos });
      edge({ id: `${id}:edge`, kind: 'ioport', source: pdId(pd.name), target: id, sourceLabel: `id ${io.id}`, directed: false, title: `${pd.name} may access ports ${hex(io.addr)}–${hex(last)} (ioport id ${io.id})`, pos: io.pos }, false);
    }
    const vm = pd.virtualMachine;
    if (vm) {
      const id = `vm:${vm.name}`;
      const vcpus = vm.vcpus.map((v) => v.id).join(', ');
      node({ id, kind: 'vm', label: vm.name, detail: `VM · vCPU ${vcpus}`, pos: vm.pos });
      edge({ id: `${id}:vmm`, kind: 'vm', source: pdId(pd.name), target: id, label: 'VMM', directed: true, title: `${pd.name} is the VMM of ${vm.name}`, pos: vm.pos }, false);
      for (const m of vm.maps) {
        edge({ id: `map:${vm.name}:${m.mr}:${m.vaddr}`, kind: 'map', source: id, target: mrId(m.mr), label: permsText(m.perms, m.cached), directed: false, title: `${vm.name} sees ${m.mr} at guest-physical ${hex(m.vaddr)} (${permsText(m.perms, m.cached)})`, pos: m.pos });
      }
    }
  }

  for (const mr of sys.memoryRegions) {
    const parts = [bytes(mr.size), ...(mr.pageSize !== 0x1000n ? [`${bytes(mr.pageSize)} pages`] : []), ...(mr.physAddr !== null ? [`@ ${hex(mr.physAddr)}`] : [])];
    node({ id: mrId(mr.name), kind: 'mr', label: mr.name, detail: parts.join(' · '), pos: mr.pos });
  }

  sys.channels.forEach((ch, i) => {
    const [a, b] = ch.ends[1].pp ? [ch.ends[1], ch.ends[0]] : ch.ends;
    const ppc = a.pp;
    const title = ppc
      ? `${a.pd} (id ${a.id}) may call ${b.pd} (id ${b.id}) with a protected procedure call`
      : `${a.pd} (id ${a.id}) and ${b.pd} (id ${b.id}) share a channel`;
    edge({ id: `channel:${i}`, kind: 'channel', source: pdId(a.pd), target: pdId(b.pd), sourceLabel: String(a.id), targetLabel: String(b.id), label: ppc ? 'PPC' : undefined, directed: ppc, title, pos: ch.pos });
  });

  anchors.sort((x, y) => x.pos.line - y.pos.line || x.pos.column - y.pos.column);
  return { nodes, edges, anchors };
}

/** The element whose start tag is the last one at or before the cursor. */
export function elementAt(graph: SystemGraph, line: number, column: number): string | null {
  let found: string | null = null;
  for (const a of graph.anchors) {
    if (a.pos.line < line || (a.pos.line === line && a.pos.column <= column)) found = a.id;
    else break;
  }
  return found;
}

export function permsText(p: { read: boolean; write: boolean; execute: boolean }, cached: boolean): string {
  const rights = `${p.read ? 'r' : ''}${p.write ? 'w' : ''}${p.execute ? 'x' : ''}` || 'none';
  return cached ? rights : `${rights}, uncached`;
}

export function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

export function bytes(v: bigint): string {
  const units: [bigint, string][] = [
    [1n << 30n, 'GiB'],
    [1n << 20n, 'MiB'],
    [1n << 10n, 'KiB'],
  ];
  for (const [size, unit] of units) if (v >= size && v % size === 0n) return `${v / size} ${unit}`;
  return `${hex(v)} bytes`;
}

function pci(p: { bus: number; device: number; function: number }): string {
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return `${h(p.bus, 2)}:${h(p.device, 2)}.${p.function}`;
}

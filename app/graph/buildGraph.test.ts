import { describe, expect, it } from 'vitest';
import { findBoard } from '../../core/boards';
import { findExample } from '../../core/examples';
import { checkSdf } from '../../core/sdf';
import { buildGraph, bytes, elementAt } from './buildGraph';

function graphOf(id: string) {
  const e = findExample(id)!;
  const text = e.files[e.main]!;
  const { system } = checkSdf(text, { fileName: e.main, kernel: findBoard(e.board)!.kernel });
  if (!system) throw new Error(`${id} does not check`);
  return { graph: buildGraph(system), text, line: (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1 };
}

describe('system graph', () => {
  it('shows PDs with priority and core, the VM under its VMM, regions, IRQs and I/O ports by name', () => {
    const { graph } = graphOf('x86-vm-basic');
    const node = (id: string) => graph.nodes.find((n) => n.id === id);
    expect(node('pd:serial')?.detail).toBe('prio 200 · core 0');
    expect(node('vm:guest')?.detail).toBe('VM · vCPU 0');
    expect(node('mr:guest_ram')?.detail).toBe('2 MiB · 2 MiB pages');
    expect(node('irq:serial:3')).toMatchObject({ label: 'IRQ vector 36', detail: 'IOAPIC 0 pin 4 · edge' });
    expect(node('ioport:serial:0')?.label).toBe('I/O 0x3f8–0x3ff');
    expect(graph.edges.find((e) => e.id === 'vm:guest:vmm')).toMatchObject({ source: 'pd:vmm', target: 'vm:guest' });
  });

  it('draws channels from the PPC caller to the callee with the id at each end', () => {
    const { graph } = graphOf('x86-vm-basic');
    const channels = graph.edges.filter((e) => e.kind === 'channel');
    expect(channels.map((c) => [c.source, c.sourceLabel, c.target, c.targetLabel, c.directed])).toEqual([
      ['pd:client', '0', 'pd:serial', '0', true],
      ['pd:vmm', '1', 'pd:serial', '1', true],
      ['pd:vmm', '2', 'pd:client', '2', false],
    ]);
  });

  it('labels who maps each region with which rights', () => {
    const { graph } = graphOf('x86-vm-basic');
    const maps = graph.edges.filter((e) => e.kind === 'map').map((e) => `${e.source}->${e.target}:${e.label}`);
    expect(maps).toEqual(['pd:serial->mr:tx_buffer:r', 'pd:vmm->mr:guest_ram:rw', 'vm:guest->mr:guest_ram:rwx', 'pd:client->mr:tx_buffer:rw']);
  });

  it('puts child PDs under their parent', () => {
    const { graph } = graphOf('pd-hierarchy');
    expect(graph.edges.find((e) => e.kind === 'child')).toMatchObject({ source: 'pd:parent', target: 'pd:child', label: 'child 1', directed: true });
  });

  it('finds the element under the cursor from element start positions', () => {
    const { graph, line } = graphOf('x86-vm-basic');
    expect(elementAt(graph, line('<protection_domain name="client"'), 10)).toBe('pd:client');
    expect(elementAt(graph, line('<program_image path="client.elf"'), 3)).toBe('pd:client');
    expect(elementAt(graph, line('<end pd="vmm" id="1"'), 5)).toBe('channel:1');
    expect(elementAt(graph, 1, 1)).toBeNull();
  });

  it('formats sizes in binary units', () => {
    expect(bytes(0x1000n)).toBe('4 KiB');
    expect(bytes(0x1800n)).toBe('6 KiB');
    expect(bytes(0x10_000_000n)).toBe('256 MiB');
    expect(bytes(100n)).toBe('0x64 bytes');
  });
});

/** The document walk of the tool's `parse`: the root, stray text, each top-level
 * element in document order, PD flattening, then channels (§B.1, §B.15 rules 110–112). */
import { type Ctx, pos } from './context';
import { noDomains, type DomainsState, type PdDraft } from './draft';
import type { Channel, IoAddressSpace, MemoryRegion, ProtectionDomain } from './model';
import { parseChannel } from './parseChannel';
import { parseDomains } from './parseDomains';
import { parseIoSpace, type IoSpaceSeen } from './parseIoSpace';
import { parseMr } from './parseMr';
import { parsePd } from './parsePd';
import { addSetvar } from './setvars';
import type { XmlElement } from './xml';
import { childElements } from './xml';

export interface ParsedSystem {
  root: XmlElement;
  pds: ProtectionDomain[];
  pdEls: XmlElement[];
  mrs: MemoryRegion[];
  mrEls: XmlElement[];
  ioSpaces: IoAddressSpace[];
  channels: Channel[];
  channelEls: XmlElement[];
  domains: DomainsState;
  /** names of elements that had errors, so later checks don't pile up follow-on errors */
  brokenPdNames: Set<string>;
  brokenMrNames: Set<string>;
}

function checkNoText(ctx: Ctx, system: XmlElement): void {
  const first = system.children[0];
  if (first?.kind === 'text' && first.firstChild && first.text.trim() !== '') {
    throw ctx.r.located('B.1.text', "unexpected text found in element 'system'", system, { sep: ' @ ' });
  }
  for (const c of system.children) {
    if (c.kind === 'text' && c.text.trim() !== '') {
      throw ctx.r.located('B.1.text', "unexpected text found in element ''", c, { sep: ' @ ' });
    }
  }
}

/** Depth-first pre-order, the tool's numbering; checks child ids per parent on the way. */
function flatten(ctx: Ctx, drafts: PdDraft[], out: PdDraft[]): void {
  const visit = (d: PdDraft, parentIndex: number | null) => {
    const index = out.length;
    d.pd.pdIndex = index;
    d.pd.parentIndex = parentIndex;
    out.push(d);
    ctx.r.guard(() => {
      const seen = new Set<number>();
      const vcpuIds = new Set(d.pd.virtualMachine?.vcpus.map((v) => v.id) ?? []);
      for (const c of d.children) {
        const id = c.pd.id;
        if (id === null) continue;
        if (seen.has(id)) {
          throw ctx.r.located('B.15.child-id', `duplicate id: ${id} in protection domain: '${d.pd.name}'`, c.el, { sep: ' @ ' });
        }
        if (vcpuIds.has(id)) {
          throw ctx.r.located('B.15.child-id-vcpu', `duplicate id: ${id} clashes with virtual machine vcpu id in protection domain: '${d.pd.name}'`, c.el, {
            sep: ' @ ',
          });
        }
        seen.add(id);
      }
    });
    for (const c of d.children) {
      d.pd.childIndices.push(out.length);
      visit(c, index);
    }
  };
  for (const d of drafts) visit(d, null);
}

export function parseSystem(ctx: Ctx, root: XmlElement): ParsedSystem {
  const r = ctx.r;
  r.guard(() => checkNoText(ctx, root));
  const roots: PdDraft[] = [];
  const mrs: MemoryRegion[] = [];
  const mrEls: XmlElement[] = [];
  const ioSpaces: IoAddressSpace[] = [];
  const channelNodes: XmlElement[] = [];
  const brokenMrNames = new Set<string>();
  const seen: IoSpaceSeen = { names: new Set(), domainIds: new Set(), devices: [] };
  let domains = noDomains();

  for (const child of childElements(root)) {
    switch (child.name) {
      case 'protection_domain':
        roots.push(parsePd(ctx, child, false, domains));
        break;
      case 'channel':
        channelNodes.push(child);
        break;
      case 'memory_region':
        if (!r.guard(() => (mrs.push(parseMr(ctx, child)), mrEls.push(child)))) {
          const n = child.attrs.find((a) => a.name === 'name');
          if (n) brokenMrNames.add(n.value);
        }
        break;
      case 'io_address_space':
        r.guard(() => void ioSpaces.push(parseIoSpace(ctx, child, seen)));
        break;
      case 'virtual_machine':
        r.guard(() => {
          throw r.located('B.1.vm-top-level', 'virtual machine must be a child of a protection domain', child);
        });
        break;
      case 'domains': {
        const ok = r.guard(() => {
          if (domains.nameToId.size > 0) throw r.value('B.1.domains-twice', child, 'domains must only be specified once');
          domains = parseDomains(ctx, child);
        });
        if (!ok && domains.status === 'none') domains = { status: 'broken', nameToId: new Map(), schedule: null };
        break;
      }
      default:
        r.guard(() => {
          throw r.located('B.1.invalid-element', `invalid XML element '${child.name}'`, child);
        });
    }
  }

  const flat: PdDraft[] = [];
  flatten(ctx, roots, flat);
  const pds = flat.map((d) => d.pd);
  const brokenPdNames = new Set(flat.filter((d) => d.broken).map((d) => d.pd.name));

  const pdIndexByName = new Map<string, number>();
  pds.forEach((p, i) => pdIndexByName.has(p.name) || pdIndexByName.set(p.name, i));
  const channels: Channel[] = [];
  const channelEls: XmlElement[] = [];
  for (const node of channelNodes) {
    r.guard(() => {
      const ends = parseChannel(ctx, node, pdIndexByName);
      for (const end of ends) {
        if (end.setvarId !== null) {
          addSetvar(ctx, pds[end.pdIndex].setvars, { symbol: end.setvarId, value: { kind: 'channel_id', id: end.id }, pos: end.pos }, node);
        }
      }
      channels.push({ ends, pos: pos(node) });
      channelEls.push(node);
    });
  }

  return {
    root,
    pds,
    pdEls: flat.map((d) => d.el),
    mrs,
    mrEls,
    ioSpaces,
    channels,
    channelEls,
    domains,
    brokenPdNames,
    brokenMrNames,
  };
}

/** `io_address_space` and `iomap` (§B.12). */
import { type Ctx, checkAttributes, num, opt, pos, req } from './context';
import type { IoAddressSpace, IoMap, PciAddress } from './model';
import { hex } from './numbers';
import { formatPci, parsePci } from './pci';
import type { XmlElement } from './xml';
import { childElements } from './xml';

/** 39-bit IOVA space of the capDL initialiser's x86 IOMMU tables */
export const MAX_IOVA = (1n << 39n) - 1n;

export interface IoSpaceSeen {
  names: Set<string>;
  domainIds: Set<bigint>;
  devices: string[];
}

const ARCH_NAMES = { aarch64: 'AArch64', riscv64: 'RISC-V (64-bit)', x86_64: 'x86-64' } as const;

export function parseIoSpace(ctx: Ctx, el: XmlElement, seen: IoSpaceSeen): IoAddressSpace {
  const r = ctx.r;
  const k = ctx.kernel;
  if (!k.iommu) throw r.located('B.12.no-iommu', 'io address space requires seL4 to be built with IOMMU support', el);
  checkAttributes(ctx, el, 'io_address_space');
  const nameAttr = req(ctx, el, 'name');
  const name = nameAttr.value;
  if (seen.names.has(name)) throw r.value('B.12.duplicate-name', el, `duplicate name '${name}'`, nameAttr);
  seen.names.add(name);
  let domainId: bigint | null = null;
  if (k.arch === 'x86_64') {
    const d = req(ctx, el, 'domain_id');
    domainId = num(ctx, el, d);
    if (seen.domainIds.has(domainId)) throw r.value('B.12.domain-id', el, 'reusing a domain id is forbidden', d);
    seen.domainIds.add(domainId);
  }
  const pa = req(ctx, el, 'peripheral_id');
  const parsed = k.arch === 'x86_64' ? parsePci(pa.value) : `IOMMU device identifiers are not supported on ${ARCH_NAMES[k.arch]}`;
  if (typeof parsed === 'string') throw r.value('B.12.peripheral-id', el, `failed to parse device peripheral_id '${pa.value}': ${parsed}`, pa);
  const ident = `PCI device ${formatPci(parsed)}`;
  if (seen.devices.includes(ident)) throw r.value('B.12.duplicate-device', el, `duplicate device peripheral_id '${ident}'`, pa);
  seen.devices.push(ident);
  const maps: IoMap[] = [];
  for (const child of childElements(el)) {
    if (child.name !== 'iomap') throw r.located('B.12.invalid-element', `invalid XML element '${child.name}'`, child);
    maps.push(parseIomap(ctx, child));
  }
  return { name, peripheral: parsed as PciAddress, domainId, maps, pos: pos(el) };
}

function parseIomap(ctx: Ctx, el: XmlElement): IoMap {
  checkAttributes(ctx, el, 'iomap');
  const mr = req(ctx, el, 'mr').value;
  const a = req(ctx, el, 'iovaddr');
  const iovaddr = num(ctx, el, a);
  if (iovaddr > MAX_IOVA) throw ctx.r.value('B.12.iovaddr', el, `iovaddr (${hex(iovaddr)}) must be less than ${hex(MAX_IOVA + 1n)}`, a);
  const p = opt(el, 'perms');
  const perms = { read: true, write: true };
  if (p) {
    const letters = new Set(p.value);
    const onlyRw = [...letters].every((c) => c === 'r' || c === 'w');
    if (!onlyRw || letters.size === 0) {
      throw ctx.r.value('B.12.perms', el, "perms for io mapped memory must only be a combination of 'r' and 'w'", p);
    }
    perms.read = letters.has('r');
    perms.write = letters.has('w');
  }
  return { mr, iovaddr, perms, pos: pos(el) };
}

/** `memory_region` (§B.11). */
import { type Ctx, checkAttributes, num, opt, pos, req } from './context';
import type { MemoryRegion, Prefill, PrefillBootinfo } from './model';
import { hex } from './numbers';
import type { XmlElement } from './xml';

export const BOOTINFO_TYPES: readonly PrefillBootinfo[] = ['x86_vbe', 'x86_mbmmap', 'x86_acpi_rsdp', 'x86_framebuffer', 'x86_tsc_freq', 'fdt'];

export function parseMr(ctx: Ctx, el: XmlElement): MemoryRegion {
  const r = ctx.r;
  const sizes = ctx.kernel.pageSizes;
  checkAttributes(ctx, el, 'memory_region');
  const name = req(ctx, el, 'name').value;
  const ps = opt(el, 'page_size');
  const pageSize = ps ? num(ctx, el, ps) : sizes[0];
  if (!sizes.includes(pageSize)) throw r.value('B.11.page-size', el, `page size ${hex(pageSize)} not supported`, ps);

  let prefill: Prefill | null = null;
  const pp = opt(el, 'prefill_path');
  if (pp) {
    const data = ctx.readFile?.(pp.value);
    if (!data) throw r.value('B.11.prefill-missing', el, `unable to find prefill file: '${pp.value}'`, pp);
    if (data.length === 0) throw r.value('B.11.prefill-empty', el, `prefill file '${pp.value}' is empty`, pp);
    prefill = { kind: 'file', path: pp.value, data };
  }
  const bi = opt(el, 'prefill_bootinfo');
  if (bi) {
    if (!(BOOTINFO_TYPES as readonly string[]).includes(bi.value)) {
      throw r.value('B.11.bootinfo', el, `BootInfoMap type: '${bi.value}' is not supported`, bi);
    }
    if (prefill) throw r.value('B.11.prefill-both', el, 'prefill_path and prefill_bootinfo cannot be both specified', bi);
    prefill = { kind: 'bootinfo', type: bi.value as PrefillBootinfo };
  }

  let size: bigint;
  const sz = opt(el, 'size');
  if (sz) {
    size = num(ctx, el, sz);
    if (size % pageSize !== 0n) throw r.value('B.11.size-multiple', el, 'size is not a multiple of the page size', sz);
    if (prefill?.kind === 'file' && BigInt(prefill.data.length) > size) {
      throw r.value('B.11.prefill-size', el, `size of prefill file exceeds memory region size: ${prefill.data.length.toString(16)} > ${size.toString(16)}`, sz);
    }
  } else if (prefill?.kind === 'bootinfo') {
    size = pageSize;
  } else if (prefill?.kind === 'file') {
    const len = BigInt(prefill.data.length);
    size = ((len + pageSize - 1n) / pageSize) * pageSize;
  } else {
    throw r.value('B.11.size-missing', el, 'size must be specified if memory region is not prefilled');
  }

  const pa = opt(el, 'phys_addr');
  const physAddr = pa ? num(ctx, el, pa) : null;
  if (physAddr !== null && physAddr % pageSize !== 0n) throw r.value('B.11.phys-align', el, 'phys_addr is not aligned to the page size', pa);
  return { name, size, pageSize, pageSizeExplicit: ps !== undefined, physAddr, prefill, pos: pos(el) };
}

/** `map` inside a PD or a VM (§B.5). */
import { type Ctx, bool, checkAttributes, num, opt, pos, req } from './context';
import type { MapEntry } from './model';
import { hex } from './numbers';
import type { XmlElement } from './xml';

export function parseMap(ctx: Ctx, el: XmlElement, key: 'map' | 'vm_map', limit: bigint): MapEntry {
  checkAttributes(ctx, el, key);
  const mr = req(ctx, el, 'mr').value;
  const va = req(ctx, el, 'vaddr');
  const vaddr = num(ctx, el, va);
  if (vaddr >= limit) throw ctx.r.value('B.5.vaddr-limit', el, `vaddr (${hex(vaddr)}) must be less than ${hex(limit)}`, va);
  const p = opt(el, 'perms');
  const perms = { read: true, write: true, execute: false };
  if (p) {
    perms.write = false;
    perms.read = false;
    for (const ch of p.value) {
      if (ch === 'r') perms.read = true;
      else if (ch === 'w') perms.write = true;
      else if (ch === 'x') perms.execute = true;
      else throw ctx.r.value('B.5.perms', el, "perms must only be a combination of 'r', 'w', and 'x'", p);
    }
    if (perms.write && !perms.read && !perms.execute) {
      throw ctx.r.value('B.5.write-only', el, "perms must not be 'w', write-only mappings are not allowed", p);
    }
  }
  const cached = bool(ctx, el, 'cached', true);
  return {
    mr,
    vaddr,
    perms,
    cached,
    setvarVaddr: key === 'map' ? (opt(el, 'setvar_vaddr')?.value ?? null) : null,
    setvarSize: key === 'map' ? (opt(el, 'setvar_size')?.value ?? null) : null,
    setvarPrefillSize: key === 'map' ? (opt(el, 'setvar_prefill_size')?.value ?? null) : null,
    pos: pos(el),
  };
}

/** `cspace` and its `cap_*` children (§B.10). */
import { type Ctx, checkAttributes, num, pos, req } from './context';
import type { CapKind, CspaceCap } from './model';
import type { XmlElement } from './xml';
import { childElements } from './xml';

const CAP_SLOTS = 128n;
const KINDS: Record<string, CapKind> = { cap_tcb: 'tcb', cap_sc: 'sc', cap_vspace: 'vspace' };

export function parseCspace(ctx: Ctx, el: XmlElement): CspaceCap[] {
  checkAttributes(ctx, el, 'cspace');
  const caps: CspaceCap[] = [];
  for (const child of childElements(el)) {
    const kind = KINDS[child.name];
    if (!kind) {
      if (child.name.startsWith('cap_')) {
        const msg = `Cap type: '${child.name.slice(4)}' is not supported`;
        throw ctx.r.bare('B.10.cap-type', `${msg} at '${ctx.r.loc(child)}'`, child, undefined, msg);
      }
      const msg = `Element '${child.name}' is not supported in a <cspace> element`;
      throw ctx.r.bare('B.10.element', `${msg} at '${ctx.r.loc(child)}'`, child, undefined, msg);
    }
    checkAttributes(ctx, child, child.name as 'cap_tcb');
    const pd = req(ctx, child, 'pd').value;
    const s = req(ctx, child, 'slot');
    const slot = num(ctx, child, s);
    if (slot === 0n) throw ctx.r.value('B.10.slot-zero', child, 'The destination slot 0 has been reserved for Microkit CNode', s);
    if (slot >= CAP_SLOTS) throw ctx.r.value('B.10.slot-range', child, `There are only ${CAP_SLOTS} destination cspace slots available.`, s);
    caps.push({ kind, slot: Number(slot), pd, pos: pos(child) });
  }
  return caps;
}

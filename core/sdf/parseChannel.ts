/** `channel` and its `end`s (§B.13), parsed after all PDs like the tool does. */
import { type Ctx, bool, checkAttributes, checkAttributeList, dec, pos, req, opt } from './context';
import type { ChannelEnd } from './model';
import type { XmlElement } from './xml';

const MAX_ID = 61n;
const NONE: ReadonlySet<string> = new Set();

function parseEnd(ctx: Ctx, el: XmlElement, pdIndexByName: ReadonlyMap<string, number>): ChannelEnd {
  const r = ctx.r;
  if (el.name !== 'end') throw r.located('B.13.invalid-element', `invalid XML element '${el.name}'`, el);
  checkAttributes(ctx, el, 'end');
  const pdAttr = req(ctx, el, 'pd');
  const idAttr = req(ctx, el, 'id');
  const id = dec(ctx, el, idAttr);
  if (id > MAX_ID) throw r.value('B.13.id-range', el, `id must be < ${MAX_ID + 1n}`, idAttr);
  if (id < 0n) throw r.value('B.13.id-range', el, 'id must be >= 0', idAttr);
  const notify = bool(ctx, el, 'notify', true);
  const pp = bool(ctx, el, 'pp', false);
  const pdIndex = pdIndexByName.get(pdAttr.value);
  if (pdIndex === undefined) throw r.value('B.13.unknown-pd', el, `invalid PD name '${pdAttr.value}'`, pdAttr);
  return { pd: pdAttr.value, pdIndex, id: Number(id), pp, notify, setvarId: opt(el, 'setvar_id')?.value ?? null, pos: pos(el) };
}

/** `pdIndexByName` maps each PD name to its first flattened index. */
export function parseChannel(ctx: Ctx, el: XmlElement, pdIndexByName: ReadonlyMap<string, number>): [ChannelEnd, ChannelEnd] {
  checkAttributeList(ctx, el, NONE);
  const ends: ChannelEnd[] = [];
  for (const c of el.children) if (c.kind === 'element') ends.push(parseEnd(ctx, c, pdIndexByName));
  if (ends.length !== 2) throw ctx.r.value('B.13.end-count', el, 'exactly two end elements must be specified');
  if (ends[0].pp && ends[1].pp) throw ctx.r.value('B.13.ppc-both', el, 'cannot ppc bidirectionally');
  return [ends[0], ends[1]];
}

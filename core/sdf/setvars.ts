/** The per-PD list of patched symbols; each symbol may be patched once (§B.3 rule 34). */
import type { Ctx } from './context';
import type { SetVar } from './model';
import type { XmlElement } from './xml';

export function addSetvar(ctx: Ctx, list: SetVar[], sv: SetVar, reportOn: XmlElement): void {
  if (list.some((o) => o.symbol === sv.symbol)) {
    throw ctx.r.value('B.3.setvar-duplicate', reportOn, `setvar on symbol '${sv.symbol}' already exists`);
  }
  list.push(sv);
}

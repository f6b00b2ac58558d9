/** The per-PD list of patched symbols; each symbol may be patched once (§B.3 rule 34). */
import type { Ctx } from './context';
import type { SetVar } from './model';
import type { XmlElement } from './xml';

const symbols = new WeakMap<SetVar[], Set<string>>();

export function addSetvar(ctx: Ctx, list: SetVar[], sv: SetVar, reportOn: XmlElement): void {
  let seen = symbols.get(list);
  if (!seen) {
    seen = new Set(list.map((o) => o.symbol));
    symbols.set(list, seen);
  }
  if (seen.has(sv.symbol)) {
    throw ctx.r.value('B.3.setvar-duplicate', reportOn, `setvar on symbol '${sv.symbol}' already exists`);
  }
  seen.add(sv.symbol);
  list.push(sv);
}

/** `domains`, `domain`, `domain_schedule` and its entries (§B.14). */
import { type Ctx, checkAttributes, num, opt, pos, req } from './context';
import type { DomainsState } from './draft';
import type { Domain, ScheduleEntry } from './model';
import type { XmlElement } from './xml';
import { childElements } from './xml';

export function parseDomains(ctx: Ctx, el: XmlElement): DomainsState {
  const r = ctx.r;
  const k = ctx.kernel;
  checkAttributes(ctx, el, 'domains');
  if (k.cores !== 1) throw r.bare('B.14.smp', 'Error: The domain scheduler is not supported in multicore builds of seL4', el);
  const declared: { name: string; id: number | null; el: XmlElement }[] = [];
  const nameToId = new Map<string, number | null>();
  const idToName = new Map<number, string>();
  let scheduleEl: XmlElement | null = null;
  for (const child of childElements(el)) {
    if (child.name === 'domain') {
      checkAttributes(ctx, child, 'domain');
      const name = req(ctx, child, 'name').value;
      const ia = opt(child, 'id');
      let id: number | null = null;
      if (ia) {
        const n = num(ctx, child, ia);
        if (n >= BigInt(k.numDomains)) {
          throw r.value('B.14.domain-id', child, `domain id ${n} should be less than the configured KernelNumDomains value of ${k.numDomains}`, ia);
        }
        id = Number(n);
      }
      if (nameToId.has(name)) {
        const old = nameToId.get(name);
        const shown = old === null || old === undefined ? 'None' : `Some(${old})`;
        throw r.value('B.14.domain-name', child, `Each <domain>'s name element must be unique found existing domain '${name}' with id '${shown}'`);
      }
      nameToId.set(name, id);
      if (id !== null) {
        const existing = idToName.get(id);
        if (existing !== undefined) {
          throw r.value('B.14.domain-id-unique', child, `Each <domain>'s id element must be unique found existing domain '${existing}' with id '${id}'`, ia);
        }
        idToName.set(id, name);
      }
      declared.push({ name, id, el: child });
    } else if (child.name === 'domain_schedule') {
      if (scheduleEl) throw r.value('B.14.schedule-twice', child, 'The <domain_schedule> element can only appear once');
      scheduleEl = child;
    } else {
      throw r.located('B.14.invalid-element', `invalid XML element as child of <domains> '${child.name}'`, child);
    }
  }
  if (!scheduleEl) throw r.value('B.14.schedule-missing', el, 'The <domain_schedule> element must appear once');

  // id-less domains get the smallest free id; the tool searches 0..=numDomains (one too far)
  const domains: Domain[] = [];
  const ids = new Map<string, number>();
  for (const d of declared) {
    let id = d.id;
    if (id === null) {
      for (let i = 0; i <= k.numDomains; i++) {
        if (!idToName.has(i)) {
          id = i;
          idToName.set(i, d.name);
          break;
        }
      }
      if (id === null) throw r.value('B.14.too-many', el, `Number of domains exceeds ${k.numDomains}`);
    }
    ids.set(d.name, id);
    domains.push({ name: d.name, id, pos: pos(d.el) });
  }
  return parseSchedule(ctx, scheduleEl, el, ids, domains);
}

function parseSchedule(ctx: Ctx, el: XmlElement, domainsEl: XmlElement, ids: Map<string, number>, domains: Domain[]): DomainsState {
  const r = ctx.r;
  const k = ctx.kernel;
  checkAttributes(ctx, el, 'domain_schedule');
  const sa = opt(el, 'start_index');
  const start = sa ? num(ctx, el, sa) : 0n;
  const sh = opt(el, 'index_shift');
  const shift = sh ? num(ctx, el, sh) : null;
  const entries: ScheduleEntry[] = [];
  for (const child of childElements(el)) {
    if (child.name === 'schedule_entry') {
      entries.push(parseEntry(ctx, child, ids));
    } else if (child.name === 'schedule_end_marker') {
      checkAttributes(ctx, child, 'schedule_end_marker');
      entries.push({ kind: 'end_marker', pos: pos(child) });
    } else {
      throw r.located('B.14.invalid-element', `invalid XML element as child of <domain_schedule> '${child.name}'`, child);
    }
  }
  const len = BigInt(entries.length);
  if (len >= BigInt(k.numDomainSchedules)) {
    throw r.bare('B.14.schedule-length', `More than configured KernelNumDomainSchedules ${k.numDomainSchedules} number of <schedule_entry> elements found`, el);
  }
  if (start >= len) throw r.value('B.14.start-index', el, `schedule_start_index '${start}' is greater than the length of the schedule '${len}'`, sa);
  if (shift !== null && shift + len >= BigInt(k.numDomainSchedules)) {
    throw r.value(
      'B.14.index-shift',
      el,
      `schedule_index_shift '${start}' on top of the schedule length '${len}' would exceed than the configured KernelNumDomainSchedules ${k.numDomainSchedules}`,
      sh,
    );
  }
  return {
    status: 'ok',
    nameToId: ids,
    schedule: { domains, entries, startIndex: Number(start), indexShift: shift === null ? null : Number(shift), pos: pos(domainsEl) },
  };
}

function parseEntry(ctx: Ctx, el: XmlElement, ids: Map<string, number>): ScheduleEntry {
  const r = ctx.r;
  checkAttributes(ctx, el, 'schedule_entry');
  const da = req(ctx, el, 'domain');
  const du = req(ctx, el, 'duration');
  const domainId = ids.get(da.value);
  if (domainId === undefined) throw r.value('B.14.entry-domain', el, `domain '${da.value}' does not exist,`, da);
  const s = du.value;
  const space = s.indexOf(' ');
  if (space < 0) throw r.value('B.14.duration', el, `The duration '${s}' must contain a value and a unit, e.g. '1000 us'`, du);
  const duration = num(ctx, el, { ...du, value: s.slice(0, space) });
  if (duration === 0n) throw r.value('B.14.duration', el, `The duration '${s}' must be non-zero`, du);
  const unit = s.slice(space + 1);
  if (unit !== 'us' && unit !== 'ticks') throw r.value('B.14.duration', el, `The duration '${s}' must be in either 'ticks' or 'us'`, du);
  return { kind: 'entry', domain: da.value, domainId, duration, unit, pos: pos(el) };
}

/** `protection_domain` (top level and child) with its children (§B.3). The attributes
 * are checked in the tool's order; each child element is an independent unit so the
 * editor sees every broken child, while the first error stays the tool's. */
import { type Ctx, bool, checkAttributes, num, opt, pdMapLimit, pos, req, smallPage } from './context';
import type { DomainsState, PdDraft } from './draft';
import type { ProtectionDomain } from './model';
import { parseCspace } from './parseCspace';
import { parseIoport, parseIrq } from './parseIrq';
import { parseMap } from './parseMap';
import { parseVm } from './parseVm';
import { addSetvar } from './setvars';
import type { XmlElement } from './xml';
import { childElements } from './xml';

const MAX_PRIORITY = 254n;
const MIN_STACK = 0x1000n;
const MAX_STACK = 0x1000000n;

function emptyPd(el: XmlElement): ProtectionDomain {
  return {
    pdIndex: -1,
    name: opt(el, 'name')?.value ?? '',
    parentIndex: null,
    childIndices: [],
    id: null,
    setvarId: null,
    priority: 0,
    budget: 1000n,
    period: 1000n,
    passive: false,
    stackSize: 0x2000n,
    cpu: 0,
    smc: false,
    fpu: true,
    domain: null,
    programImage: { path: '', pathForSymbols: null, pos: pos(el) },
    maps: [],
    irqs: [],
    ioports: [],
    setvars: [],
    cspaceCaps: [],
    virtualMachine: null,
    pos: pos(el),
  };
}

function parseAttributes(ctx: Ctx, el: XmlElement, isChild: boolean, domains: DomainsState, pd: ProtectionDomain): void {
  const k = ctx.kernel;
  const r = ctx.r;
  checkAttributes(ctx, el, 'protection_domain', { isChild });
  pd.name = req(ctx, el, 'name').value;
  const legacyPp = opt(el, 'pp');
  if (legacyPp) {
    // the current tool rejects it (invalid attribute); libvmm examples still carry it
    r.warn('F.legacy-pp', "attribute 'pp' on protection_domain is obsolete and ignored; mark the caller's channel <end> with pp=\"true\" instead", el, legacyPp);
  }
  if (isChild) {
    const idAttr = req(ctx, el, 'id');
    pd.id = Number(num(ctx, el, idAttr));
    pd.setvarId = opt(el, 'setvar_id')?.value ?? null;
  }
  const b = opt(el, 'budget');
  const p = opt(el, 'period');
  pd.budget = b ? num(ctx, el, b) : 1000n;
  pd.period = p ? num(ctx, el, p) : pd.budget;
  if (pd.budget > pd.period) throw r.value('B.3.budget', el, `budget (${pd.budget}) must be less than, or equal to, period (${pd.period})`, b ?? p);
  pd.passive = bool(ctx, el, 'passive', false);
  const st = opt(el, 'stack_size');
  const stackSize = st ? num(ctx, el, st) : 0x2000n;
  pd.smc = bool(ctx, el, 'smc', false);
  if (pd.smc) {
    if (k.arch === 'aarch64' && k.armSmcConfigured !== false) {
      if (!k.armSmc) {
        throw r.value('B.3.smc', el, 'Using SMC support without ARM SMC forwarding support enabled in the kernel for this platform', opt(el, 'smc'));
      }
    } else {
      throw r.bare('B.3.smc', 'ARM SMC forwarding support is not available for this architecture', el, opt(el, 'smc'));
    }
  }
  const c = opt(el, 'cpu');
  const cpu = c ? num(ctx, el, c) : 0n;
  // the tool panics above 255 (the core number is a u8); the range message says it better
  if (cpu >= BigInt(k.cores)) throw r.value('B.3.cpu', el, `cpu core must be less than ${k.cores}, got ${cpu}`, c);
  pd.cpu = Number(cpu);
  const d = opt(el, 'domain');
  if (domains.status === 'broken') {
    // the <domains> element failed: nothing sensible to check against
  } else if (domains.nameToId.size > 0) {
    const dn = req(ctx, el, 'domain');
    const id = domains.nameToId.get(dn.value);
    if (id === undefined) throw r.value('B.3.domain', el, `domain '${dn.value}' not declared in <domains>:`, dn);
    pd.domain = { name: dn.value, id };
  } else if (d) {
    throw r.value('B.3.domain', el, `Specifying a domain '${d.value}' without declaring a domain schedule is not allowed:`, d);
  }
  if (stackSize < MIN_STACK || stackSize > MAX_STACK) {
    throw r.value('B.3.stack-size', el, 'stack size must be between 0x1000 bytes and 0x1000000 bytes', st);
  }
  const page = smallPage(k);
  if (stackSize % page !== 0n) throw r.value('B.3.stack-align', el, `stack size must be aligned to the smallest page size, ${page} bytes`, st);
  pd.stackSize = stackSize;
  const pr = opt(el, 'priority');
  const priority = pr ? num(ctx, el, pr) : 0n;
  if (priority > MAX_PRIORITY) throw r.value('B.3.priority', el, `priority must be between 0 and ${MAX_PRIORITY}`, pr);
  pd.priority = Number(priority);
  pd.fpu = bool(ctx, el, 'fpu', true);
}

export function parsePd(ctx: Ctx, el: XmlElement, isChild: boolean, domains: DomainsState): PdDraft {
  const pd = emptyPd(el);
  const draft: PdDraft = { el, pd, children: [], broken: false };
  const r = ctx.r;
  if (!r.guard(() => parseAttributes(ctx, el, isChild, domains, pd))) draft.broken = true;
  let sawImage = false;
  let sawVm = false;
  let sawCspace = false;
  for (const child of childElements(el)) {
    const ok = r.guard(() => {
      switch (child.name) {
        case 'program_image': {
          checkAttributes(ctx, child, 'program_image');
          if (sawImage) throw r.value('B.3.program-image-twice', el, 'program_image must only be specified once', child);
          sawImage = true;
          const path = req(ctx, child, 'path').value;
          pd.programImage = { path, pathForSymbols: opt(child, 'path_for_symbols')?.value ?? null, pos: pos(child) };
          return;
        }
        case 'map': {
          const m = parseMap(ctx, child, 'map', pdMapLimit(ctx.kernel, pd.stackSize));
          const at = pos(child);
          if (m.setvarVaddr) addSetvar(ctx, pd.setvars, { symbol: m.setvarVaddr, value: { kind: 'map_vaddr', vaddr: m.vaddr }, pos: at }, child);
          if (m.setvarSize) addSetvar(ctx, pd.setvars, { symbol: m.setvarSize, value: { kind: 'map_size', mr: m.mr }, pos: at }, child);
          if (m.setvarPrefillSize) {
            addSetvar(ctx, pd.setvars, { symbol: m.setvarPrefillSize, value: { kind: 'map_prefill_size', mr: m.mr }, pos: at }, child);
          }
          pd.maps.push(m);
          return;
        }
        case 'irq':
          pd.irqs.push(parseIrq(ctx, child, pd.setvars));
          return;
        case 'ioport':
          pd.ioports.push(parseIoport(ctx, child, el, pd.setvars));
          return;
        case 'setvar': {
          checkAttributes(ctx, child, 'setvar');
          const symbol = req(ctx, child, 'symbol').value;
          const region = req(ctx, child, 'region_paddr').value;
          addSetvar(ctx, pd.setvars, { symbol, value: { kind: 'region_paddr', mr: region }, pos: pos(child) }, child);
          return;
        }
        case 'protection_domain': {
          const sub = parsePd(ctx, child, true, domains);
          draft.children.push(sub);
          if (sub.pd.setvarId !== null && sub.pd.id !== null) {
            addSetvar(ctx, pd.setvars, { symbol: sub.pd.setvarId, value: { kind: 'child_id', id: sub.pd.id }, pos: pos(child) }, child);
          }
          return;
        }
        case 'virtual_machine': {
          if (!ctx.kernel.hypervisor) {
            throw r.value('B.3.vm-hypervisor', el, 'seL4 has not been built as a hypervisor, virtual machines are disabled', child);
          }
          if (sawVm) throw r.value('B.3.vm-twice', el, 'virtual_machine must only be specified once', child);
          sawVm = true;
          const { vm, broken } = parseVm(ctx, child, pd.cpu);
          pd.virtualMachine = vm;
          if (broken) draft.broken = true;
          return;
        }
        case 'cspace': {
          if (sawCspace) throw r.value('B.3.cspace-twice', el, 'cspace must only be specified once', child);
          sawCspace = true;
          pd.cspaceCaps = parseCspace(ctx, child);
          return;
        }
        default:
          throw r.located('B.3.invalid-element', `Invalid XML element '${child.name}'`, child, { prefix: '' });
      }
    });
    if (!ok) draft.broken = true;
  }
  if (!sawImage) {
    draft.broken = true;
    r.push(r.bare('B.3.missing-program-image', `Error: missing 'program_image' element on protection_domain: '${pd.name}'`, el).diagnostic);
  }
  return draft;
}

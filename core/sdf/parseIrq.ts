/** `irq` (three variants) and `ioport` inside a PD (§B.6, §B.7). */
import { type Ctx, checkAttributes, dec, num, opt, pos, req } from './context';
import type { IoPort, Irq, IrqPolarity, IrqTrigger, PciAddress, SetVar } from './model';
import { parsePci } from './pci';
import { addSetvar } from './setvars';
import { irqVariant } from './schema';
import type { XmlElement } from './xml';

const MAX_ID = 61n;
const MAX_VECTOR = 107n;

function channelId(ctx: Ctx, el: XmlElement): bigint {
  const a = req(ctx, el, 'id');
  const id = dec(ctx, el, a);
  if (id > MAX_ID) throw ctx.r.value('B.6.id-range', el, `id must be < ${MAX_ID + 1n}`, a);
  if (id < 0n) throw ctx.r.value('B.6.id-range', el, 'id must be >= 0', a);
  return id;
}

function trigger(ctx: Ctx, el: XmlElement): IrqTrigger {
  const t = opt(el, 'trigger');
  if (!t) return 'level';
  if (t.value === 'level' || t.value === 'edge') return t.value;
  throw ctx.r.value('B.6.trigger', el, "trigger must be either 'level' or 'edge'", t);
}

function vector(ctx: Ctx, el: XmlElement): number {
  const a = req(ctx, el, 'vector');
  const v = dec(ctx, el, a);
  if (v < 0n || v > MAX_VECTOR) throw ctx.r.value('B.6.vector', el, `vector must be within [0..${MAX_VECTOR}]`, a);
  return Number(v);
}

export function parseIrq(ctx: Ctx, el: XmlElement, setvars: SetVar[]): Irq {
  const arch = ctx.kernel.arch;
  const id = Number(channelId(ctx, el));
  const sv = opt(el, 'setvar_id');
  if (sv) addSetvar(ctx, setvars, { symbol: sv.value, value: { kind: 'irq_id', id }, pos: pos(el) }, el);
  const common = { id, setvarId: sv?.value ?? null, pos: pos(el) };
  const variant = irqVariant((n) => opt(el, n) !== undefined);
  if (variant === 'conventional') {
    if (arch === 'x86_64') throw ctx.r.value('B.6.arch', el, 'ARM and RISC-V IRQs are not supported on x86', opt(el, 'irq'));
    checkAttributes(ctx, el, 'irq', { variant });
    const irq = dec(ctx, el, opt(el, 'irq')!, false);
    return { kind: 'conventional', irq, trigger: trigger(ctx, el), ...common };
  }
  if (variant === 'ioapic') {
    if (arch !== 'x86_64') throw ctx.r.value('B.6.arch', el, "x86 I/O APIC IRQ isn't supported on ARM and RISC-V", opt(el, 'pin'));
    checkAttributes(ctx, el, 'irq', { variant });
    const io = opt(el, 'ioapic');
    const ioapic = io ? dec(ctx, el, io) : 0n;
    if (ioapic < 0n) throw ctx.r.value('B.6.ioapic', el, 'ioapic must be >= 0', io);
    const pinAttr = opt(el, 'pin')!;
    const pin = dec(ctx, el, pinAttr);
    if (pin < 0n) throw ctx.r.value('B.6.pin', el, 'pin must be >= 0', pinAttr);
    const trig = trigger(ctx, el);
    const pol = opt(el, 'polarity');
    let polarity: IrqPolarity = 'high';
    if (pol) {
      if (pol.value !== 'low' && pol.value !== 'high') throw ctx.r.value('B.6.polarity', el, "polarity must be either 'low' or 'high'", pol);
      polarity = pol.value;
    }
    return { kind: 'ioapic', ioapic, pin, trigger: trig, polarity, vector: vector(ctx, el), ...common };
  }
  if (variant === 'msi') {
    if (arch !== 'x86_64') throw ctx.r.value('B.6.arch', el, "x86 MSI IRQ isn't supported on ARM and RISC-V", opt(el, 'pcidev'));
    checkAttributes(ctx, el, 'irq', { variant });
    const pa = opt(el, 'pcidev')!;
    const pci = parsePci(pa.value);
    if (typeof pci === 'string') throw ctx.r.value('B.6.pcidev', el, pci, pa);
    const h = req(ctx, el, 'handle');
    const handle = dec(ctx, el, h);
    if (handle < 0n) throw ctx.r.value('B.6.handle', el, 'handle must be >= 0', h);
    return { kind: 'msi', pcidev: pci as PciAddress, handle, vector: vector(ctx, el), ...common };
  }
  // none of the three: the tool asks for the first attribute of its architecture's variant
  req(ctx, el, arch === 'x86_64' ? 'pin' : 'irq');
  throw new Error('unreachable');
}

export function parseIoport(ctx: Ctx, el: XmlElement, pdEl: XmlElement, setvars: SetVar[]): IoPort {
  if (ctx.kernel.arch !== 'x86_64') throw ctx.r.value('B.3.ioport-arch', pdEl, 'I/O Ports are only available on x86', el);
  checkAttributes(ctx, el, 'ioport');
  const idAttr = req(ctx, el, 'id');
  const id = dec(ctx, el, idAttr);
  if (id > MAX_ID) throw ctx.r.value('B.7.id-range', el, `id must be < ${MAX_ID + 1n}`, idAttr);
  if (id < 0n) throw ctx.r.value('B.7.id-range', el, 'id must be >= 0', idAttr);
  const sid = opt(el, 'setvar_id');
  if (sid) addSetvar(ctx, setvars, { symbol: sid.value, value: { kind: 'ioport_id', id: Number(id) }, pos: pos(el) }, el);
  const addr = num(ctx, el, req(ctx, el, 'addr'));
  const sad = opt(el, 'setvar_addr');
  if (sad) addSetvar(ctx, setvars, { symbol: sad.value, value: { kind: 'ioport_addr', addr }, pos: pos(el) }, el);
  const sizeAttr = req(ctx, el, 'size');
  const size = dec(ctx, el, sizeAttr);
  if (size <= 0n) throw ctx.r.value('B.7.size', el, 'size must be > 0', sizeAttr);
  return { id: Number(id), addr, size, setvarId: sid?.value ?? null, setvarAddr: sad?.value ?? null, pos: pos(el) };
}

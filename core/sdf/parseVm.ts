/** `virtual_machine` with its `vcpu` and `map` children (§B.9). */
import { type Ctx, checkAttributes, dec, num, opt, pos, req, vmMapLimit } from './context';
import type { Vcpu, VirtualMachine } from './model';
import { parseMap } from './parseMap';
import type { XmlElement } from './xml';
import { childElements } from './xml';

const MAX_VCPU_ID = 61n;

/** The VM, and whether one of its children had an error (recorded, and the child skipped). */
export function parseVm(ctx: Ctx, el: XmlElement, pdCpu: number): { vm: VirtualMachine; broken: boolean } {
  const k = ctx.kernel;
  checkAttributes(ctx, el, 'virtual_machine');
  const name = req(ctx, el, 'name').value;
  let budget = 1000n;
  let period = 1000n;
  let priority = 0;
  if (k.arch === 'aarch64') {
    const b = opt(el, 'budget');
    const p = opt(el, 'period');
    budget = b ? num(ctx, el, b) : 1000n;
    period = p ? num(ctx, el, p) : budget;
    if (budget > period) throw ctx.r.value('B.9.budget', el, `budget (${budget}) must be less than, or equal to, period (${period})`, b);
    const pr = opt(el, 'priority');
    // no range check in the tool: the value is truncated to 8 bits
    priority = pr ? Number(num(ctx, el, pr) & 0xffn) : 0;
  }
  const vcpus: Vcpu[] = [];
  const vcpuIds = new Set<bigint>();
  const vm: VirtualMachine = { name, priority, budget, period, vcpus, maps: [], pos: pos(el) };
  let broken = false;
  for (const child of childElements(el)) {
    const ok = ctx.r.guard(() => parseChild(child));
    if (!ok) broken = true;
  }
  if (vcpus.length === 0 && !broken) throw ctx.r.bare('B.9.missing-vcpu', `Error: missing 'vcpu' element on virtual_machine: '${name}'`, el);
  return { vm, broken };

  function parseChild(child: XmlElement): void {
    if (child.name === 'vcpu') {
      checkAttributes(ctx, child, 'vcpu');
      const idAttr = req(ctx, child, 'id');
      const id = dec(ctx, child, idAttr, false);
      if (id > MAX_VCPU_ID) throw ctx.r.value('B.9.vcpu-id', child, `id must be < ${MAX_VCPU_ID + 1n}`, idAttr);
      if (vcpuIds.has(id)) {
        throw ctx.r.located('B.9.vcpu-duplicate', `duplicate vcpu id ${id} in virtual machine '${name}'`, child, { sep: ' @ ' });
      }
      let cpu = pdCpu;
      const c = opt(child, 'cpu');
      if (c) {
        // a malformed value is reported against the virtual_machine element, as the tool does
        const v = num(ctx, child, c, el);
        if (v >= BigInt(k.cores)) throw ctx.r.value('B.9.vcpu-cpu', child, `cpu core must be less than ${k.cores}, got ${v}`, c);
        cpu = Number(v);
      }
      vcpuIds.add(id);
      vcpus.push({ id: Number(id), cpu, pos: pos(child) });
    } else if (child.name === 'map') {
      vm.maps.push(parseMap(ctx, child, 'vm_map', vmMapLimit(k)));
    } else {
      throw ctx.r.located('B.9.invalid-element', `invalid XML element '${child.name}'`, el, { focus: child });
    }
  }
}

/** Test helpers: assemble a guest and start it on a DirectVm the way libvmm starts one. */
import { assemble } from '../x86';
import { buildGdt, buildIdentityPageTables, startLongMode, startProtectedMode, startRealMode } from './guestInit';
import { DirectVm, type DirectVmOptions } from './direct';

export const PAGE_TABLES_GPA = 0x100000;
export const GDT_GPA = 0x104000;
export const STACK_TOP = 0x80000;

export function assembleGuest(source: string, bits: 16 | 32 | 64 = 64): { bytes: Uint8Array; origin: number } {
  const r = assemble(source, { bits });
  if (r.errors.length) throw new Error(r.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  return { bytes: r.bytes, origin: r.origin };
}

/** A 64-bit guest started in long mode with the VMM's identity page tables (`org` of the source is the entry). */
export function longModeGuest(source: string, opts: DirectVmOptions = {}): DirectVm {
  const vm = new DirectVm(opts);
  const { bytes, origin } = assembleGuest(source, 64);
  vm.loadImage(bytes, origin);
  const cr3 = buildIdentityPageTables(vm.memory, PAGE_TABLES_GPA);
  startLongMode(vm.backend, { rip: origin, cr3, rsp: STACK_TOP, gdtBase: buildGdt(vm.memory, GDT_GPA) });
  return vm;
}

/** A 32-bit protected-mode guest, paging off. */
export function protectedModeGuest(source: string, opts: DirectVmOptions = {}): DirectVm {
  const vm = new DirectVm(opts);
  const { bytes, origin } = assembleGuest(source, 32);
  vm.loadImage(bytes, origin);
  startProtectedMode(vm.backend, { rip: origin, rsp: STACK_TOP });
  return vm;
}

/** A 16-bit real-mode guest (unrestricted guest), CS = 0, entry at the source's `org`. */
export function realModeGuest(source: string, opts: DirectVmOptions = {}): DirectVm {
  const vm = new DirectVm(opts);
  const { bytes, origin } = assembleGuest(source, 16);
  vm.loadImage(bytes, origin);
  startRealMode(vm.backend, { ip: origin });
  return vm;
}

/** A VM's VCPU as the VCPU view shows it, read from the kernel's VCPU object (the source of truth between guest
 * runs): general registers, RIP and RFLAGS, control registers and EFER with their bits named, the VMCS fields by
 * Intel's groups, disassembly around RIP (guest-virtual → guest-physical through the guest's page tables and EPT),
 * and guest-physical memory. Changed values are marked against the previous picture of the same VM. */
import type { Simulation } from '../sim';
import type { VcpuObj } from '../kernel';
import { Access, decode, decodeBits, formatInstruction, GPR_NAMES, guestPageWalk, isDecodeError, VMCS_FIELDS, type Vcpu } from '../x86';
import { SEL4_CONTEXT_ORDER, signed64, X86GuestRunner } from '../vmm';
import { hexNum } from './deviceNames';
import type { RegisterRow, VcpuView } from './simMessages';

const GROUP_TITLES: Record<string, string> = {
  'guest-state': 'Guest-state area',
  'host-state': 'Host-state area',
  control: 'VM-execution, exit and entry control fields',
  'exit-information': 'VM-exit information fields',
};
const V = Object.fromEntries(VMCS_FIELDS.map((f) => [f.name, f.encoding]));
const hex16 = (v: bigint): string => `0x${v.toString(16).padStart(16, '0')}`;

export interface VcpuHandle {
  vm: string;
  /** the kernel VCPU object, or the copy of it taken at an exit */
  obj: Pick<VcpuObj, 'vmcs' | 'gpr'>;
  /** the CPU model that runs the guest (its memory and EPT), null before the first run */
  x86: Vcpu | null;
}

/** The VCPU at an exit: the state captured then, the CPU model (memory) as it is now. */
export function atExit(h: VcpuHandle, captured: { vm: string; vmcs: Map<number, bigint>; gpr: VcpuObj["gpr"] } | null): VcpuHandle {
  return captured && captured.vm === h.vm ? { ...h, obj: { vmcs: captured.vmcs, gpr: captured.gpr } } : h;
}

export function findVcpu(sim: Simulation, vm?: string): VcpuHandle | null {
  const k = sim.state.kernel;
  for (const p of sim.state.pds) {
    const m = p.pd.virtualMachine;
    if (!m || (vm && m.name !== vm) || p.tcb.vcpu < 0) continue;
    const obj = k.objects[p.tcb.vcpu] as VcpuObj;
    const runner = k.guestRunner instanceof X86GuestRunner ? k.guestRunner : null;
    return { vm: m.name, obj, x86: runner?.vcpuFor(obj) ?? null };
  }
  return null;
}

/** One byte of guest-physical memory through the VM's EPT, null where nothing is mapped. */
export function readGuestPhysical(h: VcpuHandle, gpa: number): number | null {
  const x = h.x86;
  if (!x || !x.ept || gpa < 0) return null;
  const r = x.ept.translate(gpa, Access.Read) as { hostPhys?: number };
  if (r.hostPhys === undefined || !('hostPhys' in r)) return null;
  return x.cpu.physRead(r.hostPhys, 1);
}

function paging(h: VcpuHandle): { cr0: number; cr3: number; cr4: number; efer: number } {
  const g = (n: string): number => Number(h.obj.vmcs.get(V[n]) ?? 0n);
  return { cr0: g('GUEST_CR0'), cr3: g('GUEST_CR3'), cr4: g('GUEST_CR4'), efer: g('GUEST_EFER') };
}

/** Guest-virtual → guest-physical through the guest's page tables (as the VCPU has them now), -1 if unmapped. */
export function gvaToGpa(h: VcpuHandle, gva: number): number {
  const read64 = (gpa: number): [number, number] => {
    const b: number[] = [];
    for (let i = 0; i < 8; i++) b.push(readGuestPhysical(h, gpa + i) ?? 0);
    return [(b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0, (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0];
  };
  return guestPageWalk(read64, paging(h), gva).gpa;
}

/** Decode the instruction at a guest-virtual address ('(unmapped)' when its page is not there). */
export function instructionAt(h: VcpuHandle, gva: number): { text: string; bytes: number[]; gpa: number } {
  const gpa = gvaToGpa(h, gva);
  if (gpa < 0) return { text: '(unmapped)', bytes: [], gpa };
  const bytes: number[] = [];
  for (let i = 0; i < 15; i++) {
    const b = readGuestPhysical(h, gpa + i);
    if (b === null) break;
    bytes.push(b);
  }
  const p = paging(h);
  const cs = Number(h.obj.vmcs.get(V['GUEST_CS_ACCESS_RIGHTS']) ?? 0n);
  const bits = p.efer & 0x400 && cs & (1 << 13) ? 64 : cs & (1 << 14) ? 32 : p.cr0 & 1 ? 16 : 16;
  const ins = decode(Uint8Array.from(bytes), 0, bits, gva);
  if (isDecodeError(ins)) return { text: '(bad)', bytes: bytes.slice(0, 1), gpa };
  return { text: formatInstruction(ins), bytes: bytes.slice(0, ins.length), gpa };
}

/** `before`: the values at the previous position (null: nothing is marked changed); `values` receives the new ones. */
export function vcpuView(h: VcpuHandle, before: Map<string, string> | null, values: Map<string, string>): VcpuView {
  const rows: RegisterRow[] = [];
  const row = (name: string, value: bigint, bits: string[] = []): RegisterRow => {
    const v = hex16(value);
    const changed = before !== null && before.has(name) && before.get(name) !== v;
    values.set(name, v);
    return { name, value: v, bits, changed };
  };
  const o = h.obj;
  for (let i = 0; i < SEL4_CONTEXT_ORDER.length; i++) rows.push(row(GPR_NAMES[SEL4_CONTEXT_ORDER[i]], o.gpr[i]));
  const f = (n: string): bigint => o.vmcs.get(V[n]) ?? 0n;
  rows.push(row('rsp', f('GUEST_RSP')), row('rip', f('GUEST_RIP')), row('rflags', f('GUEST_RFLAGS'), decodeBits('rflags', Number(f('GUEST_RFLAGS')))));
  const control = [
    row('cr0', f('GUEST_CR0'), decodeBits('cr0', Number(f('GUEST_CR0')))),
    row('cr3', f('GUEST_CR3')),
    row('cr4', f('GUEST_CR4'), decodeBits('cr4', Number(f('GUEST_CR4')))),
    row('efer', f('GUEST_EFER'), decodeBits('efer', Number(f('GUEST_EFER')))),
  ];
  const groups = new Map<string, RegisterRow[]>();
  for (const field of VMCS_FIELDS) {
    if (!o.vmcs.has(field.encoding)) continue;
    const title = GROUP_TITLES[field.group] ?? field.group;
    if (!groups.has(title)) groups.set(title, []);
    groups.get(title)!.push(row(field.name, o.vmcs.get(field.encoding)!));
  }
  const rip = signed64(f('GUEST_RIP')); // exact also for kernel-half RIPs
  const disassembly: VcpuView['disassembly'] = [];
  let at = rip;
  for (let i = 0; i < 12; i++) {
    const ins = instructionAt(h, at);
    disassembly.push({
      address: hexNum(at), gpa: ins.gpa >= 0 ? `0x${ins.gpa.toString(16)}` : null,
      bytes: ins.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' '), text: ins.text, current: at === rip,
    });
    at += Math.max(1, ins.bytes.length);
  }
  return { vm: h.vm, registers: rows, control, vmcs: [...groups].map(([group, fields]) => ({ group, fields })), disassembly };
}

/** The guest's initial VCPU state, written the way libvmm writes it (vmm-x86.md §1.13 `vcpu_set_up_long_mode`), plus
 * a 32-bit protected-mode variant, and the identity page tables / GDT libvmm builds in guest RAM. */
import type { GuestMemory } from '../guest';
import type { VcpuBackend } from './backend';
import { EXIT_CTL_DEFAULT, PPC_DEFAULT, VMCS } from './constants';

const UNUSABLE = 0x10000;

export interface LongModeStart {
  rip: number;
  /** PML4 guest-physical address (see buildIdentityPageTables) */
  cr3: number;
  /** initial RSP (libvmm leaves it 0; our small guests set their own or get one here) */
  rsp?: number;
  gdtBase?: number;
}

function segments(b: VcpuBackend, cs: number, csAr: number, ds: number, dsAr: number): void {
  const seg = (s: string, sel: number, ar: number): void => {
    b.writeVmcs(VMCS[`GUEST_${s}_SELECTOR`], sel);
    b.writeVmcs(VMCS[`GUEST_${s}_BASE`], 0);
    b.writeVmcs(VMCS[`GUEST_${s}_LIMIT`], 0xfffff);
    b.writeVmcs(VMCS[`GUEST_${s}_ACCESS_RIGHTS`], ar);
  };
  seg('CS', cs, csAr);
  for (const s of ['DS', 'ES', 'SS']) seg(s, ds, dsAr);
  for (const s of ['FS', 'GS', 'LDTR']) seg(s, 0, UNUSABLE);
  b.writeVmcs(VMCS.GUEST_TR_SELECTOR, 0);
  b.writeVmcs(VMCS.GUEST_TR_BASE, 0);
  b.writeVmcs(VMCS.GUEST_TR_LIMIT, 0xff);
  b.writeVmcs(VMCS.GUEST_TR_ACCESS_RIGHTS, 0x8b);
}

function common(b: VcpuBackend, cr0: number, cr4: number): void {
  b.writeVmcs(VMCS.GUEST_CR0, cr0);
  b.writeVmcs(VMCS.CR0_READ_SHADOW, cr0);
  b.writeVmcs(VMCS.CR0_GUEST_HOST_MASK, 0x80000020); // NE | PG
  b.writeVmcs(VMCS.GUEST_CR4, cr4);
  b.writeVmcs(VMCS.CR4_READ_SHADOW, cr4);
  b.writeVmcs(VMCS.CR4_GUEST_HOST_MASK, 0x2000); // VMXE
  b.writeVmcs(VMCS.GUEST_RFLAGS, 0x2);
  b.writeVmcs(VMCS.GUEST_PAT, 0x0007040600070406);
  b.writeVmcs(VMCS.EXIT_CONTROLS, EXIT_CTL_DEFAULT);
  b.writeVmcs(VMCS.SECONDARY_PROCESSOR_CONTROLS, 0x100020);
  b.writeVmcs(VMCS.GUEST_INTERRUPTIBILITY, 0);
  b.writeVmcs(VMCS.GUEST_ACTIVITY_STATE, 0);
}

/** libvmm's long-mode start: paging on with the VMM's page tables, EFER LME|LMA, 64-bit CS. Returns the primary
 * controls and RIP the VMM should enter with (the values libmicrokit caches). */
export function startLongMode(b: VcpuBackend, s: LongModeStart): { rip: number; ppc: number } {
  common(b, 0x80000011, 0x40220);
  b.writeVmcs(VMCS.GUEST_CR3, s.cr3);
  b.writeVmcs(VMCS.GUEST_EFER, 0x500);
  b.writeVmcs(VMCS.ENTRY_CONTROLS, 0xc200);
  segments(b, 8, 0xa09b, 16, 0xc093);
  b.writeVmcs(VMCS.GUEST_GDTR_BASE, s.gdtBase ?? 0);
  b.writeVmcs(VMCS.GUEST_GDTR_LIMIT, s.gdtBase !== undefined ? 23 : 0);
  b.writeVmcs(VMCS.GUEST_IDTR_BASE, 0);
  b.writeVmcs(VMCS.GUEST_IDTR_LIMIT, 0);
  b.writeVmcs(VMCS.GUEST_RSP, s.rsp ?? 0);
  b.writeVmcs(VMCS.PRIMARY_PROCESSOR_CONTROLS, PPC_DEFAULT);
  b.writeVmcs(VMCS.GUEST_RIP, s.rip);
  return { rip: s.rip, ppc: PPC_DEFAULT };
}

/** A flat 32-bit protected-mode start (paging off), for guests that set up their own paging. */
export function startProtectedMode(b: VcpuBackend, s: { rip: number; rsp?: number }): { rip: number; ppc: number } {
  common(b, 0x11, 0);
  b.writeVmcs(VMCS.GUEST_CR3, 0);
  b.writeVmcs(VMCS.GUEST_EFER, 0);
  b.writeVmcs(VMCS.ENTRY_CONTROLS, 0xc000);
  segments(b, 8, 0xc09b, 16, 0xc093);
  b.writeVmcs(VMCS.GUEST_RSP, s.rsp ?? 0);
  b.writeVmcs(VMCS.PRIMARY_PROCESSOR_CONTROLS, PPC_DEFAULT);
  b.writeVmcs(VMCS.GUEST_RIP, s.rip);
  return { rip: s.rip, ppc: PPC_DEFAULT };
}

/** Identity page tables with 2 MiB pages (PML4 → PDPT → 4 PDs) at `at` (6 pages). libvmm covers guest RAM only;
 * we map the whole low 4 GiB so a small guest also reaches the IOAPIC, HPET and LAPIC pages without building its
 * own tables. Returns the PML4 address (the CR3 value). */
export function buildIdentityPageTables(ram: GuestMemory, at: number): number {
  const pml4 = at, pdpt = at + 0x1000, pd = at + 0x2000;
  ram.write(at, new Uint8Array(0x6000));
  ram.writeU32(pml4, pdpt | 3);
  for (let g = 0; g < 4; g++) ram.writeU32(pdpt + g * 8, (pd + g * 0x1000) | 3);
  for (let i = 0; i < 4 * 512; i++) ram.writeU32(pd + i * 8, (i * 0x200000 + 0x83) >>> 0); // present, writable, 2 MiB
  return pml4;
}

/** libvmm's GDT: null, 64-bit code (selector 8), flat 32-bit data (selector 16). */
export function buildGdt(ram: GuestMemory, at: number): number {
  ram.writeU64(at, 0n);
  ram.writeU64(at + 8, 0x00af9b000000ffffn);
  ram.writeU64(at + 16, 0x00cf93000000ffffn);
  return at;
}

/** Real mode with "unrestricted guest", the way libvmm's guest_start_reset_state starts a VCPU (vmm-x86.md §1.13,
 * UEFI path), but at a chosen CS:IP instead of the reset vector F000:FFF0 (a small guest has no flash at 4 GiB).
 * CS base = CS × 16; DS, ES, SS, FS, GS are 0. */
export function startRealMode(b: VcpuBackend, s: { cs?: number; ip: number; sp?: number }): { rip: number; ppc: number } {
  common(b, 0x60000010, 0); // CD, NW, ET as at reset
  b.writeVmcs(VMCS.SECONDARY_PROCESSOR_CONTROLS, 0x1000a0); // + unrestricted guest
  b.writeVmcs(VMCS.GUEST_CR3, 0);
  b.writeVmcs(VMCS.GUEST_EFER, 0);
  b.writeVmcs(VMCS.ENTRY_CONTROLS, 0xc000);
  const cs = s.cs ?? 0;
  const seg = (name: string, sel: number, ar: number): void => {
    b.writeVmcs(VMCS[`GUEST_${name}_SELECTOR`], sel);
    b.writeVmcs(VMCS[`GUEST_${name}_BASE`], sel * 16);
    b.writeVmcs(VMCS[`GUEST_${name}_LIMIT`], 0xffff);
    b.writeVmcs(VMCS[`GUEST_${name}_ACCESS_RIGHTS`], ar);
  };
  seg('CS', cs, 0x9b);
  for (const n of ['DS', 'ES', 'SS', 'FS', 'GS']) seg(n, 0, 0x93);
  b.writeVmcs(VMCS.GUEST_LDTR_SELECTOR, 0);
  b.writeVmcs(VMCS.GUEST_LDTR_ACCESS_RIGHTS, 0x82);
  b.writeVmcs(VMCS.GUEST_TR_SELECTOR, 0);
  b.writeVmcs(VMCS.GUEST_TR_BASE, 0);
  b.writeVmcs(VMCS.GUEST_TR_LIMIT, 0xffff);
  b.writeVmcs(VMCS.GUEST_TR_ACCESS_RIGHTS, 0x8b);
  b.writeVmcs(VMCS.GUEST_GDTR_BASE, 0);
  b.writeVmcs(VMCS.GUEST_GDTR_LIMIT, 0xffff);
  b.writeVmcs(VMCS.GUEST_IDTR_BASE, 0);
  b.writeVmcs(VMCS.GUEST_IDTR_LIMIT, 0x3ff); // the real-mode IVT at 0
  b.writeVmcs(VMCS.GUEST_RSP, s.sp ?? 0x7000);
  b.writeVmcs(VMCS.PRIMARY_PROCESSOR_CONTROLS, PPC_DEFAULT);
  b.writeVmcs(VMCS.GUEST_RIP, s.ip);
  return { rip: s.ip, ppc: PPC_DEFAULT };
}

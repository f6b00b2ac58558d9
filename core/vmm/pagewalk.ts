/** Guest-virtual → guest-physical, walking the guest's own page tables from CR3 (libvmm's gva_to_gpa, extended):
 * 4-level long mode with 2 MiB and 1 GiB pages, PAE, and 32-bit paging with 4 MiB pages; identity when paging
 * is off. Only the present bits are checked, like libvmm. The tables are read through the VMM's view of guest RAM. */
import type { GuestMemory } from '../guest';
import { mod } from './address';

const TWO32 = 0x1_0000_0000;
const CR0_PG = 0x80000000, CR4_PSE = 0x10, CR4_PAE = 0x20, EFER_LMA = 0x400;

export interface PagingMode {
  cr0: number;
  cr3: number;
  cr4: number;
  efer: number;
}

function entry64(mem: GuestMemory, at: number): [number, number] | null {
  if (!mem.checkRange(at, 8)) return null;
  return [mem.readU32(at), mem.readU32(at + 4)];
}

/** The guest-physical address, or -1 when a table is missing or not present. */
export function gvaToGpa(mem: GuestMemory, m: PagingMode, gva: number): number {
  if (!(m.cr0 & CR0_PG)) return gva;
  if (m.efer & EFER_LMA || m.cr4 & CR4_PAE) {
    const long = (m.efer & EFER_LMA) !== 0;
    const lin = long ? gva : mod(gva, TWO32);
    const hiPart = Math.floor(lin / TWO32); // bits 63..32
    const loPart = mod(lin, TWO32);
    // index of each level: PML4 bits 47:39, PDPT 38:30, PD 29:21, PT 20:12
    const idx = [
      ((hiPart >>> 7) & 0x1ff),
      (((hiPart & 0x7f) << 2) | (loPart >>> 30)) & 0x1ff,
      (loPart >>> 21) & 0x1ff,
      (loPart >>> 12) & 0x1ff,
    ];
    let table: number;
    let level: number;
    if (long) {
      table = Math.floor(m.cr3 / 4096) * 4096;
      level = 0;
    } else {
      // PAE: CR3 points at 4 PDPTEs (32-byte aligned), indexed by bits 31:30
      const pdpte = entry64(mem, (m.cr3 & ~0x1f) + (loPart >>> 30) * 8);
      if (!pdpte || !(pdpte[0] & 1)) return -1;
      table = (pdpte[1] & 0xfffff) * TWO32 + (pdpte[0] >>> 12) * 4096;
      level = 2;
    }
    for (; level < 4; level++) {
      const e = entry64(mem, table + idx[level] * 8);
      if (!e || !(e[0] & 1)) return -1;
      const base = (e[1] & 0xfffff) * TWO32 + (e[0] >>> 12) * 4096;
      if (level === 1 && e[0] & 0x80) return Math.floor(base / 2 ** 30) * 2 ** 30 + mod(lin, 2 ** 30);
      if (level === 2 && e[0] & 0x80) return Math.floor(base / 2 ** 21) * 2 ** 21 + mod(lin, 2 ** 21);
      table = base;
    }
    return table + mod(lin, 4096);
  }
  // 32-bit paging
  const lin = gva >>> 0;
  const pdeAt = (m.cr3 & 0xfffff000) + (lin >>> 22) * 4;
  if (!mem.checkRange(pdeAt, 4)) return -1;
  const pde = mem.readU32(pdeAt);
  if (!(pde & 1)) return -1;
  if (m.cr4 & CR4_PSE && pde & 0x80) return (pde & 0xffc00000) + (lin & 0x3fffff);
  const pteAt = (pde & 0xfffff000) + ((lin >>> 12) & 0x3ff) * 4;
  if (!mem.checkRange(pteAt, 4)) return -1;
  const pte = mem.readU32(pteAt);
  if (!(pte & 1)) return -1;
  return (pte & 0xfffff000) + (lin & 0xfff);
}

/** A side-effect-free guest page walk for tools outside the CPU (the VMM's MMIO decoding, the
 * memory-map view): guest-virtual → guest-physical from CR3 and the paging mode, reading
 * guest-physical memory through a callback. 4-level (long mode), PAE and 32-bit paging; 4 KiB,
 * 2/4 MiB and 1 GiB pages. */
import { CR0, CR4, EFER } from './constants';

export interface WalkResult {
  /** guest-physical address, or -1 when not present */
  gpa: number;
  /** size of the page that maps it (4096, 2 MiB, 4 MiB or 1 GiB) */
  pageSize: number;
  writable: boolean;
  user: boolean;
  executable: boolean;
}

/** `read64(gpa)` returns the 8 bytes at gpa as [low, high] 32-bit halves. */
export function guestPageWalk(
  read64: (gpa: number) => [number, number],
  regs: { cr0: number; cr3: number; cr4: number; efer: number },
  lin: number,
): WalkResult {
  if (!(regs.cr0 & CR0.PG)) return { gpa: regs.efer & EFER.LMA ? lin : lin >>> 0, pageSize: 4096, writable: true, user: true, executable: true };
  const nxe = (regs.efer & EFER.NXE) !== 0;
  let w = true, u = true, x = true;
  const miss: WalkResult = { gpa: -1, pageSize: 0, writable: false, user: false, executable: false };
  if (regs.efer & EFER.LMA || regs.cr4 & CR4.PAE) {
    const long = (regs.efer & EFER.LMA) !== 0;
    let table = long ? Math.floor(regs.cr3 / 4096) * 4096 : (regs.cr3 >>> 0) & ~0x1f;
    for (let level = long ? 4 : 3; level >= 1; level--) {
      const shift = 12 + 9 * (level - 1);
      // from the signed value (kernel-half addresses are negative; lin + 2^64 would not be exact)
      const idx = !long && level === 3 ? Math.floor((lin >>> 0) / 2 ** 30) & 3 : Math.floor(lin / 2 ** shift) & 511;
      const [lo, hi] = read64(table + idx * 8);
      if (!(lo & 1)) return miss;
      const pdpte32 = !long && level === 3;
      if (!pdpte32) {
        w &&= (lo & 2) !== 0;
        u &&= (lo & 4) !== 0;
        x &&= !(nxe && hi < 0);
      }
      const frame = (hi & 0xfffff) * 4294967296 + ((lo >>> 0) & 0xfffff000);
      if ((level === 1) || (level <= 3 && !pdpte32 && lo & 0x80)) {
        const size = 2 ** shift;
        const base = frame - (frame % size);
        return { gpa: base + (lin - Math.floor(lin / size) * size), pageSize: size, writable: w, user: u, executable: x };
      }
      table = frame;
    }
    return miss;
  }
  const l = lin >>> 0;
  const [pde] = read64(((regs.cr3 >>> 0) & 0xfffff000) + (l >>> 22) * 4);
  if (!(pde & 1)) return miss;
  w = (pde & 2) !== 0;
  u = (pde & 4) !== 0;
  if (pde & 0x80 && regs.cr4 & CR4.PSE) return { gpa: ((pde & 0xffc00000) >>> 0) + (l & 0x3fffff), pageSize: 4 << 20, writable: w, user: u, executable: true };
  const [pte] = read64(((pde & 0xfffff000) >>> 0) + ((l >>> 12) & 0x3ff) * 4);
  if (!(pte & 1)) return miss;
  return { gpa: ((pte & 0xfffff000) >>> 0) + (l & 0xfff), pageSize: 4096, writable: w && (pte & 2) !== 0, user: u && (pte & 4) !== 0, executable: true };
}

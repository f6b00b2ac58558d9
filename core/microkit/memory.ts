/** Physical memory contents and address translation through a PD's VSpace (the kernel's paging tables).
 * The kernel model keeps only frame objects; the bytes live here, one 4 KiB page at a time, created on first touch
 * (zero-filled, like frames retyped from RAM untypeds). Devices claim physical ranges and see every access. */
import type { Kernel, TableObj } from '../kernel';
import { VM_READ_WRITE } from '../kernel';

export interface MmioDevice {
  base: bigint;
  size: bigint;
  read(offset: number, size: number): bigint;
  write(offset: number, size: number, value: bigint): void;
}

export interface Translation {
  paddr: bigint;
  writable: boolean;
}

/** x86-style page-fault error codes (P = present, W = write, U = user), as the monitor decodes them */
export const PF_USER = 4n;
export const PF_PRESENT = 1n;
export const PF_WRITE = 2n;

export class PhysicalMemory {
  private pages = new Map<bigint, Uint8Array>();
  readonly devices: MmioDevice[] = [];

  page(pageAddr: bigint): Uint8Array {
    let p = this.pages.get(pageAddr);
    if (!p) {
      p = new Uint8Array(4096);
      this.pages.set(pageAddr, p);
    }
    return p;
  }

  /** Back [paddr, paddr + bytes.length) with `bytes` (page views, keeping any contents already written), so another
   * model can share them: an x86 VM's frames are also the CPU model's memory (core/microkit/vcpu.ts). */
  adopt(paddr: bigint, bytes: Uint8Array): void {
    for (let off = 0; off < bytes.length; off += 4096) {
      const at = paddr + BigInt(off);
      const view = bytes.subarray(off, off + 4096);
      const old = this.pages.get(at);
      if (old) view.set(old);
      this.pages.set(at, view);
    }
  }

  device(paddr: bigint): MmioDevice | null {
    for (const d of this.devices) if (paddr >= d.base && paddr < d.base + d.size) return d;
    return null;
  }

  read(paddr: bigint, size: number): bigint {
    const dev = this.device(paddr);
    if (dev) return dev.read(Number(paddr - dev.base), size);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) {
      const a = paddr + BigInt(i);
      v = (v << 8n) | BigInt(this.page(a & ~0xfffn)[Number(a & 0xfffn)]);
    }
    return v;
  }

  write(paddr: bigint, size: number, value: bigint): void {
    const dev = this.device(paddr);
    if (dev) {
      dev.write(Number(paddr - dev.base), size, value);
      return;
    }
    for (let i = 0; i < size; i++) {
      const a = paddr + BigInt(i);
      this.page(a & ~0xfffn)[Number(a & 0xfffn)] = Number((value >> BigInt(8 * i)) & 0xffn);
    }
  }
}

function levelIndex(vaddr: bigint, level: number): number {
  return Number((vaddr >> BigInt(12 + 9 * (level - 1))) & 511n);
}

/** Walk a VSpace (PML4 object id) for vaddr; null when not mapped. */
export function translate(k: Kernel, rootId: number, vaddr: bigint): Translation | null {
  let table = k.objects[rootId] as TableObj | undefined;
  for (let level = 4; level >= 1 && table; level--) {
    const e = table.entries.get(levelIndex(vaddr, level));
    if (!e) return null;
    if (e.table < 0) {
      const off = vaddr & ((1n << BigInt(e.sizeBits)) - 1n);
      return { paddr: e.paddr + off, writable: e.vmRights === VM_READ_WRITE };
    }
    table = k.objects[e.table] as TableObj | undefined;
  }
  return null;
}

/** A small flat machine for running bare code on the CPU (not in a VM): RAM from address 0,
 * a debug console on port 0xE9 (as Bochs and QEMU provide), an exit port 0xF4 (as QEMU's
 * isa-debug-exit), and start-up state for 16-, 32- or 64-bit code.
 *
 * Start-up state (documented in ../SIMPLIFICATIONS.md):
 *  - 16: real mode, CS = DS = ES = SS = 0, IP = origin, SP = 0xFFFE.
 *  - 32: protected mode, flat 4 GiB segments (CS = 0x08, data = 0x10), paging off.
 *  - 64: long mode, CS = 0x18 (64-bit), data = 0x10, the first 4 GiB identity-mapped with
 *        1 GiB pages (tables at the top of RAM), PAE and NXE on.
 *  The machine's tables live at 0x9C000..0x9FFFF (PML4, PDPT, GDT) and the stack starts below
 *  them at 0x9C000 (SP = 0x7C00 or 0xFFFE in real mode), so a guest that identity-maps the
 *  first MiB keeps them. No IDT is installed (IDTR limit 0), so an
 *  exception the program does not handle ends in a triple fault that the run reports. */
import { Cpu } from '../cpu/cpu';
import '../exec';
import { CR0, CR4, EFER } from '../cpu/constants';
import type { IoBus, StopReason } from '../cpu/types';

export const DEBUG_CONSOLE_PORT = 0xe9;
export const EXIT_PORT = 0xf4;
const SYSTEM_AREA = 0x9c000;

export interface FlatMachineOptions {
  mode: 16 | 32 | 64;
  ramBytes?: number;
  /** where the code is loaded and starts */
  origin: number;
}

export class FlatMachine {
  readonly cpu: Cpu;
  readonly ram: Uint8Array;
  readonly consoleBytes: number[] = [];
  exitCode: number | null = null;
  /** area holding the machine's page tables and GDT */
  readonly systemArea = SYSTEM_AREA;

  constructor(readonly opts: FlatMachineOptions) {
    const size = opts.ramBytes ?? 16 * 1024 * 1024;
    this.ram = new Uint8Array(size);
    const io: IoBus = {
      in: (port, sz) => (port === DEBUG_CONSOLE_PORT ? 0xe9 : sz === 4 ? -1 : sz === 2 ? 0xffff : 0xff),
      out: (port, _sz, value) => {
        if (port === DEBUG_CONSOLE_PORT) this.consoleBytes.push(value & 0xff);
        else if (port === EXIT_PORT) {
          this.exitCode = value;
          this.cpu.stopReason = 'stop';
        }
      },
    };
    this.cpu = new Cpu({ bytes: this.ram }, io);
    if (size < 0x100000) throw new Error('the flat machine needs at least 1 MiB of RAM');
    this.setupMode(opts.mode, opts.origin);
  }

  load(bytes: Uint8Array, at = this.opts.origin): void {
    if (at + bytes.length > this.ram.length) throw new Error(`program does not fit in RAM at 0x${at.toString(16)}`);
    if (at < SYSTEM_AREA + 0x4000 && at + bytes.length > SYSTEM_AREA) {
      throw new Error(`program overlaps the machine's tables at 0x${SYSTEM_AREA.toString(16)}..0x${(SYSTEM_AREA + 0x3fff).toString(16)}`);
    }
    this.ram.set(bytes, at);
    this.cpu.invalidateAllCode(); // the bytes bypassed the CPU's write path
  }

  private setupMode(mode: 16 | 32 | 64, origin: number): void {
    const cpu = this.cpu;
    const gdt = this.systemArea + 0x3000;
    const dv = new DataView(this.ram.buffer);
    // null, 0x08 code32, 0x10 data, 0x18 code64, 0x20 code16
    const descs: [number, number][] = [
      [0, 0], [0x0000ffff, 0x00cf9a00], [0x0000ffff, 0x00cf9200], [0x0000ffff, 0x00af9a00], [0x0000ffff, 0x00009a00],
    ];
    descs.forEach(([lo, hi], i) => {
      dv.setUint32(gdt + i * 8, lo >>> 0, true);
      dv.setUint32(gdt + i * 8 + 4, hi >>> 0, true);
    });
    cpu.reset();
    cpu.gdtr = { base: gdt, limit: descs.length * 8 - 1 };
    cpu.idtr = { base: 0, limit: mode === 16 ? 0x3ff : 0 };
    const stackTop = this.systemArea;
    if (mode === 16) {
      for (let s = 0; s < 6; s++) cpu.loadSeg(s, 0);
      cpu.rip = origin & 0xffff;
      if (origin > 0xffff) {
        cpu.loadSeg(1, (origin >>> 4) & 0xf000);
        cpu.rip = origin - cpu.segBase[1];
      }
      cpu.setReg(4, 2, origin >= 0x7c00 && origin < 0x10000 ? 0x7c00 : 0xfffe);
      cpu.updateMode();
      return;
    }
    cpu.cr0 = CR0.PE | CR0.ET | CR0.NE;
    if (mode === 64) {
      const pml4 = this.systemArea, pdpt = this.systemArea + 0x1000;
      dv.setUint32(pml4, pdpt | 0x7, true);
      for (let i = 0; i < 4; i++) {
        dv.setUint32(pdpt + i * 8, ((i * 0x40000000) | 0x87) >>> 0, true); // present, writable, user, 1 GiB
      }
      cpu.cr3 = pml4;
      cpu.cr4 = CR4.PAE | CR4.PSE;
      cpu.efer = EFER.LME | EFER.LMA | EFER.NXE | EFER.SCE;
      cpu.cr0 |= CR0.PG | CR0.WP;
    }
    const seg = (s: number, sel: number) => {
      const i = sel >> 3;
      cpu.setSegFromDescriptor(s, sel, descs[i][0], descs[i][1]);
    };
    seg(1, mode === 64 ? 0x18 : 0x08);
    for (const s of [0, 2, 3, 4, 5]) seg(s, 0x10);
    cpu.tr = { sel: 0, base: 0, limit: 0x67, attr: 0x8b };
    cpu.updateMode();
    cpu.flushTlb();
    cpu.rip = origin;
    cpu.setReg(4, 4, stackTop);
  }

  run(maxInstructions: number): StopReason {
    return this.cpu.run(maxInstructions);
  }

  get output(): string {
    return new TextDecoder('utf-8').decode(Uint8Array.from(this.consoleBytes));
  }
}

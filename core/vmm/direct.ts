/** A VM without the kernel in between: core/x86's Vcpu (VMX non-root) + guest memory + the VMM library, entered in
 * a loop the way libmicrokit's handler loop enters seL4_VMEnter. Used by tests and the bench, and as the fast path
 * that shows what the exit path itself costs. Controls get seL4's forced bits (sel4-x86_64.md §6.3). */
import { GuestEpt, guestMemoryFromMaps, HostMemory, RWX, type GuestMemory, type Perms } from '../guest';
import { readMsr, SEL4_QUALIFIED_EXITS as QUALIFIED, Vcpu, writeMsr, type EptTranslator } from '../x86';
import type { VcpuBackend } from './backend';
import { VMCS as VMCS_TABLE } from './constants';

// plain local copies: the run loop reads them per exit (imported bindings can be getters after transpilation)
const VMCS = { ...VMCS_TABLE };
const SEL4_QUALIFIED_EXITS = QUALIFIED;
import { Vmm, type VmmOptions } from './vmm';

/** seL4's forced control bits, TRUE-capability style (CR3 load/store exiting stays clearable: EPT is on). */
const FIXED: ReadonlyMap<number, number> = new Map([
  [VMCS.PIN_BASED_CONTROLS, 0x01 | 0x08 | 0x20],
  [VMCS.PRIMARY_PROCESSOR_CONTROLS, ((1 << 25) | (1 << 28) | (1 << 31)) >>> 0],
  [VMCS.SECONDARY_PROCESSOR_CONTROLS, 0x2],
  [VMCS.GUEST_CR0, 0x20],
  [VMCS.GUEST_CR4, 0x2000],
]);

export class DirectBackend implements VcpuBackend {
  constructor(readonly vcpu: Vcpu) {}

  readVmcs(field: number): number {
    return this.vcpu.vmcs.read(field);
  }

  writeVmcs(field: number, value: number): number {
    const f = FIXED.get(field);
    // OR in the forced bits, keeping values above 32 bits intact for the fields that have no forced bits
    const v = f === undefined ? value : (value | f) >>> 0;
    this.vcpu.vmcs.write(field, v);
    return v;
  }

  readMsr(msr: number): number {
    const [lo, hi] = readMsr(this.vcpu.cpu, msr);
    return (hi >>> 0) * 0x1_0000_0000 + (lo >>> 0);
  }

  writeMsr(msr: number, value: number): void {
    this.vcpu.syncGuestState(); // the MSR changes the CPU model directly: the exit's saved state must be in the VMCS
    writeMsr(this.vcpu.cpu, msr, value % 0x1_0000_0000, Math.floor(value / 0x1_0000_0000));
  }

  tsc(): number {
    return this.vcpu.cpu.icount;
  }
}

export interface DirectVmOptions {
  /** memory regions (name, size) and where the VM maps them; default one RAM region at GPA 0 */
  regions?: { name: string; size: number }[];
  maps?: { mr: string; gpa: number; perms: Perms }[];
  ramSize?: number;
  name?: string;
  onOutput?: VmmOptions['onOutput'];
  onLog?: VmmOptions['onLog'];
}

export type RunStop = 'halted' | 'failed' | 'max-exits' | 'budget';

export class DirectVm {
  readonly host: HostMemory;
  readonly memory: GuestMemory;
  readonly vcpu: Vcpu;
  readonly backend: DirectBackend;
  readonly vmm: Vmm;
  /** guest instructions executed */
  instructions = 0;

  constructor(opts: DirectVmOptions = {}) {
    const regions = opts.regions ?? [{ name: 'guest_ram', size: opts.ramSize ?? 0x200000 }];
    const maps = opts.maps ?? [{ mr: regions[0].name, gpa: 0, perms: RWX }];
    this.host = new HostMemory(regions);
    this.memory = guestMemoryFromMaps(maps, this.host);
    this.vcpu = new Vcpu({ bytes: this.host.bytes });
    this.vcpu.ept = new GuestEpt(this.memory) as unknown as EptTranslator;
    this.backend = new DirectBackend(this.vcpu);
    // seL4's VCPU starts with the forced bits and everything trapped (I/O and MSR bitmaps, except SYSENTER/FS/GS)
    for (const f of FIXED.keys()) this.backend.writeVmcs(f, 0);
    for (const msr of [0x174, 0x175, 0x176]) this.passMsr(msr);
    for (const msr of [0xc0000100, 0xc0000101, 0xc0000102]) this.passMsr(msr);
    this.vmm = new Vmm({ backend: this.backend, ram: this.memory, name: opts.name, onOutput: opts.onOutput, onLog: opts.onLog });
  }

  private passMsr(msr: number): void {
    const bm = this.vcpu.msrBitmap;
    const low = msr <= 0x1fff;
    const bit = msr & 0x1fff;
    for (const base of low ? [0, 0x800] : [0x400, 0xc00]) bm[base + (bit >> 3)] &= ~(1 << (bit & 7));
  }

  /** microkit_vcpu_x86_enable_ioport: let the guest reach ports [port, port + len) without exits. */
  enableIoport(port: number, len: number): void {
    for (let p = port; p < port + len; p++) this.vcpu.ioBitmap[p >> 3] &= ~(1 << (p & 7));
  }

  loadImage(bytes: Uint8Array, gpa: number): void {
    this.memory.write(gpa, bytes);
  }

  /** Enter the guest until it halts for good, the VCPU stops, or `maxExits` exits were handled. */
  run(opts: { maxExits?: number; budget?: number; maxInstructions?: number } = {}): RunStop {
    const { vcpu, vmm } = this;
    const st = vmm.state;
    const v = vcpu.vmcs;
    const cpu = vcpu.cpu;
    const maxExits = opts.maxExits ?? Infinity;
    const budget = opts.budget ?? 1_000_000;
    const maxIns = opts.maxInstructions ?? Infinity;
    let exits = 0;
    if (vmm.failure) return 'failed';
    vmm.waiting = false;
    // the libmicrokit-cached values start from the VMCS
    st.rip = v.read(VMCS.GUEST_RIP);
    st.ppc = v.read(VMCS.PRIMARY_PROCESSOR_CONTROLS);
    st.entryIrq = v.read(VMCS.ENTRY_INTERRUPTION_INFO);
    const ppcFixed = FIXED.get(VMCS.PRIMARY_PROCESSOR_CONTROLS)!;
    for (;;) {
      v.write(VMCS.GUEST_RIP, st.rip);
      v.write(VMCS.PRIMARY_PROCESSOR_CONTROLS, (st.ppc | ppcFixed) >>> 0); // backend.writeVmcs, inlined
      v.write(VMCS.ENTRY_INTERRUPTION_INFO, st.entryIrq);
      const r = vcpu.enter(budget);
      this.instructions += r.instructions;
      if (r.kind !== 'exit') {
        st.rip = v.read(VMCS.GUEST_RIP);
        st.entryIrq = v.read(VMCS.ENTRY_INTERRUPTION_INFO);
        if (r.kind === 'halted') return 'halted';
        if (this.instructions >= maxIns) return 'budget';
        continue;
      }
      const reason = r.reason & 0x80000000 ? 0xffff : r.reason;
      if (reason === 1) continue; // external interrupts are the kernel's business
      st.reason = reason;
      st.qualification = SEL4_QUALIFIED_EXITS.has(reason) ? r.qualification : 0;
      st.instructionLength = r.instructionLength;
      st.guestPhysical = r.guestPhysical < 0 ? r.guestPhysical + 0x1_0000_0000 : r.guestPhysical; // the CPU hands 32-bit GPAs as signed
      st.rip = r.rip;
      st.ppc = v.read(VMCS.PRIMARY_PROCESSOR_CONTROLS);
      st.entryIrq = v.read(VMCS.ENTRY_INTERRUPTION_INFO);
      st.rflags = v.read(VMCS.GUEST_RFLAGS);
      st.interruptibility = v.read(VMCS.GUEST_INTERRUPTIBILITY);
      st.cr3 = v.read(VMCS.GUEST_CR3);
      const lo = st.lo, hi = st.hi;
      for (let i = 0; i < 16; i++) {
        lo[i] = cpu.r[i];
        hi[i] = cpu.rh[i];
      }
      st.regsDirty = false;
      st.rflagsDirty = false;
      if (!vmm.handleExit()) {
        if (!vmm.waiting) return 'failed';
        v.write(VMCS.GUEST_RIP, st.rip);
        return 'halted';
      }
      if (st.regsDirty) {
        for (let i = 0; i < 16; i++) {
          if (i === 4) continue;
          cpu.r[i] = lo[i] | 0;
          cpu.rh[i] = hi[i] | 0;
        }
      }
      if (st.rflagsDirty) v.write(VMCS.GUEST_RFLAGS, st.rflags);
      if (++exits >= maxExits) {
        v.write(VMCS.GUEST_RIP, st.rip);
        this.backend.writeVmcs(VMCS.PRIMARY_PROCESSOR_CONTROLS, st.ppc);
        v.write(VMCS.ENTRY_INTERRUPTION_INFO, st.entryIrq);
        return 'max-exits';
      }
      if (this.instructions >= maxIns) return 'budget';
    }
  }
}

/** The VMM library (libvmm's x86 side, vmm-x86.md §1): `handleExit` dispatches one cached VM exit by basic reason,
 * with per-reason counters, and leaves the state to write back (registers, RIP, primary controls, entry
 * interruption info) in `state`. Devices: 16550 serial (COM1), CMOS, PCI configuration, the no-op port device, the
 * LAPIC, IOAPIC and HPET behind EPT violations, plus user-registered port and EPT handlers. */
import type { GuestMemory } from '../guest';
import type { VcpuBackend } from './backend';
import { Cmos } from './cmos';
import * as C from './constants';

// plain local copies: the exit path reads them per exit (imported bindings can be getters after transpilation)
const {
  CR_ACCESS_TYPE, ENTRY_CTL, EXIT, EXIT_CTL_DEFAULT, EXIT_CTL_WITH_TIMER, HPET_GPA, INJECT_GP0, IOAPIC_GPA, IRQ_VALID, LAPIC_GPA,
  MAX_EPT_HANDLERS, MMIO_PAGE, PIN_PREEMPTION_TIMER, PPC_DEFAULT, PPC_WAIT_IRQ_WINDOW, PREEMPTION_TIMER_RATE, XCR0_FEATURE_SET,
} = C;
const VMCS = { ...C.VMCS };
import { emulateCpuid, type CpuidResult } from './cpuid';
import { Hpet } from './hpet';
import { Ioapic } from './ioapic';
import { Lapic, type InjectionPort } from './lapic';
import { emulateMmio, instructionAt, type MmioContext, type MmioDevice } from './mmio';
import { MsrState } from './msr';
import { FAIL as FAIL_OUTCOME, VmmFailure, WAIT as WAIT_OUTCOME } from './outcome';
const FAIL = FAIL_OUTCOME, WAIT = WAIT_OUTCOME;
import { gvaToGpa, type PagingMode } from './pagewalk';
import { hexAddress } from './address';
import { PciConfig } from './pci';
import { allOnes, PioBus, type PioDevice } from './pio';
import { decodeQualification, ExitRing, exitName, OUTCOME, type VmExitRecord } from './record';
import { Serial16550 } from './serial';
import { ExitState } from './state';
import { GuestTimers } from './timers';

const TWO32 = 0x1_0000_0000;
const CR0_NE = 0x20, CR0_PG = 0x80000000, EFER_LME = 0x100, EFER_LMA = 0x400, CR4_OSXSAVE = 1 << 18;
const RFLAGS_IF = 0x200, RFLAGS_DF = 0x400;
const NUM_REASONS = 80;

export interface VmmOptions {
  backend: VcpuBackend;
  /** the VMM's view of guest RAM (what it has mapped itself) */
  ram: GuestMemory;
  /** name used in log lines (the VMM PD's name) */
  name?: string;
  /** serial output, flushed per line */
  onOutput?: (text: string) => void;
  /** VMM log lines (errors) */
  onLog?: (text: string) => void;
  /** register the PCI configuration ports (libvmm does when a PCI aperture is configured) */
  pci?: boolean;
}

export class Vmm implements MmioContext, InjectionPort {
  readonly backend: VcpuBackend;
  readonly state: ExitState;
  ram: GuestMemory;
  readonly name: string;
  /** exits by basic reason (index NUM_REASONS - 1 collects reasons beyond the table) */
  readonly counts = new Uint32Array(NUM_REASONS);
  exits = 0;
  readonly last = new ExitRing();
  readonly timers = new GuestTimers();
  readonly lapic: Lapic;
  readonly ioapic: Ioapic;
  readonly hpet: Hpet;
  readonly pio = new PioBus();
  readonly msrs: MsrState;
  readonly serial: Serial16550;
  readonly eptHandlers: MmioDevice[] = [];
  private readonly fixedDevices: MmioDevice[];
  /** set when the VCPU was stopped (unhandled exit, triple fault, failed handler) */
  failure: VmmFailure | null = null;
  /** record every exit (VmExitRecord) */
  tracing = false;
  readonly trace: VmExitRecord[] = [];
  onTrace: ((r: VmExitRecord) => void) | null = null;
  /** the guest is halted and the VCPU waits for an interrupt (handleExit returned false without a failure) */
  waiting = false;
  /** called when an interrupt is armed for a waiting guest (the PD glue turns the VCPU back on) */
  onWake: (() => void) | null = null;
  /** true while handling an exit: injection edits the cached state instead of the VMCS */
  private inFault = false;
  private note = '';
  private consoleBytes = new Uint8Array(4096);
  private consoleLen = 0;
  private line = '';
  private readonly onOutput: ((text: string) => void) | null;
  private readonly onLog: (text: string) => void;
  private readonly cpuidOut: CpuidResult = { eax: 0, ebx: 0, ecx: 0, edx: 0, known: true };

  constructor(opts: VmmOptions) {
    this.backend = opts.backend;
    this.ram = opts.ram;
    this.name = opts.name ?? 'vmm';
    this.onOutput = opts.onOutput ?? null;
    this.onLog = opts.onLog ?? (() => {});
    this.state = new ExitState(this.backend);
    const tsc = (): number => this.backend.tsc();
    this.lapic = new Lapic(this, this.timers, tsc);
    this.ioapic = new Ioapic(this.lapic);
    this.hpet = new Hpet(this.ioapic, this.timers, tsc);
    this.msrs = new MsrState(this.backend);
    this.serial = new Serial16550((b) => this.consolePut(b));
    this.pio.register(this.serial);
    this.pio.register(new Cmos(tsc));
    if (opts.pci !== false) this.pio.register(new PciConfig());
    const dev = (name: string, gpa: number, d: { read(o: number, s: number): number | null; write(o: number, s: number, v: number): boolean; error: string }): MmioDevice => ({
      name, gpa, size: MMIO_PAGE, read: (o, s) => d.read(o, s), write: (o, s, v) => d.write(o, s, v), get error() { return d.error; },
    });
    this.fixedDevices = [dev('IOAPIC', IOAPIC_GPA, this.ioapic), dev('HPET', HPET_GPA, this.hpet), dev('LAPIC', LAPIC_GPA, this.lapic)];
  }

  // ------------------------------------------------------------------ registration (libvmm API)

  /** fault_register_pio_exception_handler */
  registerPio(d: PioDevice): void {
    this.pio.register(d);
  }

  /** fault_register_ept_exception_handler */
  registerMmio(d: MmioDevice): void {
    if (this.eptHandlers.length >= MAX_EPT_HANDLERS) throw new Error(`cannot register EPT handler '${d.name}': the table is full (${MAX_EPT_HANDLERS} handlers)`);
    this.eptHandlers.push(d);
  }

  findDevice(gpa: number): MmioDevice | null {
    for (const d of this.fixedDevices) if (gpa >= d.gpa && gpa < d.gpa + d.size) return d;
    for (const d of this.eptHandlers) if (gpa >= d.gpa && gpa < d.gpa + d.size) return d;
    return null;
  }

  // ------------------------------------------------------------------ console

  private consolePut(b: number): void {
    if (this.consoleLen === this.consoleBytes.length) {
      const bigger = new Uint8Array(this.consoleBytes.length * 2);
      bigger.set(this.consoleBytes);
      this.consoleBytes = bigger;
    }
    this.consoleBytes[this.consoleLen++] = b;
    if (this.onOutput) {
      this.line += String.fromCharCode(b);
      if (b === 10) this.flush();
    }
  }

  /** Hand a partial line to onOutput. */
  flush(): void {
    if (this.onOutput && this.line) {
      const l = this.line;
      this.line = '';
      this.onOutput(l);
    }
  }

  /** Everything the guest wrote to its serial port. */
  get console(): string {
    return new TextDecoder().decode(this.consoleBytes.subarray(0, this.consoleLen));
  }

  // ------------------------------------------------------------------ injection port (used by the LAPIC)

  interruptible(): boolean {
    if (this.inFault) return (this.state.rflags & RFLAGS_IF) !== 0 && (this.state.interruptibility & 3) === 0;
    return (this.backend.readVmcs(VMCS.GUEST_RFLAGS) & RFLAGS_IF) !== 0 && (this.backend.readVmcs(VMCS.GUEST_INTERRUPTIBILITY) & 3) === 0;
  }

  injectionPending(): boolean {
    const info = this.inFault ? this.state.entryIrq : this.backend.readVmcs(VMCS.ENTRY_INTERRUPTION_INFO);
    return (info & IRQ_VALID) !== 0;
  }

  inject(vector: number): void {
    const info = (vector | IRQ_VALID) >>> 0;
    if (this.waiting) {
      this.waiting = false;
      this.onWake?.();
    }
    if (this.inFault) {
      this.state.entryIrq = info;
      this.state.ppc = PPC_DEFAULT;
    } else {
      this.backend.writeVmcs(VMCS.ENTRY_INTERRUPTION_INFO, info);
      this.backend.writeVmcs(VMCS.PRIMARY_PROCESSOR_CONTROLS, PPC_DEFAULT);
    }
  }

  setWindow(on: boolean): void {
    const ppc = on ? PPC_WAIT_IRQ_WINDOW : PPC_DEFAULT;
    if (this.inFault) this.state.ppc = ppc;
    else this.backend.writeVmcs(VMCS.PRIMARY_PROCESSOR_CONTROLS, ppc);
  }

  /** virq_inject: pulse an IOAPIC pin (from `notified`, or a device model). */
  injectIrq(pin: number): boolean {
    return this.ioapic.pulse(pin);
  }

  /** virq_set_level */
  setIrqLevel(pin: number, level: boolean): void {
    if (level) this.ioapic.assert(pin);
    else this.ioapic.deassert(pin);
  }

  // ------------------------------------------------------------------ guest mode helpers

  paging(): PagingMode {
    const b = this.backend;
    return { cr0: b.readVmcs(VMCS.GUEST_CR0), cr3: this.inFault ? this.state.cr3 : b.readVmcs(VMCS.GUEST_CR3), cr4: b.readVmcs(VMCS.GUEST_CR4), efer: b.readVmcs(VMCS.GUEST_EFER) };
  }

  bitness(): 16 | 32 | 64 {
    const b = this.backend;
    const ar = b.readVmcs(VMCS.GUEST_CS_ACCESS_RIGHTS);
    const long = (b.readVmcs(VMCS.ENTRY_CONTROLS) & ENTRY_CTL.IA32E_MODE_GUEST) !== 0 || (b.readVmcs(VMCS.GUEST_EFER) & EFER_LMA) !== 0;
    if (long && ar & (1 << 13)) return 64;
    if (!(b.readVmcs(VMCS.GUEST_CR0) & 1)) return 16;
    return ar & (1 << 14) ? 32 : 16;
  }

  /** guest-virtual → guest-physical through the guest's page tables (-1 if unmapped) */
  gvaToGpa(gva: number): number {
    return gvaToGpa(this.ram, this.paging(), gva);
  }

  fail(msg: string): number {
    this.note = msg;
    return FAIL;
  }

  private log(msg: string): void {
    this.onLog(`${this.name}|ERROR: ${msg}\n`);
  }

  // ------------------------------------------------------------------ the exit path

  /** Handle the exit cached in `state` (filled by the runner). True: resume the guest with `state`'s RIP, controls,
   * interruption info and (if dirty) registers and RFLAGS. False: the VCPU stops (`failure` says why). */
  handleExit(): boolean {
    const st = this.state;
    const reason = st.reason;
    this.exits++;
    this.counts[reason < NUM_REASONS ? reason : NUM_REASONS - 1]++;
    this.last.push(reason, st.qualification, st.guestPhysical, st.rip, OUTCOME.RESUMED);
    const rip = st.rip;
    this.note = '';
    this.inFault = true;
    let adv: number;
    try {
      adv = this.dispatch(reason);
    } catch (e) {
      // a bug here or in a device the VMM registered: the VCPU stops with the reason, never an exception to the PD
      adv = this.fail(`error while handling ${exitName(reason)} at RIP 0x${hexAddress(rip)}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.inFault = false;
    }
    if (this.timers.dirty) this.armPreemptionTimer();
    if (this.tracing) this.record(reason, rip, adv);
    if (adv === WAIT) {
      this.last.setOutcome(OUTCOME.WAITING);
      this.waiting = true;
      st.rip = rip + st.instructionLength;
      return false;
    }
    if (adv === FAIL) {
      this.last.setOutcome(OUTCOME.STOPPED);
      const msg = this.note || `unhandled VM exit: ${exitName(reason)} (reason ${reason & 0xffff}) at RIP 0x${hexAddress(rip)}`;
      this.failure = new VmmFailure(reason, rip, msg);
      this.flush();
      this.log(msg);
      return false;
    }
    if (st.entryIrq === INJECT_GP0 && adv === 0 && this.note === 'inject #GP(0)') this.last.setOutcome(OUTCOME.INJECTED_GP);
    st.rip = rip + adv;
    return true;
  }

  private record(reason: number, rip: number, adv: number): void {
    const st = this.state;
    const r: VmExitRecord = {
      seq: this.exits, reason, name: exitName(reason), qualification: st.qualification, decoded: decodeQualification(reason, st.qualification),
      guestPhysical: st.guestPhysical, rip, outcome: adv === FAIL ? `VCPU stopped: ${this.note || 'unhandled exit'}` : this.note || (adv > 0 ? `resumed at RIP+${adv}` : 'resumed'),
    };
    this.trace.push(r);
    this.onTrace?.(r);
  }

  private dispatch(reason: number): number {
    const st = this.state;
    switch (reason) {
      case EXIT.CPUID: return this.cpuid();
      case EXIT.RDMSR: return this.rdmsr();
      case EXIT.WRMSR: return this.wrmsr();
      case EXIT.EPT_VIOLATION: return this.ept();
      case EXIT.IO: return this.io();
      case EXIT.XSETBV:
        if (st.get32(1) === 0 && st.get32(0) === XCR0_FEATURE_SET && st.get32(2) === 0) return st.instructionLength;
        return this.injectGp();
      case EXIT.PREEMPTION_TIMER: return this.preemptionTimer();
      case EXIT.CR_ACCESS: return this.crAccess();
      case EXIT.INTERRUPT_WINDOW:
        this.lapic.maintenance();
        if (this.tracing) this.note = st.entryIrq & IRQ_VALID ? `injected vector ${st.entryIrq & 0xff}` : 'nothing to inject';
        return 0;
      case EXIT.HLT: return this.hlt();
      case EXIT.TRIPLE_FAULT:
        return this.fail(`guest triple fault at RIP 0x${hexAddress(st.rip)}${this.unimplementedNote(st.rip)}`);
    }
    if (reason === 33 || reason === 34 || reason === 41 || reason === 0xffff) {
      return this.fail(`VM entry failed: ${exitName(reason)} (RIP 0x${hexAddress(st.rip)})`);
    }
    return this.fail(`unhandled VM exit: ${exitName(reason)} (reason ${reason & 0xffff}) at RIP 0x${hexAddress(st.rip)}`);
  }

  /** When the instruction at `rip` is one the CPU model does not implement (its #UD started the shutdown), say so. */
  private unimplementedNote(rip: number): string {
    const { bytes, ins } = instructionAt(this, rip);
    if (ins || bytes.length === 0) return '';
    const shown = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    return `: the instruction there (${shown}) is not implemented by the simulated CPU, so it raised #UD`;
  }

  /** HLT (our controls enable HLT exiting): the guest waits in the HLT activity state. With a timer armed or an
   * interrupt on its way the guest is resumed (the CPU model sleeps until the preemption timer); with nothing that
   * could wake it, the VCPU waits until the VMM injects an interrupt. */
  private hlt(): number {
    this.backend.writeVmcs(VMCS.GUEST_ACTIVITY_STATE, 1);
    if (this.timers.soonest() >= 0 || this.state.entryIrq & IRQ_VALID) {
      if (this.tracing) this.note = 'guest sleeps until its next timer';
      return this.state.instructionLength;
    }
    if (this.tracing) this.note = 'guest idle: VCPU waits for an interrupt';
    return WAIT;
  }

  private injectGp(): number {
    this.state.entryIrq = INJECT_GP0;
    this.backend.writeVmcs(VMCS.ENTRY_EXCEPTION_ERROR_CODE, 0);
    this.note = 'inject #GP(0)';
    return 0;
  }

  private cpuid(): number {
    const st = this.state;
    const o = this.cpuidOut;
    const b = this.backend;
    const longMode = (b.readVmcs(VMCS.GUEST_EFER) & EFER_LMA) !== 0;
    emulateCpuid(st.get32(0), st.get32(1), (b.readVmcs(VMCS.GUEST_CR4) & CR4_OSXSAVE) !== 0, longMode, o);
    if (!o.known) this.log(`CPUID leaf 0x${st.get32(0).toString(16)} is not emulated, returning zeros`);
    st.set64(0, o.eax, 0);
    st.set64(3, o.ebx, 0);
    st.set64(1, o.ecx, 0);
    st.set64(2, o.edx, 0);
    return st.instructionLength;
  }

  private rdmsr(): number {
    const st = this.state;
    const msr = st.get32(1);
    const v = this.msrs.read(msr);
    if (v === null) {
      this.log(`RDMSR of unknown MSR 0x${msr.toString(16)}, injecting #GP(0)`);
      return this.injectGp();
    }
    const [lo, hi] = MsrState.parts(v);
    st.set64(0, lo, 0);
    st.set64(2, hi, 0);
    return st.instructionLength;
  }

  private wrmsr(): number {
    const st = this.state;
    const msr = st.get32(1);
    if (!this.msrs.write(msr, st.get32(0), st.get32(2))) {
      this.log(`WRMSR of MSR 0x${msr.toString(16)} refused, injecting #GP(0)`);
      return this.injectGp();
    }
    return st.instructionLength;
  }

  private ept(): number {
    const st = this.state;
    if (st.qualification & 4) return this.fail(`guest fetched an instruction from unmapped guest-physical address 0x${st.guestPhysical.toString(16)}`);
    return emulateMmio(this, st.guestPhysical);
  }

  private io(): number {
    const st = this.state;
    const q = st.qualification;
    const size = (q & 7) + 1;
    const isIn = (q & 8) !== 0;
    const port = (q >>> 16) & 0xffff;
    const dev = this.pio.find(port);
    if (q & 16) return this.stringIo(dev, port, size, isIn, (q & 32) !== 0);
    if (isIn) {
      const v = dev ? dev.read(port, size) : allOnes(size);
      if (v === null) return this.fail(`${dev!.name}: read of port 0x${port.toString(16)} failed`);
      // byte and word IN keep the upper bits of RAX, a dword IN zero-extends
      st.setSized(0, size, v);
      if (this.tracing) this.note = `in 0x${port.toString(16)} -> 0x${(v >>> 0).toString(16)}${dev ? ` (${dev.name})` : ' (no device: all ones)'}`;
    } else {
      const v = st.get32(0) & (size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff);
      if (dev && !dev.write(port, size, v)) return this.fail(`${dev.name}: write of 0x${v.toString(16)} to port 0x${port.toString(16)} failed`);
      if (this.tracing) this.note = `out 0x${port.toString(16)} <- 0x${(v >>> 0).toString(16)}${dev ? ` (${dev.name})` : ' (no device: dropped)'}`;
    }
    return st.instructionLength;
  }

  private stringIo(dev: PioDevice | null, port: number, size: number, isIn: boolean, rep: boolean): number {
    const st = this.state;
    const count = rep ? st.get32(1) : 1;
    const dir = st.rflags & RFLAGS_DF ? -size : size;
    const reg = isIn ? 7 : 6; // INS writes at RDI, OUTS reads at RSI
    let addr = st.get64(reg);
    const paging = this.paging();
    for (let i = 0; i < count; i++) {
      const gpa = gvaToGpa(this.ram, paging, addr);
      if (gpa < 0 || !this.ram.checkRange(gpa, size)) return this.fail(`${isIn ? 'INS' : 'OUTS'}: guest address 0x${hexAddress(addr)} is not mapped`);
      if (isIn) {
        const v = dev ? dev.read(port, size) : allOnes(size);
        if (v === null) return this.fail(`${dev!.name}: read of port 0x${port.toString(16)} failed`);
        this.ram.writeUint(gpa, size as 1 | 2 | 4, v);
      } else {
        const v = this.ram.readUint(gpa, size as 1 | 2 | 4);
        if (dev && !dev.write(port, size, v)) return this.fail(`${dev.name}: write to port 0x${port.toString(16)} failed`);
      }
      addr += dir;
    }
    st.set64(reg, (addr % TWO32 + TWO32) % TWO32, Math.floor(addr / TWO32) >>> 0);
    if (rep) st.set64(1, 0, 0);
    return st.instructionLength;
  }

  private crAccess(): number {
    const st = this.state;
    const b = this.backend;
    const q = st.qualification;
    const cr = q & 0xf;
    const type = (q >> 4) & 3;
    const reg = (q >> 8) & 0xf;
    if (type === CR_ACCESS_TYPE.MOV_TO_CR && cr === 0) {
      const v = st.get32(reg);
      b.writeVmcs(VMCS.GUEST_CR0, (v | CR0_NE) >>> 0);
      b.writeVmcs(VMCS.CR0_READ_SHADOW, v);
      let efer = b.readVmcs(VMCS.GUEST_EFER);
      let entry = b.readVmcs(VMCS.ENTRY_CONTROLS);
      if (!(v & CR0_PG) && efer & EFER_LMA) {
        efer &= ~EFER_LMA;
        entry &= ~ENTRY_CTL.IA32E_MODE_GUEST;
      } else if (v & CR0_PG && efer & EFER_LME) {
        efer |= EFER_LMA;
        entry |= ENTRY_CTL.IA32E_MODE_GUEST;
      }
      b.writeVmcs(VMCS.GUEST_EFER, efer);
      b.writeVmcs(VMCS.ENTRY_CONTROLS, entry);
      return st.instructionLength;
    }
    // CR3 exits only when a kernel forces CR3 load/store exiting (libvmm relies on EPT making them not exit)
    if (cr === 3 && type === CR_ACCESS_TYPE.MOV_TO_CR) {
      b.writeVmcs(VMCS.GUEST_CR3, st.get64(reg));
      return st.instructionLength;
    }
    if (cr === 3 && type === CR_ACCESS_TYPE.MOV_FROM_CR) {
      const v = b.readVmcs(VMCS.GUEST_CR3);
      st.set64(reg, v % TWO32, Math.floor(v / TWO32));
      return st.instructionLength;
    }
    if (cr === 8 && type === CR_ACCESS_TYPE.MOV_TO_CR) {
      this.lapic.setTpr((st.get32(reg) & 0xf) << 4);
      return st.instructionLength;
    }
    if (cr === 8 && type === CR_ACCESS_TYPE.MOV_FROM_CR) {
      st.set64(reg, this.lapic.tpr >> 4, 0);
      return st.instructionLength;
    }
    const what = type === CR_ACCESS_TYPE.CLTS ? 'CLTS' : type === CR_ACCESS_TYPE.LMSW ? 'LMSW' : `MOV ${type === 0 ? 'to' : 'from'} CR${cr}`;
    return this.fail(`unhandled control-register access: ${what} at RIP 0x${hexAddress(st.rip)}`);
  }

  private preemptionTimer(): number {
    const b = this.backend;
    b.writeVmcs(VMCS.PIN_BASED_CONTROLS, 0);
    b.writeVmcs(VMCS.EXIT_CONTROLS, EXIT_CTL_DEFAULT);
    this.timers.expire(b.tsc());
    this.timers.dirty = true;
    if (this.tracing) this.note = this.state.entryIrq & IRQ_VALID ? `timer: injected vector ${this.state.entryIrq & 0xff}` : 'timer callbacks ran';
    return 0;
  }

  /** Program the VMX-preemption timer for the soonest virtual timeout (or turn it off). */
  armPreemptionTimer(): void {
    const b = this.backend;
    this.timers.dirty = false;
    const d = this.timers.soonest();
    if (d < 0) {
      b.writeVmcs(VMCS.PIN_BASED_CONTROLS, 0);
      b.writeVmcs(VMCS.EXIT_CONTROLS, EXIT_CTL_DEFAULT);
      return;
    }
    const delta = Math.max(0, d - b.tsc());
    // rounded up (+1 for the partial first tick) so the exit never comes before the deadline
    const value = delta === 0 ? 0 : Math.min(0xffffffff, Math.ceil(delta / 2 ** PREEMPTION_TIMER_RATE) + 1);
    b.writeVmcs(VMCS.PREEMPTION_TIMER_VALUE, value);
    b.writeVmcs(VMCS.PIN_BASED_CONTROLS, PIN_PREEMPTION_TIMER);
    b.writeVmcs(VMCS.EXIT_CONTROLS, EXIT_CTL_WITH_TIMER);
  }

  /** Exit counts by reason name (only reasons seen). */
  exitCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let r = 0; r < NUM_REASONS; r++) if (this.counts[r]) out[r === NUM_REASONS - 1 ? 'other' : exitName(r)] = this.counts[r];
    return out;
  }
}

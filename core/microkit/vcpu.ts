/** Glue between the Microkit runtime and x86 guests (owned by the VM work, kept apart from the rest of the runtime):
 * - installs core/vmm's X86GuestRunner as the kernel's guest runner and backs the VMs' frames in shared memory;
 * - runs a thread that is in guest mode (RunningVM) for one slice;
 * - `mk.vmm`: the VMM library (core/vmm) for a VMM PD's program, the way a C VMM links libvmm.
 * The VMM library reads and writes the VMCS of its own VCPU synchronously on the kernel object (libmicrokit's
 * cached RIP / controls / interruption info stay in the PD's local state); register write-back after an exit is the
 * one WriteRegisters invocation libvmm makes. */
import { buildGdt, buildIdentityPageTables, signed64, startLongMode, startProtectedMode, startRealMode, Vmm, vmReport, X86GuestRunner, type VcpuBackend, type VmReport } from '../vmm';
import { GuestMemory, GuestRegion, RWX } from '../guest';
import { assemble, readMsr, writeMsr } from '../x86';
import { Label, runGuest, SEL4_VMENTER_NUM_FAULT_MSGS, VMCS_FIXED_ONE, type Kernel, type TcbObj, type VcpuObj } from '../kernel';
import { BASE_VCPU_CAP } from './constants';
import { translate } from './memory';
import type { PdEnv } from './pdEnv';
import type { SystemState } from './systemState';

const GUEST_RIP = 0x681e, PRIMARY = 0x4002, ENTRY_IRQ = 0x4016, GUEST_RFLAGS = 0x6820;
/** slice marker for guest execution (no syscall cost) */
export const GUEST_SLICE = -7;

interface GuestSupport {
  runner: X86GuestRunner;
  files: Record<string, string>;
  dir: string;
  /** every VM of the system: its name, its VMM PD, its VCPU object, the VMM library instance once created */
  vms: { name: string; pd: string; vcpu: VcpuObj | null; vmm: Vmm | null }[];
  tracing: boolean;
  /** guest images the VMMs loaded: workspace path, the assembler's origin and where it was put (guest-physical) */
  images: GuestImage[];
}

export interface GuestImage {
  vm: string;
  file: string;
  origin: number;
  gpa: number;
}

const support = new WeakMap<Kernel, GuestSupport>();

export interface GuestSupportOptions {
  /** workspace files (guest images are assembled from them) and the system file's path */
  files?: Record<string, string>;
  systemPath?: string;
  /** record every VM exit (CLI --trace) */
  trace?: boolean;
}

/** Install x86 guest execution for a system with virtual machines (no-op otherwise). */
export function installGuestSupport(state: SystemState, opts: GuestSupportOptions = {}): void {
  if (!state.pds.some((p) => p.pd.virtualMachine)) return;
  const k = state.kernel;
  const runner = new X86GuestRunner(state.memory);
  runner.tracing = opts.trace ?? false;
  k.guestRunner = runner;
  // back every VM's frames now, before any PD touches them
  for (const o of k.objects) {
    const v = o as VcpuObj | undefined;
    if (v && v.alive && 'ioAllowed' in v && v.tcb >= 0) runner.prepare(v, k.tcb(v.tcb), k);
  }
  const sys = opts.systemPath ?? '';
  const vms = state.pds.filter((p) => p.pd.virtualMachine).map((p) => {
    const v = p.tcb.vcpu >= 0 ? (k.objects[p.tcb.vcpu] as VcpuObj) : null;
    return { name: p.pd.virtualMachine!.name, pd: p.pd.name, vcpu: v, vmm: null };
  });
  support.set(k, { runner, files: opts.files ?? {}, dir: sys.includes('/') ? sys.slice(0, sys.lastIndexOf('/') + 1) : '', vms, tracing: opts.trace ?? false, images: [] });
}

/** One slice of a thread in guest mode: the guest runs until it exits (delivered as the VMEnter result) or its
 * budget ends. Returns the guest instructions executed. */
export function runVcpuSlice(k: Kernel, t: TcbObj): number {
  const s = support.get(k);
  runGuest(k, t);
  return s ? s.runner.lastInstructions : 0;
}

/** Cost-table ticks for the guest instructions of the last guest run (COSTS.perTick is 2 ns: ~1 ns per guest
 * instruction, a 1 GHz guest). */
export function lastGuestTicks(k: Kernel): number {
  const s = support.get(k);
  return s ? Math.ceil(s.runner.lastInstructions / 2) : 0;
}

/** Every VM's report (serial output, exit counts, last exits), by VM name. */
/** The guest images loaded so far (source lines → guest addresses: the assembler's line map moved by gpa − origin). */
export function guestImages(k: Kernel): readonly GuestImage[] {
  return support.get(k)?.images ?? [];
}

export function vmReports(k: Kernel): VmReport[] {
  const s = support.get(k);
  if (!s) return [];
  return s.vms.map((vm) => vmReport(vm.name, vm.pd, vm.vcpu ? s.runner.exitView(vm.vcpu) : null, vm.vmm, s.tracing));
}

/** The VCPU backend of a VMM PD: VMCS and registers of its kernel VCPU object, libmicrokit's cached fields. */
class PdBackend implements VcpuBackend {
  constructor(private readonly env: PdEnv, private readonly v: VcpuObj, private readonly runner: X86GuestRunner) {}

  readVmcs(field: number): number {
    const c = this.env.vcpu;
    // the signed view (kernel-half addresses exact), as core/x86 and core/vmm hold them
    if (field === GUEST_RIP) return signed64(c.rip);
    if (field === PRIMARY) return Number(c.ppc);
    if (field === ENTRY_IRQ) return Number(c.irq);
    return signed64(this.v.vmcs.get(field) ?? 0n);
  }

  writeVmcs(field: number, value: number): number {
    const b = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    const c = this.env.vcpu;
    if (field === GUEST_RIP) c.rip = b;
    else if (field === PRIMARY) c.ppc = b;
    else if (field === ENTRY_IRQ) c.irq = b;
    else {
      const w = b | (VMCS_FIXED_ONE.get(field) ?? 0n);
      this.v.vmcs.set(field, w);
      return Number(w);
    }
    return value;
  }

  readMsr(msr: number): number {
    const x = this.runner.vcpuFor(this.v);
    if (!x) return 0;
    const [lo, hi] = readMsr(x.cpu, msr);
    return (hi >>> 0) * 0x1_0000_0000 + (lo >>> 0);
  }

  writeMsr(msr: number, value: number): void {
    const x = this.runner.vcpuFor(this.v);
    if (x) writeMsr(x.cpu, msr, value % 0x1_0000_0000, Math.floor(value / 0x1_0000_0000));
  }

  tsc(): number {
    return this.runner.vcpuFor(this.v)?.cpu.icount ?? 0;
  }
}

export interface VmConfig {
  /** VCPU id (default 0) */
  vcpu?: number;
  /** guest RAM as the VMM sees it: guest-physical windows and where the VMM mapped them */
  ram: { gpa: number; size: number; vaddr: number | bigint }[];
  /** name of the VM (default: the PD's virtual_machine name) */
  name?: string;
}

/** The VM handle a VMM program gets from `mk.vmm.create`. */
export interface PdVm {
  vmm: Vmm;
  ram: GuestMemory;
  loadImage(path: string, gpa?: number): { origin: number; size: number };
  startLongMode(opts: { rip: number; rsp?: number }): void;
  startProtectedMode(opts: { rip: number; rsp?: number }): void;
  /** real mode with unrestricted guest (libvmm's reset-state start, at CS:IP instead of F000:FFF0) */
  startRealMode(opts: { ip: number; cs?: number; sp?: number }): void;
  handleFault(): Promise<boolean>;
  injectIrq(pin: number): boolean;
  readonly console: string;
}

/** `mk.vmm` for one PD. */
export function createVmmApi(env: PdEnv): { create(cfg: VmConfig): PdVm } {
  return {
    create(cfg: VmConfig): PdVm {
      const k = env.sys.kernel;
      const s = support.get(k);
      const vmDesc = env.pd.pd.virtualMachine;
      if (!s || !vmDesc) throw new Error(`mk.vmm: protection domain '${env.pd.pd.name}' has no virtual machine`);
      const vcpuId = cfg.vcpu ?? 0;
      const cap = k.slots.caps[env.pd.cspaceBase + BASE_VCPU_CAP + vcpuId];
      if (!cap) throw new Error(`mk.vmm: no VCPU ${vcpuId} in protection domain '${env.pd.pd.name}'`);
      const v = k.objects[cap.obj] as VcpuObj;
      const ram = new GuestMemory(cfg.ram.map((w) => viewOf(env, w.gpa, w.size, BigInt(w.vaddr))));
      const name = cfg.name ?? vmDesc.name;
      const vmm = new Vmm({
        backend: new PdBackend(env, v, s.runner), ram, name: env.pd.pd.name,
        onOutput: (text) => env.trace({ kind: 'output', pd: name, text }),
        onLog: (text) => env.output(text),
      });
      vmm.tracing = s.tracing;
      vmm.onWake = () => { env.vcpu.on = true; };
      const entry = s.vms.find((e) => e.pd === env.pd.pd.name);
      if (entry) entry.vmm = vmm;
      const t = env.ctx.tcb;
      const st = vmm.state;
      /** guest-physical ranges the images were loaded to: the VMM's page tables must not land on them */
      const loaded: [number, number][] = [];
      const pdVm: PdVm = {
        vmm,
        ram,
        get console() { return vmm.console; },
        loadImage(path: string, gpa?: number) {
          const file = s.files[s.dir + path] ?? s.files[path];
          const filePath = s.files[s.dir + path] !== undefined ? s.dir + path : path;
          if (file === undefined) throw new Error(`mk.vmm: cannot read guest image '${path}'`);
          const r = assemble(file, { fileName: path });
          if (r.errors.length) {
            const e = r.errors[0];
            throw new Error(`${path}:${e.line}:${e.column}: ${e.message}`);
          }
          const at = gpa ?? r.origin;
          if (!ram.checkRange(at, Math.max(1, r.bytes.length))) {
            const end = cfg.ram.map((w) => `0x${w.gpa.toString(16)}..0x${(w.gpa + w.size).toString(16)}`).join(', ');
            throw new Error(`mk.vmm: guest image '${path}' (${r.bytes.length} bytes at 0x${at.toString(16)}) does not fit in guest RAM (${end})`);
          }
          ram.write(at, r.bytes);
          loaded.push([at, r.bytes.length]);
          s.images.push({ vm: entry?.name ?? name, file: filePath, origin: r.origin, gpa: at });
          return { origin: at, size: r.bytes.length };
        },
        startLongMode(o) {
          const b = vmm.backend;
          const cr3 = buildIdentityPageTables(ram, pageTablesAt(ram.size, loaded));
          const gdt = buildGdt(ram, cr3 + 0x6000);
          startLongMode(b, { rip: o.rip, cr3, rsp: o.rsp ?? 0x80000, gdtBase: gdt });
        },
        startProtectedMode(o) {
          startProtectedMode(vmm.backend, { rip: o.rip, rsp: o.rsp ?? 0x80000 });
        },
        startRealMode(o) {
          startRealMode(vmm.backend, o);
        },
        async handleFault(): Promise<boolean> {
          // vcpu_cache_exit_state: the 25 fault MRs (64-bit guests: R8..R15 included)
          st.loadFromMrs((i) => t.buf[1 + i], SEL4_VMENTER_NUM_FAULT_MSGS);
          const ok = vmm.handleExit();
          // vcpu_exit_prepare_resume: one WriteRegisters, then the cached RIP / controls / interruption info
          if (st.regsDirty) {
            const regs = st.context();
            await env.invoke(BASE_VCPU_CAP + vcpuId, Label.X86VCPUWriteRegisters, regs, [], 'mk.vcpu_x86_write_regs');
          }
          if (st.rflagsDirty) v.vmcs.set(GUEST_RFLAGS, BigInt(st.rflags));
          env.vcpu.rip = BigInt.asUintN(64, BigInt(st.rip));
          env.vcpu.ppc = BigInt(st.ppc);
          env.vcpu.irq = BigInt(st.entryIrq);
          return ok;
        },
        injectIrq(pin: number): boolean {
          return vmm.injectIrq(pin);
        },
      };
      return pdVm;
    },
  };
}

/** Where startLongMode puts its page tables and GDT (7 pages): 1 MiB (or 64 KiB in a small VM) as before, unless a
 * loaded image is there (a kernel linked at 1 MiB would be overwritten and triple-fault), then the top of guest RAM. */
const TABLES_SIZE = 0x7000;
function pageTablesAt(ramSize: number, loaded: [number, number][]): number {
  const free = (at: number): boolean => at >= 0 && at + TABLES_SIZE <= ramSize && loaded.every(([g, n]) => g + n <= at || at + TABLES_SIZE <= g);
  const candidates = [0x100000 < ramSize ? 0x100000 : 0x10000, Math.floor((ramSize - TABLES_SIZE) / 0x1000) * 0x1000];
  const at = candidates.find(free);
  if (at === undefined) throw new Error('mk.vmm: no room for the page tables startLongMode builds (7 pages) that the guest image does not use');
  return at;
}

/** The bytes behind [vaddr, vaddr + size) of the PD's VSpace, as a guest region at `gpa`: the frames must be guest
 * frames (shared with the CPU model), physically contiguous. */
function viewOf(env: PdEnv, gpa: number, size: number, vaddr: bigint): GuestRegion {
  const k = env.sys.kernel;
  const root = env.pd.vspace.id;
  const first = translate(k, root, vaddr);
  if (!first) throw new Error(`mk.vmm: guest RAM at 0x${vaddr.toString(16)} is not mapped in '${env.pd.pd.name}'`);
  const page0 = env.sys.memory.page(first.paddr & ~0xfffn);
  const base = page0.byteOffset + Number(first.paddr & 0xfffn);
  for (let off = 0x1000; off < size; off += 0x1000) {
    const tr = translate(k, root, vaddr + BigInt(off));
    if (!tr) throw new Error(`mk.vmm: guest RAM at 0x${(vaddr + BigInt(off)).toString(16)} is not mapped in '${env.pd.pd.name}'`);
    const p = env.sys.memory.page(tr.paddr & ~0xfffn);
    if (!p || p.buffer !== page0.buffer || p.byteOffset !== page0.byteOffset + off) {
      throw new Error(`mk.vmm: the VMM's mapping at 0x${(vaddr + BigInt(off)).toString(16)} is not guest RAM of its VM`);
    }
  }
  const perms = { ...RWX, execute: false };
  void first.writable;
  return new GuestRegion(gpa, new Uint8Array(page0.buffer, base, size), perms, `guest RAM @0x${gpa.toString(16)}`);
}

/** CLI `run`: one summary line per VM (exits by reason, state, error). */
export function vmSummaryLines(k: Kernel): string[] {
  return vmReports(k).map((r) => {
    const counts = Object.entries(r.exitCounts).map(([n, c]) => `${n} ${c}`).join(', ');
    return `--- vm ${r.name} (VMM ${r.vmm}): ${r.exits} exits${counts ? ` (${counts})` : ''}, ${r.state}${r.error ? `: ${r.error}` : ''}\n`;
  });
}

/** CLI `run --trace`: one JSON line per recorded VM exit (reason, decoded qualification, GPA, RIP, outcome). */
export function vmTraceLines(k: Kernel): string[] {
  const out: string[] = [];
  for (const r of vmReports(k)) for (const e of r.trace ?? []) out.push(JSON.stringify({ kind: 'vm-exit-record', vm: r.name, ...e }));
  return out;
}

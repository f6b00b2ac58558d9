/** The cached state of one VM exit (libvmm's `vcpu_cache_exit_state`): the fault message registers, read once, then
 * edited by the handlers and written back once (`vcpu_exit_prepare_resume`). GPRs are kept as 32-bit halves in
 * x86 encoding order (RAX=0, RCX=1, RDX=2, RBX=3, RSP=4, RBP=5, RSI=6, RDI=7, R8..R15) so the exit path never
 * allocates; RSP is not in the message, so it is read from the VMCS when a handler asks for it. */
import { signed64 } from './address';
import { VMCS } from './constants';
import type { VcpuBackend } from './backend';

const TWO32 = 0x1_0000_0000;

/** seL4_VCPUContext / fault-MR order (EAX, EBX, ECX, EDX, ESI, EDI, EBP, R8..R15) → x86 register number */
export const SEL4_CONTEXT_ORDER = [0, 3, 1, 2, 6, 7, 5, 8, 9, 10, 11, 12, 13, 14, 15] as const;

export class ExitState {
  reason = 0;
  qualification = 0;
  instructionLength = 0;
  guestPhysical = 0;
  rflags = 0;
  interruptibility = 0;
  cr3 = 0;
  /** the three values libmicrokit caches: guest RIP, primary controls, entry interruption info */
  rip = 0;
  ppc = 0;
  entryIrq = 0;
  readonly lo = new Uint32Array(16);
  readonly hi = new Uint32Array(16);
  /** a handler changed a GPR: write the register context back before resuming */
  regsDirty = false;
  rflagsDirty = false;

  constructor(private readonly backend: VcpuBackend) {}

  /** Low 32 bits of a register. */
  get32(r: number): number {
    if (r === 4) return this.backend.readVmcs(VMCS.GUEST_RSP) >>> 0;
    return this.lo[r];
  }

  /** A register as a number, the signed 64-bit view (exact below 2^53 and for kernel-half addresses). */
  get64(r: number): number {
    if (r === 4) return this.backend.readVmcs(VMCS.GUEST_RSP);
    // the signed view: a kernel-half pointer (0xffff8000_xxxxxxxx) is exact only as a negative number
    return (this.hi[r] | 0) * TWO32 + this.lo[r];
  }

  /** Both halves as a bigint (exact). */
  getBig(r: number): bigint {
    if (r === 4) return BigInt.asUintN(64, BigInt(this.backend.readVmcs(VMCS.GUEST_RSP)));
    return (BigInt(this.hi[r]) << 32n) | BigInt(this.lo[r]);
  }

  set64(r: number, lo: number, hi: number): void {
    if (r === 4) {
      this.backend.writeVmcs(VMCS.GUEST_RSP, (hi | 0) * TWO32 + (lo >>> 0));
      return;
    }
    this.lo[r] = lo >>> 0;
    this.hi[r] = hi >>> 0;
    this.regsDirty = true;
  }

  /** Write `size` bytes of `value` into a register as the hardware does: 8/16-bit writes keep the other bits,
   * 32-bit writes zero-extend. `high8` addresses AH/CH/DH/BH. `valueHi` is used for 8-byte writes. */
  setSized(r: number, size: number, value: number, valueHi = 0, high8 = false): void {
    if (size === 8) return this.set64(r, value, valueHi);
    if (size === 4) return this.set64(r, value, 0);
    const cur = this.get32(r);
    const curHi = r === 4 ? Math.floor(this.get64(4) / TWO32) : this.hi[r];
    let v: number;
    if (size === 2) v = (cur & 0xffff0000) | (value & 0xffff);
    else if (high8) v = (cur & 0xffff00ff) | ((value & 0xff) << 8);
    else v = (cur & 0xffffff00) | (value & 0xff);
    this.set64(r, v, curHi);
  }

  /** Load from the fault message registers (MR index → value), in seL4's layout. */
  loadFromMrs(mr: (i: number) => bigint, count: number): void {
    this.rip = signed64(mr(0)); // kernel-half RIPs stay exact
    this.ppc = Number(mr(1) & 0xffffffffn);
    this.entryIrq = Number(mr(2) & 0xffffffffn);
    this.reason = Number(mr(3) & 0xffffn);
    this.qualification = Number(mr(4));
    this.instructionLength = Number(mr(5));
    this.guestPhysical = Number(mr(6));
    this.rflags = Number(mr(7));
    this.interruptibility = Number(mr(8));
    this.cr3 = Number(mr(9));
    for (let i = 0; i < SEL4_CONTEXT_ORDER.length; i++) {
      const r = SEL4_CONTEXT_ORDER[i];
      const v = 10 + i < count ? mr(10 + i) : 0n;
      this.lo[r] = Number(v & 0xffffffffn);
      this.hi[r] = Number((v >> 32n) & 0xffffffffn);
    }
    this.regsDirty = false;
    this.rflagsDirty = false;
  }

  /** The register context in seL4_VCPUContext order (for WriteRegisters). */
  context(): bigint[] {
    return SEL4_CONTEXT_ORDER.map((r) => (BigInt(this.hi[r]) << 32n) | BigInt(this.lo[r]));
  }
}

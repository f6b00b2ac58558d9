/** `mk`: libmicrokit for JavaScript PD programs, one function per C function with the `microkit_` prefix dropped
 * (API.md has the table). Calls that enter the kernel return promises; memory and message-register access does not
 * enter the kernel. Every check and message follows libmicrokit (microkit.md §C.3). */
import { createVmmApi } from './vcpu';
import { Label, makeInfo, msgLabel, msgLength, SEL4_VMENTER_NUM_FAULT_MSGS, VMCS } from '../kernel';
import {
  BASE_ENDPOINT_CAP, BASE_IOPORT_CAP, BASE_IRQ_CAP, BASE_OUTPUT_NOTIFICATION_CAP, BASE_TCB_CAP, BASE_VCPU_CAP, MICROKIT_MAX_CHANNEL_ID,
  MICROKIT_MAX_IOPORT_ID,
} from './constants';
import { PF_PRESENT, PF_WRITE, PF_USER, translate } from './memory';
import type { PdEnv } from './pdEnv';
import { Abandon } from './thread';

export type Word = number | bigint;

/** Numbers stay numbers while exact; larger 64-bit words come back as bigint. */
export function wordOut(v: bigint): number | bigint {
  return v <= 0x1f_ffff_ffff_ffffn ? Number(v) : v;
}
const w = (v: Word): bigint => BigInt.asUintN(64, BigInt(v));

function toInfo(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  return 0n;
}
export { toInfo };

export function createMk(env: PdEnv): Record<string, unknown> {
  const { ctx, pd } = env;
  let vmmApi: ReturnType<typeof createVmmApi> | undefined;
  const t = ctx.tcb;
  const name = pd.pd.name;
  const has = (mask: bigint, id: number): boolean => id >= 0 && id <= 63 && ((mask >> BigInt(id)) & 1n) === 1n;
  const invalid = (fn: string, id: number, what = 'channel'): void => env.output(`${name} microkit_${fn}: invalid ${what} given '${id}'\n`);
  const checkErr = async (err: number, message: string): Promise<void> => {
    if (err !== 0) {
      env.output(message);
      env.crash(err);
    }
  };

  // ---- memory through the PD's own VSpace ----
  const access = (vaddr: Word, size: number, write: boolean): bigint => {
    const va = w(vaddr);
    const tr = translate(env.sys.kernel, pd.vspace.id, va);
    const last = size > 1 && ((va & 0xfffn) + BigInt(size) > 0x1000n) ? translate(env.sys.kernel, pd.vspace.id, va + BigInt(size - 1)) : tr;
    const bad = !tr || !last ? { present: false } : write && (!tr.writable || !last.writable) ? { present: true } : null;
    if (bad) {
      if (ctx.fault) throw new Abandon();
      ctx.fault = { kind: 'vm', vaddr: va, write, present: bad.present };
      throw new Abandon();
    }
    return tr!.paddr;
  };
  const read = (size: number) => (vaddr: Word): number | bigint => {
    const pa = access(vaddr, size, false);
    const v = env.sys.memory.read(pa, size);
    return size === 8 ? v : Number(v);
  };
  const write = (size: number) => (vaddr: Word, value: Word): void => {
    const pa = access(vaddr, size, true);
    env.sys.memory.write(pa, size, BigInt.asUintN(size * 8, BigInt(value)));
  };

  const mk: Record<string, unknown> = {
    name,
    MAX_CHANNELS: 62,

    // ---- kernel calls ----
    notify(ch: number): Promise<void> {
      ctx.check('mk.notify');
      if (ch > MICROKIT_MAX_CHANNEL_ID || !has(pd.notifications, ch)) return Promise.resolve(invalid('notify', ch));
      env.trace({ kind: 'notify', pd: name, ch, to: pd.peers.get(ch) ?? null });
      return ctx.send(BASE_OUTPUT_NOTIFICATION_CAP + ch, 0n, 'mk.notify');
    },
    async irq_ack(ch: number): Promise<void> {
      ctx.check('mk.irq_ack');
      if (ch > MICROKIT_MAX_CHANNEL_ID || !has(pd.irqs, ch)) return invalid('irq_ack', ch);
      await ctx.invoke(BASE_IRQ_CAP + ch, Label.IRQAckIRQ, [], [], 'mk.irq_ack');
    },
    ppcall(ch: number, msginfo: Word): Promise<bigint> {
      ctx.check('mk.ppcall');
      if (ch > MICROKIT_MAX_CHANNEL_ID || !has(pd.pps, ch)) {
        invalid('ppcall', ch);
        return Promise.resolve(makeInfo(0n, 0, 0, 0));
      }
      env.trace({ kind: 'ppcall', pd: name, ch, to: pd.peers.get(ch) ?? null });
      return ctx.call(BASE_ENDPOINT_CAP + ch, toInfo(msginfo), 'mk.ppcall');
    },
    deferred_notify(ch: number): void {
      if (ch > MICROKIT_MAX_CHANNEL_ID || !has(pd.notifications, ch)) return invalid('deferred_notify', ch);
      env.deferred = { cap: BASE_OUTPUT_NOTIFICATION_CAP + ch, info: makeInfo(0n, 0, 0, 0) };
    },
    deferred_irq_ack(ch: number): void {
      if (ch > MICROKIT_MAX_CHANNEL_ID || !has(pd.irqs, ch)) return invalid('deferred_irq_ack', ch);
      env.deferred = { cap: BASE_IRQ_CAP + ch, info: makeInfo(BigInt(Label.IRQAckIRQ), 0, 0, 0) };
    },
    async pd_restart(child: number, entry: Word): Promise<void> {
      const err = await env.invoke(BASE_TCB_CAP + child, Label.TCBWriteRegisters, [1, 1, w(entry)], [], 'mk.pd_restart');
      await checkErr(err, 'microkit_pd_restart: error writing TCB registers\n');
    },
    async pd_stop(child: number): Promise<void> {
      const err = await env.invoke(BASE_TCB_CAP + child, Label.TCBSuspend, [], [], 'mk.pd_stop');
      await checkErr(err, 'microkit_pd_stop: error writing TCB registers\n');
    },
    async pd_resume(child: number): Promise<void> {
      const err = await env.invoke(BASE_TCB_CAP + child, Label.TCBResume, [], [], 'mk.pd_resume');
      await checkErr(err, 'microkit_pd_resume: error resuming TCB\n');
    },

    // ---- messages ----
    msginfo_new(label: Word, count: number): bigint {
      return makeInfo(w(label) & ((1n << 52n) - 1n), 0, 0, count);
    },
    msginfo_get_label(info: Word): number | bigint {
      return wordOut(msgLabel(toInfo(info)));
    },
    msginfo_get_count(info: Word): number {
      return msgLength(toInfo(info));
    },
    mr_set(i: number, v: Word): void {
      t.buf[1 + i] = w(v);
    },
    mr_get(i: number): number | bigint {
      return wordOut(t.buf[1 + i]);
    },

    // ---- debug output (seL4_DebugPutChar; no kernel entry is modelled) ----
    dbg_puts(s: unknown): void {
      env.output(String(s));
    },
    dbg_putc(c: number | string): void {
      env.output(typeof c === 'number' ? String.fromCharCode(c) : c.slice(0, 1));
    },
    dbg_put8(v: number): void {
      env.output(String(v & 0xff));
    },
    dbg_put32(v: number): void {
      env.output(String(v >>> 0));
    },

    // ---- memory ----
    read8: read(1), read16: read(2), read32: read(4), read64: read(8),
    write8: write(1), write16: write(2), write32: write(4), write64: write(8),
    read_bytes(vaddr: Word, n: number): Uint8Array {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(env.sys.memory.read(access(w(vaddr) + BigInt(i), 1, false), 1));
      return out;
    },
    write_bytes(vaddr: Word, bytes: ArrayLike<number>): void {
      for (let i = 0; i < bytes.length; i++) env.sys.memory.write(access(w(vaddr) + BigInt(i), 1, true), 1, BigInt(bytes[i] & 0xff));
    },
    setvar(symbol: string): number | bigint {
      const v = pd.setvars.get(symbol);
      if (v === undefined) throw new Error(`no setvar '${symbol}' for PD '${name}' in the system description`);
      return wordOut(v);
    },

    // ---- x86 I/O ports ----
    ...ioports(env, has, invalid),

    // ---- x86 VCPU (the VMM side; the guest runs through the kernel's GuestRunner hook) ----
    async vcpu_x86_read_vmcs(vcpu: number, field: number): Promise<number | bigint> {
      if (field === VMCS.GUEST_RIP) return wordOut(env.vcpu.rip);
      if (field === VMCS.PRIMARY_PROCESSOR_CONTROLS) return wordOut(env.vcpu.ppc);
      if (field === VMCS.ENTRY_INTERRUPTION_INFO) return wordOut(env.vcpu.irq);
      const err = await env.invoke(BASE_VCPU_CAP + vcpu, Label.X86VCPUReadVMCS, [field], [], 'mk.vcpu_x86_read_vmcs');
      await checkErr(err, 'microkit_vcpu_x86_read_vmcs: error reading data\n');
      return wordOut(t.buf[1]);
    },
    async vcpu_x86_write_vmcs(vcpu: number, field: number, value: Word): Promise<void> {
      if (field === VMCS.GUEST_RIP) env.vcpu.rip = w(value);
      else if (field === VMCS.PRIMARY_PROCESSOR_CONTROLS) env.vcpu.ppc = w(value);
      else if (field === VMCS.ENTRY_INTERRUPTION_INFO) env.vcpu.irq = w(value);
      else {
        const err = await env.invoke(BASE_VCPU_CAP + vcpu, Label.X86VCPUWriteVMCS, [field, w(value)], [], 'mk.vcpu_x86_write_vmcs');
        await checkErr(err, 'microkit_vcpu_x86_write_vmcs: error writing data\n');
      }
    },
    async vcpu_x86_enable_ioport(vcpu: number, id: number, port: number, len: number): Promise<void> {
      if (id > MICROKIT_MAX_IOPORT_ID || !has(pd.ioports, id)) return invalid('vcpu_x86_enable_ioport', id, 'I/O Port ID');
      const err = await env.invoke(BASE_VCPU_CAP + vcpu, Label.X86VCPUEnableIOPort, [port, port + len - 1], [BASE_IOPORT_CAP + id], 'mk.vcpu_x86_enable_ioport');
      await checkErr(err, 'microkit_vcpu_x86_enable_ioport: error enabling I/O port\n');
    },
    async vcpu_x86_disable_ioport(vcpu: number, port: number, len: number): Promise<void> {
      const err = await env.invoke(BASE_VCPU_CAP + vcpu, Label.X86VCPUDisableIOPort, [port, port + len - 1], [], 'mk.vcpu_x86_disable_ioport');
      await checkErr(err, 'microkit_vcpu_x86_disable_ioport: error disabling I/O port\n');
    },
    async vcpu_x86_write_regs(vcpu: number, regs: Word[]): Promise<void> {
      const err = await env.invoke(BASE_VCPU_CAP + vcpu, Label.X86VCPUWriteRegisters, regs.slice(0, 7).map(w), [], 'mk.vcpu_x86_write_regs');
      await checkErr(err, 'microkit_vcpu_x86_write_regs: error writing registers\n');
    },
    vcpu_x86_on(): void {
      env.vcpu.on = true;
    },
    vcpu_x86_off(): void {
      env.vcpu.on = false;
    },
    VMENTER_NUM_FAULT_MSGS: SEL4_VMENTER_NUM_FAULT_MSGS,
    /** the VMM library (core/vmm) for a VMM PD, like linking libvmm (core/microkit/vcpu.ts) */
    get vmm() {
      return (vmmApi ??= createVmmApi(env));
    },
  };
  // an `mk` belongs to one run of the program: after a fault or a restart, code of that run cannot touch the thread
  const gen = ctx.gen;
  for (const key of Object.keys(mk)) {
    const f = mk[key];
    if (typeof f !== 'function') continue;
    mk[key] = (...args: unknown[]) => {
      if (ctx.gen !== gen || ctx.fault) throw new Abandon();
      return (f as (...a: unknown[]) => unknown)(...args);
    };
  }
  return mk;
}

function ioports(env: PdEnv, has: (m: bigint, id: number) => boolean, invalid: (fn: string, id: number, what?: string) => void): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const labels = { 8: [Label.X86IOPortIn8, Label.X86IOPortOut8], 16: [Label.X86IOPortIn16, Label.X86IOPortOut16], 32: [Label.X86IOPortIn32, Label.X86IOPortOut32] } as const;
  for (const bits of [8, 16, 32] as const) {
    out[`x86_ioport_read_${bits}`] = async (id: number, port: number): Promise<number> => {
      env.ctx.check(`mk.x86_ioport_read_${bits}`);
      if (id > MICROKIT_MAX_IOPORT_ID || !has(env.pd.ioports, id)) {
        invalid(`x86_ioport_read_${bits}`, id, 'I/O Port ID');
        return 0;
      }
      const err = await env.invoke(BASE_IOPORT_CAP + id, labels[bits][0], [port], [], `mk.x86_ioport_read_${bits}`);
      return err === 0 ? Number(env.ctx.tcb.buf[1]) : 0;
    };
    out[`x86_ioport_write_${bits}`] = async (id: number, port: number, data: number): Promise<void> => {
      env.ctx.check(`mk.x86_ioport_write_${bits}`);
      if (id > MICROKIT_MAX_IOPORT_ID || !has(env.pd.ioports, id)) return invalid(`x86_ioport_write_${bits}`, id, 'I/O Port ID');
      await env.invoke(BASE_IOPORT_CAP + id, labels[bits][1], [port, data], [], `mk.x86_ioport_write_${bits}`);
    };
  }
  return out;
}

export { PF_PRESENT, PF_USER, PF_WRITE };

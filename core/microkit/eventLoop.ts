/** libmicrokit's main() and handler loop (microkit.md §C.2), running on the kernel model: init, the passive
 * request, the post-init IRQ acks, then one Recv / ReplyRecv / NBSendRecv / VMEnter per iteration and badge
 * decoding into fault / protected / notified calls. */
import { Label, makeInfo, SEL4_VMENTER_NUM_FAULT_MSGS, SEL4_VMENTER_RESULT_FAULT } from '../kernel';
import { createMk, toInfo } from './api';
import { BASE_IRQ_CAP, CHANNEL_MASK, CHILD_MASK, FAULT_BADGE, INPUT_CAP, MONITOR_EP, PPC_BADGE, REPLY_CAP } from './constants';
import type { PdEnv } from './pdEnv';
import { Abandon } from './thread';

/** Decode what a `fault` entry point returned: a boolean (reply or not) or { reply, msginfo }. */
function faultResult(v: unknown): { reply: boolean; msginfo: bigint | null } {
  if (typeof v === 'boolean') return { reply: v, msginfo: null };
  if (v && typeof v === 'object' && 'reply' in v) {
    const o = v as { reply: unknown; msginfo?: unknown };
    return { reply: !!o.reply, msginfo: o.msginfo === undefined ? null : toInfo(o.msginfo) };
  }
  return { reply: false, msginfo: null };
}

export async function pdMain(env: PdEnv): Promise<void> {
  const { ctx, pd } = env;
  const prog = env.program!;
  const mk = createMk(env);
  const name = pd.pd.name;
  const t = ctx.tcb;
  const entry = (which: 'init' | 'notified' | 'protected' | 'fault', ch: number | null, run: () => unknown): unknown => {
    env.trace({ kind: 'entry', pd: name, entry: which, ch });
    return run();
  };
  const missing = (which: string): never => {
    env.output(`${name} is missing the '${which}' entry point\n`);
    return env.crash(0);
  };
  // On the VT-x board libmicrokit never replies to a fault (microkit.md §C.7 quirk).
  const noFaultReply = env.sys.board.kernel.arch === 'x86_64' && env.sys.board.kernel.hypervisor;

  await entry('init', null, () => (prog.entry.init ? prog.entry.init(mk) : undefined));
  if (pd.pd.passive) env.deferred = { cap: MONITOR_EP, info: makeInfo(0n, 0, 0, 0) };
  for (let id = 0; id < 64; id++) {
    if ((pd.irqs >> BigInt(id)) & 1n) await env.invoke(BASE_IRQ_CAP + id, Label.IRQAckIRQ, [], [], 'IRQHandler_Ack');
  }

  let haveReply = false;
  let replyTag = makeInfo(0n, 0, 0, 0);
  for (;;) {
    let vmExit = false;
    if (env.vcpu.on) {
      if (env.deferred) {
        const d = env.deferred;
        env.deferred = null;
        await ctx.send(d.cap, d.info, 'Send');
      }
      t.buf[1] = env.vcpu.rip;
      t.buf[2] = env.vcpu.ppc;
      t.buf[3] = env.vcpu.irq;
      await ctx.vmEnter('VMEnter');
      env.vcpu.rip = t.buf[1];
      env.vcpu.ppc = t.buf[2];
      env.vcpu.irq = t.buf[3];
      vmExit = t.msgInfo === SEL4_VMENTER_RESULT_FAULT;
    } else if (haveReply) {
      if (env.deferred) {
        const d = env.deferred;
        env.deferred = null;
        await ctx.send(d.cap, d.info, 'Send');
      }
      await ctx.replyRecv(INPUT_CAP, replyTag, REPLY_CAP, 'ReplyRecv');
    } else if (env.deferred) {
      const d = env.deferred;
      env.deferred = null;
      await ctx.nbSendRecv(d.cap, d.info, INPUT_CAP, REPLY_CAP, 'NBSendRecv');
    } else {
      await ctx.recv(INPUT_CAP, REPLY_CAP, 'Recv');
    }
    let badge = t.capReg;
    const tag = t.msgInfo;
    haveReply = false;
    if (vmExit) {
      // a VM exit: child 0, label 0, the exit reason in its MR (§C.7); nothing is replied
      if (!prog.entry.fault) missing('fault');
      const r = faultResult(await entry('fault', 0, () => prog.entry.fault!(mk, 0, makeInfo(0n, 0, 0, SEL4_VMENTER_NUM_FAULT_MSGS))));
      if (!r.reply) env.vcpu.on = false;
    } else if (badge & FAULT_BADGE) {
      if (!prog.entry.fault) missing('fault');
      const child = Number(badge & CHILD_MASK);
      const r = faultResult(await entry('fault', child, () => prog.entry.fault!(mk, child, tag)));
      if (r.reply && !noFaultReply) {
        haveReply = true;
        if (r.msginfo !== null) replyTag = r.msginfo;
      }
    } else if (badge & PPC_BADGE) {
      if (!prog.entry.protected) missing('protected');
      const ch = Number(badge & CHANNEL_MASK);
      haveReply = true;
      replyTag = toInfo(await entry('protected', ch, () => prog.entry.protected!(mk, ch, tag)));
    } else {
      let idx = 0;
      while (badge !== 0n) {
        if (badge & 1n) {
          if (!prog.entry.notified) missing('notified');
          const ch = idx;
          await entry('notified', ch, () => prog.entry.notified!(mk, ch));
        }
        badge >>= 1n;
        idx++;
      }
    }
  }
}

export { Abandon };

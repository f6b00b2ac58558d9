/** The Microkit monitor (microkit.md §C.5): priority 255 on core 0, Recv on its fault endpoint forever; binds the
 * SC of a passive PD to its notification, and prints a fault report for every other message (never replying). */
import { FaultLabel, Label, makeInfo } from '../kernel';
import { MON_BASE_NOTIFICATION_CAP, MON_BASE_PD_TCB_CAP, MON_BASE_SCHED_CONTEXT_CAP, MON_FAULT_EP_CAP, MON_REPLY_CAP } from './constants';
import { hex32, hex64, pageFaultToString, registerLines } from './report';
import type { SystemState } from './systemState';
import type { ThreadContext } from './thread';

export interface MonitorEnv {
  ctx: ThreadContext;
  sys: SystemState;
  output(text: string): void;
  /** extra lines about a JS-level fault of a PD (its message and position), if any */
  jsFaultNote(pdIndex: number): string | null;
  /** the monitor hit an unknown badge and spins forever */
  fail(): void;
}

const LOOKUP_NAMES = ['seL4_NoFailure', 'seL4_InvalidRoot', 'seL4_MissingCapability', 'seL4_DepthMismatch', 'seL4_GuardMismatch'];

export async function monitorMain(env: MonitorEnv): Promise<void> {
  const { ctx, sys } = env;
  const t = ctx.tcb;
  const puts = env.output;
  const arch = sys.system.arch;
  puts('MON|INFO: Microkit Monitor started!\n');
  for (;;) {
    await ctx.recv(MON_FAULT_EP_CAP, MON_REPLY_CAP, 'Recv');
    const badge = t.capReg;
    const label = Number(t.msgInfo >> 12n);
    const mrs = Array.from(t.buf.subarray(1, 9));
    const pdId = Number(badge - 1n);
    const tcbCap = MON_BASE_PD_TCB_CAP + pdId;
    const known = badge >= 1n && pdId < sys.pds.length;

    if (label === FaultLabel.NullFault && badge >= 1n && pdId < 64) {
      await ctx.invoke(MON_BASE_SCHED_CONTEXT_CAP + pdId, Label.SchedContextUnbindObject, [], [tcbCap], 'SchedContext_UnbindObject');
      const err = await ctx.invoke(MON_BASE_SCHED_CONTEXT_CAP + pdId, Label.SchedContextBind, [], [MON_BASE_NOTIFICATION_CAP + pdId], 'SchedContext_Bind');
      if (err !== 0) puts('MON|ERROR: could not bind scheduling context to notification object');
      else puts(`MON|INFO: PD '${known ? sys.pds[pdId].pd.name : ''}' is now passive!\n`);
      continue;
    }

    puts(`MON|ERROR: received message ${hex32(label)}  badge: ${hex64(badge)}  tcb cap: ${hex64(BigInt(tcbCap))}\n`);
    if (known) puts(`MON|ERROR: faulting PD: ${sys.pds[pdId].pd.name}\n`);
    else {
      puts('FAIL: MON|ERROR: unknown/invalid badge\n');
      env.fail();
      return;
    }
    const err = await ctx.invoke(tcbCap, Label.TCBReadRegisters, [0, 20], [], 'TCB_ReadRegisters');
    if (err !== 0) {
      puts('FAIL: error reading registers');
      env.fail();
      return;
    }
    const regs = Array.from(t.buf.subarray(1, 21));
    puts(registerLines(arch, regs));

    switch (label) {
      case FaultLabel.CapFault: {
        const [ip, addr, inRecv, lft, bitsLeft, f5, f6] = mrs;
        let s = `MON|ERROR: CapFault: ip=${hex64(ip)}  fault_addr=${hex64(addr)}  in_recv_phase=${inRecv === 0n ? 'false' : 'true'}  lookup_failure_type=`;
        s += LOOKUP_NAMES[Number(lft)] ?? hex64(lft);
        if (lft === 2n || lft === 3n || lft === 4n) s += `  bits_left=${hex64(bitsLeft)}`;
        if (lft === 3n) s += `  depth_bits_found=${hex64(f5)}`;
        if (lft === 4n) s += `  guard_found=${hex64(f5)}  guard_bits_found=${hex64(f6)}`;
        puts(s + '\n');
        break;
      }
      case FaultLabel.UserException:
        puts('MON|ERROR: UserException\n');
        break;
      case FaultLabel.VMFault: {
        const [ip, addr, prefetch, fsr] = mrs;
        puts(`MON|ERROR: VMFault: ip=${hex64(ip)}  fault_addr=${hex64(addr)}  fsr=${hex64(fsr)}  ${prefetch ? '(instruction fault)' : '(data fault)'}\n`);
        puts(pageFaultToString(arch, fsr));
        const stackBottom = sys.pds[pdId].stackBottom;
        if (addr < stackBottom && addr >= stackBottom - 0x1000n) {
          puts('MON|ERROR: potential stack overflow, fault address within one page outside of stack region\n');
        }
        break;
      }
      default:
        puts('MON|ERROR: Unknown fault\n');
        puts(hex64(BigInt(label)));
        break;
    }
    const note = env.jsFaultNote(pdId);
    if (note) puts(note);
    void makeInfo;
  }
}

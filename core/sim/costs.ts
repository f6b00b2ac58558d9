/** The one cost table: simulated nanoseconds charged for each thing a core does. Nothing reads wall-clock time;
 * these numbers are the only source of simulated time (order-of-magnitude figures for a ~2 GHz core). */
import { Sys } from '../kernel';

export const COSTS = {
  /** a kernel entry and exit, before the syscall's own work */
  syscallBase: 150,
  /** extra per syscall kind */
  bySyscall: new Map<number, number>([
    [Sys.Call, 350],
    [Sys.ReplyRecv, 350],
    [Sys.NBSendRecv, 300],
    [Sys.Send, 100],
    [Sys.Recv, 100],
    [Sys.VMEnter, 800],
  ]),
  /** raising a fault (exception entry + fault IPC) */
  fault: 700,
  /** switching the core to another thread */
  contextSwitch: 200,
  /** user code between two kernel entries, fixed part */
  userSlice: 100,
  /** user code per loop iteration / function entry (counted by the watchdog instrumentation) */
  perTick: 2,
  /** an idle core with nothing due waits in steps of this much */
  idleQuantum: 1000,
} as const;

export function sliceCost(sys: number, ticks: number, switched: boolean, faulted: boolean): number {
  let c = COSTS.syscallBase + COSTS.userSlice + ticks * COSTS.perTick + (COSTS.bySyscall.get(sys) ?? 0);
  if (faulted) c += COSTS.fault;
  if (switched) c += COSTS.contextSwitch;
  return c;
}

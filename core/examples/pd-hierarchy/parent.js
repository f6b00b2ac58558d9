// parent: owns the child PD (child id 1). When the child faults, the parent
// prints why and restarts it at its entry point, at most three times.

const CHILD = 1;
const CHILD_CH = 0;
const CHILD_ENTRY = 0x200000;
const MAX_RESTARTS = 3;

let restarts = 0;

export default {
  async init(mk) {
    mk.dbg_puts('parent: waiting for the child\n');
  },

  async notified(mk, ch) {
    if (ch === CHILD_CH) {
      mk.dbg_puts('parent: child says it is alive\n');
    }
  },

  async fault(mk, child, msginfo) {
    mk.dbg_puts(`parent: child ${child} faulted (label ${mk.msginfo_get_label(msginfo)})\n`);
    if (child !== CHILD || restarts >= MAX_RESTARTS) {
      await mk.pd_stop(child);
      return false;
    }
    restarts += 1;
    await mk.pd_restart(child, CHILD_ENTRY);
    return false; // restarted, not resumed: no reply
  },
};

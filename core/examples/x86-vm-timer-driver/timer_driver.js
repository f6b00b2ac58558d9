// timer_driver: a passive PD that owns the timer device and answers one
// protected procedure: "what time is it" (microseconds in MR0).

const VMM_CH = 1;
const NOW_LO = 0x0;
const NOW_HI = 0x4;

export const setvars = { timer_regs: 0 };

export default {
  init(mk) {
    mk.dbg_puts('timer_driver: ready\n');
  },

  protected(mk, ch, msginfo) {
    if (ch !== VMM_CH) return mk.msginfo_new(1, 0);
    const lo = mk.read32(setvars.timer_regs + NOW_LO);
    const hi = mk.read32(setvars.timer_regs + NOW_HI);
    mk.mr_set(0, hi * 0x100000000 + lo);
    return mk.msginfo_new(0, 1);
  },

  notified(mk, ch) {
    mk.dbg_puts(`timer_driver: unexpected notification on channel ${ch}\n`);
  },
};

// device: a timer that interrupts three times, 500 us apart; each interrupt is
// passed on to the VMM as a notification (its "device IRQ").

const VMM_CH = 0;
const IRQ = 1;
const TIMEOUT = 0x8;
const STATUS = 0xc;

export const setvars = { timer_regs: 0 };

let ticks = 0;

export default {
  init(mk) {
    mk.write32(setvars.timer_regs + TIMEOUT, 500);
  },

  async notified(mk, ch) {
    if (ch !== IRQ) return;
    ticks += 1;
    mk.write32(setvars.timer_regs + STATUS, 1);
    mk.dbg_puts(`device: interrupt ${ticks}, notifying the VMM\n`);
    if (ticks < 3) mk.write32(setvars.timer_regs + TIMEOUT, 500);
    await mk.notify(VMM_CH);
    mk.deferred_irq_ack(IRQ);
  },
};

// timer driver: programs a 1000 µs timeout three times; on each interrupt it clears the device,
// acknowledges the IRQ (deferred: done on its way back into the kernel) and tells the client.

const CLIENT = 0;
const IRQ = 1;
const NOW_LO = 0x0;
const TIMEOUT = 0x8;
const STATUS = 0xc;
const PERIOD_US = 1000;

let regs = 0;
let ticks = 0;

export default {
  async init(mk) {
    regs = mk.setvar('timer_regs');
    mk.dbg_puts(`timer: programming ${PERIOD_US} us\n`);
    mk.write32(regs + TIMEOUT, PERIOD_US);
  },

  async notified(mk, ch) {
    if (ch !== IRQ) return;
    ticks += 1;
    mk.write32(regs + STATUS, 1);
    mk.dbg_puts(`timer: tick ${ticks} at ${mk.read32(regs + NOW_LO)} us\n`);
    if (ticks < 3) mk.write32(regs + TIMEOUT, PERIOD_US);
    await mk.notify(CLIENT);
    mk.deferred_irq_ack(IRQ);
  },
};

// client: counts the timer's notifications.

let ticks = 0;

export default {
  async init(mk) {
    mk.dbg_puts('client: waiting for ticks\n');
  },

  async notified(mk, ch) {
    ticks += 1;
    mk.dbg_puts(`client: tick ${ticks}\n`);
  },
};

// pong (priority 200): its notify to ping does not preempt it; ping runs once pong waits again.

const PING = 0;
let seen = 0;

export default {
  async init(mk) {
    mk.dbg_puts('pong: waiting\n');
  },

  async notified(mk, ch) {
    seen += 1;
    mk.dbg_puts(`pong: notified on ${ch} (${seen}), notify ping\n`);
    await mk.notify(PING);
    mk.dbg_puts('pong: still running after notify\n');
  },
};

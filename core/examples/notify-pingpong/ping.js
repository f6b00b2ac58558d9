// ping (priority 100): each notify to pong preempts ping immediately, because pong's priority is higher.

const PONG = 0;
const ROUNDS = 3;
let round = 0;

export default {
  async init(mk) {
    round = 1;
    mk.dbg_puts(`ping: round ${round}, notify pong\n`);
    await mk.notify(PONG);
    mk.dbg_puts('ping: back after notify\n');
  },

  async notified(mk, ch) {
    mk.dbg_puts(`ping: pong answered round ${round}\n`);
    if (round < ROUNDS) {
      round += 1;
      mk.dbg_puts(`ping: round ${round}, notify pong\n`);
      await mk.notify(PONG);
      mk.dbg_puts('ping: back after notify\n');
    }
  },
};

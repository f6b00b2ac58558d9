// server: a passive counter. A PPC increments it (on the client's SC); a notification reports it (on the server's own SC).

let count = 0;

export default {
  async init(mk) {
    mk.dbg_puts('server: init (still on its own SC)\n');
  },

  async protected(mk, ch, msginfo) {
    count += 1;
    mk.dbg_puts(`server: call ${count} from channel ${ch}\n`);
    mk.mr_set(0, count);
    return mk.msginfo_new(0, 1);
  },

  async notified(mk, ch) {
    mk.dbg_puts(`server: notified on ${ch}, count is ${count}\n`);
    await mk.notify(ch);
  },
};

// client: calls the passive server twice, then notifies it and waits for its answer.

const SERVER = 0;

export default {
  async init(mk) {
    for (let i = 0; i < 2; i++) {
      await mk.ppcall(SERVER, mk.msginfo_new(0, 0));
      mk.dbg_puts(`client: count is now ${mk.mr_get(0)}\n`);
    }
    mk.dbg_puts('client: notifying the server\n');
    await mk.notify(SERVER);
    mk.dbg_puts('client: init done\n');
  },

  async notified(mk, ch) {
    mk.dbg_puts(`client: server answered on ${ch}\n`);
  },
};

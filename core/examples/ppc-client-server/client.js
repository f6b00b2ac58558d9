// client: calls the server three times; each ppcall blocks until the server's protected() returns.

const SERVER = 0;

export default {
  async init(mk) {
    for (let i = 1; i <= 3; i++) {
      mk.mr_set(0, i);
      mk.mr_set(1, 10 * i);
      mk.dbg_puts(`client: calling add(${i}, ${10 * i})\n`);
      const reply = await mk.ppcall(SERVER, mk.msginfo_new(1, 2));
      mk.dbg_puts(`client: got ${mk.mr_get(0)} (${mk.msginfo_get_count(reply)} word)\n`);
    }
  },

  async notified(mk, ch) {},
};

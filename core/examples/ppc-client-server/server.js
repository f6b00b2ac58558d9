// server: adds the two words it is given and returns the sum in MR0.

export default {
  async init(mk) {
    mk.dbg_puts('server: ready\n');
  },

  async notified(mk, ch) {},

  async protected(mk, ch, msginfo) {
    const a = mk.mr_get(0);
    const b = mk.mr_get(1);
    mk.dbg_puts(`server: add(${a}, ${b}) on channel ${ch}, label ${mk.msginfo_get_label(msginfo)}\n`);
    mk.mr_set(0, a + b);
    return mk.msginfo_new(0, 1);
  },
};

// hello: prints a greeting once, at start-up. Nothing ever notifies it.

export default {
  async init(mk) {
    mk.dbg_puts(`hello, world (from ${mk.name})\n`);
  },

  async notified(mk, ch) {
    mk.dbg_puts(`${mk.name}: unexpected notification on channel ${ch}\n`);
  },
};

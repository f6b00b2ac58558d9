// consumer: drains everything between tail and head on each notification.

const SLOTS = 16;

export default {
  async init(mk) {
    mk.dbg_puts('consumer: ready\n');
  },

  async notified(mk, ch) {
    const ring = mk.setvar('ring');
    let tail = mk.read32(ring + 4);
    const head = mk.read32(ring);
    mk.dbg_puts(`consumer: notified, ${head - tail} item(s)\n`);
    while (tail !== head) {
      mk.dbg_puts(`consumer: got ${mk.read32(ring + 8 + 4 * (tail % SLOTS))}\n`);
      tail += 1;
    }
    mk.write32(ring + 4, tail);
  },
};

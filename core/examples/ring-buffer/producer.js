// producer: ring layout: u32 head (next write) at 0, u32 tail (next read) at 4, 16 u32 slots from 8.
// It signals after every item; the consumer has a lower priority, so the signals coalesce into one notified().

const CONSUMER = 0;
const SLOTS = 16;

export default {
  async init(mk) {
    const ring = mk.setvar('ring');
    for (let i = 1; i <= 5; i++) {
      const head = mk.read32(ring);
      mk.write32(ring + 8 + 4 * (head % SLOTS), i * i);
      mk.write32(ring, head + 1);
      mk.dbg_puts(`producer: put ${i * i}\n`);
      await mk.notify(CONSUMER);
    }
  },

  async notified(mk, ch) {},
};

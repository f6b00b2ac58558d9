// child: signals the parent, then writes to a page it may only read. The write
// is a VM fault, which the kernel delivers to the parent.

const PARENT_CH = 0;

export const setvars = { shared: 0 };

export default {
  async init(mk) {
    await mk.notify(PARENT_CH);
    mk.write8(setvars.shared, 1); // read-only mapping: faults
  },

  async notified(mk, ch) {},
};

// client: prints a greeting through the serial driver, then waits until the VMM
// tells it that the guest has booted.

const SERIAL_CH = 0; // PPC to serial
const VMM_CH = 2; // notifications from the VMM

export const setvars = { tx_buffer: 0 };

async function print(mk, text) {
  const bytes = new TextEncoder().encode(text);
  bytes.forEach((b, i) => mk.write_u8(setvars.tx_buffer + i, b));
  mk.write_u8(setvars.tx_buffer + bytes.length, 0);
  const reply = await mk.ppcall(SERIAL_CH, mk.msginfo_new(0, 0));
  return mk.msginfo_get_count(reply) === 1 ? Number(mk.mr_get(0)) : 0;
}

export default {
  async init(mk) {
    const n = await print(mk, 'client: hello from a protection domain\n');
    mk.dbg_puts(`client: serial printed ${n} characters\n`);
  },

  async notified(mk, ch) {
    if (ch === VMM_CH) {
      await print(mk, 'client: the guest is running\n');
    }
  },
};

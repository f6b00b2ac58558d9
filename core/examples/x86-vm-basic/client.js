// client: prints a greeting through the serial driver, then waits until the VMM
// tells it that the guest has booted.

const SERIAL_CH = 0; // PPC to serial
const VMM_CH = 2; // notifications from the VMM

export const setvars = { tx_buffer: 0 };

async function print(mk, text) {
  // ASCII text, NUL-terminated, as the C client would strcpy it into the shared page
  for (let i = 0; i < text.length; i++) mk.write8(setvars.tx_buffer + i, text.charCodeAt(i) & 0x7f);
  mk.write8(setvars.tx_buffer + text.length, 0);
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

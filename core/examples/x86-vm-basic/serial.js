// serial: the COM1 driver. It owns I/O ports 0x3f8..0x3ff (ioport id 0) and the
// UART's IRQ (channel 3), and serves two kinds of protected procedure calls:
//   channel 0 (client): print the NUL-terminated string in the shared tx_buffer
//   channel 1 (vmm):    print the single character in message register 0

const COM1_PORT = 0; // ioport id
const COM1 = 0x3f8; // base port
const THR = COM1 + 0; // transmit holding register
const IER = COM1 + 1; // interrupt enable register
const LSR = COM1 + 5; // line status register
const LSR_THRE = 0x20; // bit 5: transmitter holding register empty

const CLIENT_CH = 0;
const VMM_CH = 1;
const UART_IRQ_CH = 3;

// Patched by the tool from `setvar_vaddr="tx_buffer"`.
export const setvars = { tx_buffer: 0 };

// Like a driver for the real 16550: wait until the transmitter holding register is empty,
// then hand it the byte. The bytes appear on the board's serial line (COM1).
async function putc(mk, c) {
  while (((await mk.x86_ioport_read_8(COM1_PORT, LSR)) & LSR_THRE) === 0) {
    // the UART is still sending the previous byte
  }
  await mk.x86_ioport_write_8(COM1_PORT, THR, c);
}

export default {
  async init(mk) {
    await mk.x86_ioport_write_8(COM1_PORT, IER, 0x00); // polled output, no TX interrupts
    mk.dbg_puts(`${mk.name}: COM1 ready\n`);
  },

  async notified(mk, ch) {
    if (ch === UART_IRQ_CH) {
      await mk.irq_ack(ch);
      return;
    }
    mk.dbg_puts(`${mk.name}: unexpected notification on channel ${ch}\n`);
  },

  async protected(mk, ch, msginfo) {
    switch (ch) {
      case CLIENT_CH: {
        let n = 0;
        for (let c = mk.read8(setvars.tx_buffer); c !== 0; c = mk.read8(setvars.tx_buffer + n)) {
          await putc(mk, c);
          n += 1;
        }
        mk.mr_set(0, n);
        return mk.msginfo_new(0, 1);
      }
      case VMM_CH:
        await putc(mk, Number(mk.mr_get(0)) & 0xff);
        return mk.msginfo_new(0, 0);
      default:
        mk.dbg_puts(`${mk.name}: PPC on unknown channel ${ch}\n`);
        return mk.msginfo_new(1, 0);
    }
  },
};

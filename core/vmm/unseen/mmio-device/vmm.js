// vmm: a VMM that adds its own devices, the way a libvmm VMM registers EPT and port handlers:
// - "mailbox" at guest-physical 0xfe000000: +0 a 32-bit scratch register, +4 a counter that
//   counts its reads, +0x10..0x1f a 16-byte buffer, +0x20 a doorbell (a write prints the value);
// - "id port" at I/O port 0x510: reads give 0x4b4d ("MK") one word at a time, writes are logged.

export const setvars = { guest_ram_vaddr: 0 };

let vm;

function mailbox(mk) {
  let scratch = 0;
  let reads = 0;
  const buf = new Uint8Array(16);
  return {
    name: 'mailbox',
    gpa: 0xfe000000,
    size: 0x1000,
    read(off, size) {
      if (off === 0 && size === 4) return scratch;
      if (off === 4) return ++reads;
      if (off >= 0x10 && off + size <= 0x20) {
        let v = 0;
        for (let i = size - 1; i >= 0; i--) v = v * 256 + buf[off - 0x10 + i];
        return v;
      }
      return null;
    },
    write(off, size, value) {
      if (off === 0 && size === 4) { scratch = value >>> 0; return true; }
      if (off >= 0x10 && off + size <= 0x20) {
        for (let i = 0; i < size; i++) buf[off - 0x10 + i] = (value >>> (8 * i)) & 0xff;
        return true;
      }
      if (off === 0x20) { mk.dbg_puts(`vmm: doorbell 0x${value.toString(16)}\n`); return true; }
      return false;
    },
    error: '',
  };
}

function idPort(mk) {
  return {
    name: 'id port',
    base: 0x510,
    size: 2,
    read(port, size) { return size === 2 ? 0x4b4d : size === 1 ? 0x4d : 0x4b4d4b4d; },
    write(port, size, value) { mk.dbg_puts(`vmm: id port <- 0x${value.toString(16)} (${size} bytes)\n`); return true; },
  };
}

export default {
  init(mk) {
    vm = mk.vmm.create({ ram: [{ gpa: 0, size: 0x200000, vaddr: setvars.guest_ram_vaddr }] });
    vm.vmm.registerMmio(mailbox(mk));
    vm.vmm.registerPio(idPort(mk));
    const image = vm.loadImage('guest.asm');
    vm.startLongMode({ rip: image.origin });
    mk.vcpu_x86_on();
  },

  async fault(mk, child, msginfo) {
    const resume = await vm.handleFault();
    if (!resume && vm.vmm.failure) mk.dbg_puts(`vmm: vCPU stopped: ${vm.vmm.failure.message}\n`);
    return resume;
  },
};

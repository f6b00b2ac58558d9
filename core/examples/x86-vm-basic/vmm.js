// vmm: the virtual machine monitor for the guest "guest" (vCPU 0).
// It starts the vCPU in 64-bit mode at the guest image, handles VM exits
// (port I/O to COM1 is forwarded to the serial driver, HLT stops the guest)
// and tells the client once the guest has printed its first line.

const VCPU = 0;
const SERIAL_CH = 1; // PPC to serial: print one character
const CLIENT_CH = 2; // notify: guest is up

const GUEST_ENTRY = 0x1000; // guest.asm is loaded here
const GUEST_RAM_SIZE = 0x200000; // guest_ram in vm_basic.system
const COM1 = 0x3f8;

// VMCS field and exit reasons (Intel SDM Vol. 3, Appendix B and C)
const VMX_GUEST_RIP = 0x681e;
const EXIT_REASON_HLT = 12;
const EXIT_REASON_IO_INSTRUCTION = 30;

// Message registers of a VM exit (libsel4 SEL4_VMENTER_*)
const FAULT_REASON_MR = 3;
const FAULT_QUALIFICATION_MR = 4;
const FAULT_INSTRUCTION_LEN_MR = 5;
const FAULT_EAX_MR = 10;

export const setvars = { guest_ram_vaddr: 0 };

let announced = false;

async function skipInstruction(mk) {
  const rip = Number(await mk.vcpu_x86_read_vmcs(VCPU, VMX_GUEST_RIP));
  const len = Number(mk.mr_get(FAULT_INSTRUCTION_LEN_MR));
  await mk.vcpu_x86_write_vmcs(VCPU, VMX_GUEST_RIP, rip + len);
}

async function handleIo(mk) {
  // Exit qualification for I/O instructions: bits 2:0 size-1, bit 3 direction (1 = IN), bits 31:16 port.
  const qual = Number(mk.mr_get(FAULT_QUALIFICATION_MR));
  const port = (qual >>> 16) & 0xffff;
  const isIn = (qual & 0x8) !== 0;
  if (port === COM1 && !isIn) {
    const c = Number(mk.mr_get(FAULT_EAX_MR)) & 0xff;
    mk.mr_set(0, c);
    await mk.ppcall(SERIAL_CH, mk.msginfo_new(0, 1));
    // once the guest's first line is out (the client's line would otherwise land in the middle of it on COM1)
    if (c === 0x0a && !announced) {
      announced = true;
      await mk.notify(CLIENT_CH);
    }
  }
  // Reads from any emulated port see 0: "no data, transmitter ready" is not modelled.
  await skipInstruction(mk);
  return true;
}

export default {
  async init(mk) {
    // The VMM library (mk.vmm, like libvmm) copies the assembled guest.asm into guest RAM through our own mapping
    // and sets up long mode (page tables, GDT, VMCS) the way libvmm does.
    const vm = mk.vmm.create({ ram: [{ gpa: 0, size: GUEST_RAM_SIZE, vaddr: setvars.guest_ram_vaddr }] });
    vm.loadImage('guest.asm', GUEST_ENTRY);
    vm.startLongMode({ rip: GUEST_ENTRY });
    mk.dbg_puts('vmm: starting guest at 0x1000 in long mode\n');
    mk.vcpu_x86_on();
  },

  async notified(mk, ch) {
    mk.dbg_puts(`vmm: unexpected notification on channel ${ch}\n`);
  },

  async fault(mk, child, msginfo) {
    const reason = Number(mk.mr_get(FAULT_REASON_MR));
    switch (reason) {
      case EXIT_REASON_IO_INSTRUCTION:
        return handleIo(mk);
      case EXIT_REASON_HLT:
        mk.dbg_puts('vmm: guest halted\n');
        return false; // switch the vCPU off
      default:
        mk.dbg_puts(`vmm: unhandled VM exit, reason ${reason}\n`);
        return false;
    }
  },
};

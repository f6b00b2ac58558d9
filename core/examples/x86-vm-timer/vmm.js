// vmm: runs guest.asm with the VMM library (mk.vmm, modelled on libvmm).
// The library emulates the LAPIC, IOAPIC and HPET, the 16550 on COM1, CPUID,
// MSRs and control registers; fault() hands it every VM exit.

const GUEST_RAM_SIZE = 0x200000;

export const setvars = { guest_ram_vaddr: 0 };

let vm;

export default {
  init(mk) {
    vm = mk.vmm.create({ ram: [{ gpa: 0, size: GUEST_RAM_SIZE, vaddr: setvars.guest_ram_vaddr }] });
    const image = vm.loadImage('guest.asm');
    vm.startLongMode({ rip: image.origin });
    mk.dbg_puts(`vmm: guest image of ${image.size} bytes at 0x${image.origin.toString(16)}, starting in long mode\n`);
    mk.vcpu_x86_on();
  },

  // Every VM exit arrives here; true resumes the guest.
  fault(mk, child, msginfo) {
    return vm.handleFault();
  },

  notified(mk, ch) {
    mk.dbg_puts(`vmm: unexpected notification on channel ${ch}\n`);
  },
};

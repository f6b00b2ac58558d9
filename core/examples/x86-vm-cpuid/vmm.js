// vmm: runs guest.asm with the VMM library (mk.vmm, modelled on libvmm): it loads
// the image, starts the vCPU in long mode, and handles every VM exit in fault().

const GUEST_RAM_SIZE = 0x200000;

export const setvars = { guest_ram_vaddr: 0 };

let vm;

export default {
  init(mk) {
    vm = mk.vmm.create({ ram: [{ gpa: 0, size: GUEST_RAM_SIZE, vaddr: setvars.guest_ram_vaddr }] });
    const image = vm.loadImage('guest.asm');
    vm.startLongMode({ rip: image.origin });
    mk.dbg_puts(`vmm: starting the guest at 0x${image.origin.toString(16)} in long mode\n`);
    mk.vcpu_x86_on();
  },

  // Every VM exit arrives here; true resumes the guest, false stops the vCPU.
  async fault(mk, child, msginfo) {
    const resume = await vm.handleFault();
    if (!resume && vm.vmm.failure) mk.dbg_puts(`vmm: vCPU stopped: ${vm.vmm.failure.message}\n`);
    return resume;
  },

  notified(mk, ch) {
    mk.dbg_puts(`vmm: unexpected notification on channel ${ch}\n`);
  },
};

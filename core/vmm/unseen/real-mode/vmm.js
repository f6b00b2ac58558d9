// vmm: starts guest.asm in 16-bit real mode ("unrestricted guest", as libvmm's reset-state start does for
// firmware), with CS = 0 and IP at the image's origin, and hands every VM exit to the VMM library.

export const setvars = { guest_ram_vaddr: 0 };

let vm;

export default {
  init(mk) {
    vm = mk.vmm.create({ ram: [{ gpa: 0, size: 0x200000, vaddr: setvars.guest_ram_vaddr }] });
    const image = vm.loadImage('guest.asm');
    vm.startRealMode({ ip: image.origin });
    mk.vcpu_x86_on();
  },

  async fault(mk, child, msginfo) {
    const resume = await vm.handleFault();
    if (!resume && vm.vmm.failure) mk.dbg_puts(`vmm: vCPU stopped: ${vm.vmm.failure.message}\n`);
    return resume;
  },
};

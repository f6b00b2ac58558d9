// vmm: loads guest.asm, starts it in long mode and hands every VM exit to the VMM library.

export const setvars = { guest_ram_vaddr: 0 };

let vm;

export default {
  init(mk) {
    vm = mk.vmm.create({ ram: [{ gpa: 0, size: 0x200000, vaddr: setvars.guest_ram_vaddr }] });
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

// vmm: runs guest.asm with the VMM library. A notification from the device PD
// arrives in notified() (the guest was running: the kernel took us out of guest
// mode); we inject it into the guest on IOAPIC pin 5 and return, which enters
// the guest again with the interrupt pending.

const DEVICE_CH = 0;
const DEVICE_PIN = 5;
const GUEST_RAM_SIZE = 0x200000;

export const setvars = { guest_ram_vaddr: 0 };

let vm;

export default {
  init(mk) {
    vm = mk.vmm.create({ ram: [{ gpa: 0, size: GUEST_RAM_SIZE, vaddr: setvars.guest_ram_vaddr }] });
    const image = vm.loadImage('guest.asm');
    vm.startLongMode({ rip: image.origin });
    mk.vcpu_x86_on();
  },

  fault(mk, child, msginfo) {
    return vm.handleFault();
  },

  notified(mk, ch) {
    if (ch === DEVICE_CH) vm.injectIrq(DEVICE_PIN);
  },
};

// VMM: like libvmm's x86 "simple" VMM. Before starting the guest it asks the
// timer driver for the time twice (a protected procedure call on channel 10),
// then loads guest.asm and runs it with the VMM library (mk.vmm).

const TIMER_CH = 10;
const GUEST_RAM_SIZE = 0x200000;

export const setvars = { guest_ram_vaddr: 0 };

let vm;

async function timeNow(mk) {
  const reply = await mk.ppcall(TIMER_CH, mk.msginfo_new(0, 0));
  return mk.msginfo_get_count(reply) === 1 ? Number(mk.mr_get(0)) : -1;
}

export default {
  async init(mk) {
    const t0 = await timeNow(mk);
    const t1 = await timeNow(mk);
    mk.dbg_puts(`VMM: timer driver says ${t0} us, then ${t1} us\n`);
    vm = mk.vmm.create({ ram: [{ gpa: 0, size: GUEST_RAM_SIZE, vaddr: setvars.guest_ram_vaddr }] });
    const image = vm.loadImage('guest.asm');
    vm.startLongMode({ rip: image.origin });
    mk.dbg_puts('VMM: starting the guest\n');
    mk.vcpu_x86_on();
  },

  async fault(mk, child, msginfo) {
    return vm.handleFault();
  },

  notified(mk, ch) {
    mk.dbg_puts(`VMM: unexpected notification on channel ${ch}\n`);
  },
};

import { describe, expect, it } from 'vitest';
import { EXIT, PPC_WAIT_IRQ_WINDOW, VMCS } from './constants';
import { Ioapic } from './ioapic';
import { Lapic } from './lapic';
import { longModeGuest } from './testing';
import { GuestTimers } from './timers';

const OUT = 0x8000;

/** A guest with an IDT entry for `vector` → isr, LAPIC on, IOAPIC pin 4 → vector (edge, unmasked), then `body`. */
const guest = (vector: number, body: string) => `bits 64
org 0x1000
    mov rsp, 0x80000
    mov rdi, 0x9000
    mov word [rdi + ${vector * 16}], isr
    mov word [rdi + ${vector * 16 + 2}], 8
    mov word [rdi + ${vector * 16 + 4}], 0x8e00
    lidt [idtr]
    mov rbx, 0xfee00000
    mov dword [rbx + 0xf0], 0x1ff
    mov rbx, 0xfec00000
    mov dword [rbx], 0x18
    mov dword [rbx + 0x10], ${vector}
${body}
isr:
    inc dword [${OUT}]
    mov rax, 0xfee00000
    mov dword [rax + 0xb0], 0
    iretq
idtr: dw 0xfff
      dq 0x9000
`;

describe('interrupt injection', () => {
  it('an IRQ raised while the guest has interrupts off waits for the interrupt window, then is delivered once', () => {
    const vm = longModeGuest(guest(0x41, `
    cli
    mov dx, 0x80
    out dx, al              ; exit: the VMM raises IOAPIC pin 4 here
    mov ecx, 1000
.spin:
    dec ecx
    jnz .spin
    mov eax, [${OUT}]
    mov [${OUT + 4}], eax   ; still 0: interrupts are off
    sti
    nop
    cli
    hlt
`));
    vm.vmm.registerPio({
      name: 'irq trigger', base: 0x80, size: 1, read: () => 0,
      write: () => { vm.vmm.injectIrq(4); return true; },
    });
    vm.vmm.tracing = true;
    expect(vm.run()).toBe('halted');
    expect(vm.memory.readU32(OUT + 4)).toBe(0);
    expect(vm.memory.readU32(OUT)).toBe(1);
    expect(vm.vmm.counts[EXIT.INTERRUPT_WINDOW]).toBe(1);
    expect(vm.vmm.trace.find((r) => r.reason === EXIT.INTERRUPT_WINDOW)?.outcome).toBe('injected vector 65');
    expect(vm.vmm.lapic.delivered[0x41]).toBe(1);
  });

  it('IOAPIC: a masked pin drops the interrupt; a level pin holds Remote-IRR until EOI and is re-delivered while high', () => {
    const injected: number[] = [];
    const port = { interruptible: () => true, injectionPending: () => false, inject: (v: number) => injected.push(v), setWindow: () => {} };
    const timers = new GuestTimers();
    const lapic = new Lapic(port, timers, () => 0);
    const io = new Ioapic(lapic);
    lapic.write(0xf0, 4, 0x1ff);
    io.write(0, 4, 0x18);
    io.write(0x10, 4, 0x42 | (1 << 16)); // masked
    expect(io.pulse(4)).toBe(true);
    expect(injected).toEqual([]);
    let acks = 0;
    io.ackCallbacks.set(4, () => acks++);
    io.write(0x10, 4, 0x42 | (1 << 15)); // unmask, level: the ack callback runs
    expect(acks).toBe(1);
    io.assert(4);
    expect(injected).toEqual([0x42]);
    expect(io.read(0x10, 4)! & (1 << 14)).not.toBe(0); // Remote-IRR
    io.assert(4); // already pending: nothing new
    expect(injected).toEqual([0x42]);
    lapic.write(0xb0, 4, 0); // EOI while the line is still high: delivered again
    expect(injected).toEqual([0x42, 0x42]);
    io.deassert(4);
    lapic.write(0xb0, 4, 0);
    expect(injected).toEqual([0x42, 0x42]);
    expect(io.read(0x10, 4)! & (1 << 14)).toBe(0);
    expect(acks).toBe(3);
    // version register: 24 pins
    io.write(0, 4, 1);
    expect(io.read(0x10, 4)).toBe(0x170011);
  });

  it('outside an exit, injection goes to the VMCS: interrupt-window exiting when the guest cannot take it', () => {
    const vm = longModeGuest(guest(0x43, '    cli\n    hlt\n'));
    vm.run({ maxExits: 20 });
    vm.backend.writeVmcs(VMCS.GUEST_RFLAGS, 0x2);
    vm.vmm.injectIrq(4);
    expect((vm.backend.readVmcs(VMCS.PRIMARY_PROCESSOR_CONTROLS) & PPC_WAIT_IRQ_WINDOW) >>> 0).toBe(PPC_WAIT_IRQ_WINDOW);
  });
});

describe('LAPIC timer and HPET', () => {
  it('a one-shot LAPIC timer fires once through the preemption timer', () => {
    const vm = longModeGuest(guest(0x44, `
    mov rbx, 0xfee00000
    mov dword [rbx + 0x3e0], 0x3            ; divide by 16
    mov dword [rbx + 0x320], 0x44           ; one-shot, vector 0x44
    mov dword [rbx + 0x380], 1000
    sti
    hlt
    mov eax, [rbx + 0x390]                  ; current count: 0 after expiry
    mov [${OUT + 8}], eax
    cli
    hlt
`));
    expect(vm.run()).toBe('halted');
    expect(vm.memory.readU32(OUT)).toBe(1);
    expect(vm.memory.readU32(OUT + 8)).toBe(0);
    expect(vm.vmm.counts[EXIT.PREEMPTION_TIMER]).toBe(1);
    expect(vm.instructions).toBeGreaterThanOrEqual(16000);
  });

  it('the HPET counts at 10 MHz of guest TSC and comparator 0 in legacy mode raises IOAPIC pin 2', () => {
    const vm = longModeGuest(guest(0x45, `
    mov rbx, 0xfec00000
    mov dword [rbx], 0x10 + 2 * 2
    mov dword [rbx + 0x10], 0x45            ; pin 2 -> vector 0x45
    mov rbx, 0xfed00000
    mov dword [rbx + 0x108], 500            ; comparator 0
    mov dword [rbx + 0x100], 1 << 2         ; timer 0 enabled (edge)
    mov dword [rbx + 0x10], 3               ; enable, legacy replacement
    sti
    hlt
    mov eax, [rbx + 0xf0]
    mov [${OUT + 8}], eax
    cli
    hlt
`));
    expect(vm.run()).toBe('halted');
    expect(vm.memory.readU32(OUT)).toBe(1);
    expect(vm.memory.readU32(OUT + 8)).toBeGreaterThanOrEqual(500);
    expect(vm.vmm.counts[EXIT.PREEMPTION_TIMER]).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { longModeGuest } from './testing';

describe('port I/O exits', () => {
  it('a 64-bit guest prints through the emulated 16550 and halts', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    mov rsi, msg
    mov dx, 0x3f8
.next:
    mov al, [rsi]
    test al, al
    jz .done
    out dx, al
    inc rsi
    jmp .next
.done:
    cli
    hlt
msg: db "hello from the guest", 10, 0
`);
    expect(vm.run()).toBe('halted');
    expect(vm.vmm.console).toBe('hello from the guest\n');
    expect(vm.vmm.exitCounts()).toEqual({ 'I/O instruction': 21, HLT: 1 });
  });
});

; guest.asm: load an IDT with no entries, then execute an invalid opcode.
; #UD cannot be delivered (#GP), neither can #GP (#DF), nor #DF: the processor
; shuts down, which in VMX non-root operation is a "triple fault" VM exit.

bits 64
org 0x1000

start:
    mov rsi, message
    mov dx, 0x3f8
.next:
    lodsb
    test al, al
    jz .fault
    out dx, al
    jmp .next
.fault:
    lidt [empty_idt]
    ud2

empty_idt:
    dw 0                    ; limit 0: no vector is usable
    dq 0
message:
    db "guest: loading an empty IDT, then UD2", 10, 0

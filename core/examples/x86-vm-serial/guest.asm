; guest.asm: a 64-bit guest (started in long mode by the VMM) that prints a
; greeting on COM1 and halts. Each OUT exits to the VMM.

bits 64
org 0x1000

start:
    mov rsi, message
    mov dx, 0x3f8           ; COM1 transmit holding register
.next:
    lodsb
    test al, al
    jz .done
    out dx, al
    jmp .next
.done:
    cli
    hlt                     ; halt for good: the VMM switches the vCPU off

message:
    db "Hello from a 64-bit guest on seL4!", 10, 0

; guest.asm: a tiny 64-bit guest. The VMM starts it in long mode at 0x1000.
; It writes a line to COM1 one byte at a time (each OUT is a VM exit that the
; VMM forwards to the serial driver) and then halts.

bits 64
org 0x1000

start:
    mov rsi, message
    mov dx, 0x3f8           ; COM1 transmit holding register
.next:
    mov al, [rsi]
    test al, al
    jz .done
    out dx, al
    inc rsi
    jmp .next
.done:
    hlt
    jmp .done

message:
    db "guest: hello from the VM", 10, 0

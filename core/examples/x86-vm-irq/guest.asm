; guest.asm: route IOAPIC pin 5 to vector 0x35, enable interrupts and spin
; (no HLT: the guest keeps running until the VMM is pulled out by a
; notification). Count three interrupts, then report and halt.

bits 64
org 0x1000

start:
    mov rsp, 0x80000
    mov rdi, 0x9000
    mov word [rdi + 0x35 * 16], isr
    mov word [rdi + 0x35 * 16 + 2], 8
    mov word [rdi + 0x35 * 16 + 4], 0x8e00
    lidt [idtr]
    mov rbx, 0xfee00000
    mov dword [rbx + 0xf0], 0x1ff               ; LAPIC software enable
    mov rbx, 0xfec00000
    mov dword [rbx], 0x10 + 2 * 5               ; IOAPIC redirection entry 5
    mov dword [rbx + 0x10], 0x35                ; vector 0x35, edge, unmasked
    mov rsi, waiting
    call puts
    sti
.spin:
    pause
    cmp dword [count], 3
    jb .spin
    cli
    mov rsi, done
    call puts
    hlt

isr:
    push rax
    push rdx
    inc dword [count]
    mov dx, 0x3f8
    mov al, '!'
    out dx, al
    mov rax, 0xfee00000
    mov dword [rax + 0xb0], 0                   ; EOI
    pop rdx
    pop rax
    iretq

puts:
    mov dx, 0x3f8
.next:
    lodsb
    test al, al
    jz .out
    out dx, al
    jmp .next
.out:
    ret

idtr:    dw 0xfff
         dq 0x9000
count:   dd 0
waiting: db "guest: waiting for device interrupts", 10, 0
done:    db 10, "guest: got 3 device interrupts", 10, 0

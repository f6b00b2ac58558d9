; spin-forever: a guest says hello and then spins in a tight loop with interrupts off. The loop never
; exits to the VMM, so only the kernel's time slices (and the run's event limit) stop it; nothing may
; hang.

bits 64
org 0x1000

COM1 equ 0x3f8

start:
    mov rsp, 0x80000
    mov rsi, s_hello
    call puts
    cli
    xor eax, eax
.spin:
    inc rax
    jmp .spin

s_hello: db "spinning forever now", 10, 0

; ---- console helpers (COM1) ----
; eax as 8 hex digits
hex32:
    push rcx
    push rdx
    push rbx
    push rax
    mov dx, COM1
    mov ecx, 8
.digit:
    rol eax, 4
    mov ebx, eax
    and ebx, 0xf
    push rax
    mov al, [hexdigits + rbx]
    out dx, al
    pop rax
    dec ecx
    jnz .digit
    pop rax
    pop rbx
    pop rdx
    pop rcx
    ret

newline:
    push rax
    push rdx
    mov dx, COM1
    mov al, 10
    out dx, al
    pop rdx
    pop rax
    ret

; rsi = NUL-terminated string
puts:
    push rax
    push rdx
    push rsi
    mov dx, COM1
.next:
    lodsb
    test al, al
    jz .out
    out dx, al
    jmp .next
.out:
    pop rsi
    pop rdx
    pop rax
    ret

hexdigits:  db "0123456789abcdef"

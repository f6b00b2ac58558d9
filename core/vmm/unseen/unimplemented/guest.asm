; unimplemented: a guest tries instructions a real CPU has but this one does not model (x87 FLD1, SSE
; MOVAPS, CMPXCHG16B, a far indirect JMP) and bytes that are no instruction at all. Each must arrive
; in the guest as #UD at the right RIP (its own handler prints the address and the bytes there and
; skips the instruction); then, with the IDT gone, one more #UD shuts the guest down (triple fault).

bits 64
org 0x1000

COM1 equ 0x3f8
IDT  equ 0x9000

start:
    mov rsp, 0x80000
    mov rax, ud_handler
    mov [IDT + 6 * 16], ax
    mov word [IDT + 6 * 16 + 2], 8
    mov word [IDT + 6 * 16 + 4], 0x8e00
    lidt [idtr]

    mov byte [skip], 2
u_fld1:
    db 0xd9, 0xe8                   ; fld1
    mov byte [skip], 3
u_movaps:
    db 0x0f, 0x28, 0xc1             ; movaps xmm0, xmm1
    mov byte [skip], 4
u_cmpxchg16b:
    db 0x48, 0x0f, 0xc7, 0x0e       ; cmpxchg16b [rsi]
    mov byte [skip], 2
u_jmpfar:
    db 0xff, 0x28                   ; jmp far [rax]
    mov byte [skip], 2
u_ud2:
    db 0x0f, 0x0b                   ; ud2 (the architectural one)
    mov byte [skip], 2
u_ud0:
    db 0x0f, 0xff                   ; ud0 without its ModRM: not an instruction
    mov rsi, s_count
    call puts
    movzx eax, byte [count]
    call hex32
    call newline
    lidt [no_idt]
u_last:
    db 0xd9, 0xe8                   ; fld1 again: #UD cannot be delivered

; #UD: print RIP and the 4 bytes there, skip [skip] bytes
ud_handler:
    push rax
    push rsi
    push rbx
    inc byte [count]
    mov rsi, s_ud
    call puts
    mov rbx, [rsp + 24]
    mov eax, ebx
    call hex32
    mov rsi, s_bytes
    call puts
    mov eax, [rbx]
    bswap eax
    call hex32
    call newline
    movzx eax, byte [skip]
    add [rsp + 24], rax
    pop rbx
    pop rsi
    pop rax
    iretq

idtr:     dw 0xfff
          dq IDT
no_idt:   dw 0
          dq 0
skip:     db 0
count:    db 0
s_ud:     db "#UD at ", 0
s_bytes:  db " bytes ", 0
s_count:  db "#UD count ", 0

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

; kernel-at-1mib: a guest linked at 1 MiB, where x86 kernels traditionally load. The VMM must not build its
; own page tables on top of it (it used to, and the guest triple-faulted on its first instruction). It reads
; CR3 to show where the VMM put them, and checks its own last byte is still what the image had.

bits 64
org 0x100000

COM1 equ 0x3f8

start:
    mov rsp, 0x80000
    mov rsi, s_hi
    call puts
    mov rax, cr3
    mov rsi, s_cr3
    call puts
    call hex32
    call newline
    mov rsi, s_tail
    call puts
    movzx eax, byte [last_byte]
    call hex32
    call newline
    cli
    hlt

s_hi:    db "loaded at 1 MiB", 10, 0
s_cr3:   db "page tables at ", 0
s_tail:  db "last image byte ", 0

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

last_byte: db 0x5a

; pci-scan: what an OS does first on a PC: scan PCI bus 0 through configuration mechanism #1 (0xCF8 / 0xCFC,
; dword and word accesses, the word one at 0xCFE), print vendor:device and class of each function 0 found,
; then read the HPET's 64-bit capabilities register (two 4-byte device accesses) and the LAPIC version.
bits 64
org 0x1000
COM1 equ 0x3f8
start:
    mov rsp, 0x80000
    xor ebp, ebp                 ; device number
.dev:
    mov eax, ebp
    shl eax, 11
    or eax, 0x80000000
    mov dx, 0xcf8
    out dx, eax
    mov dx, 0xcfc
    in eax, dx
    cmp eax, 0xffffffff
    je .next
    push rax
    mov eax, ebp
    call hex32
    mov al, ':'
    mov dx, COM1
    out dx, al
    pop rax
    call hex32
    ; class code at 0x08
    mov eax, ebp
    shl eax, 11
    or eax, 0x80000008
    mov dx, 0xcf8
    out dx, eax
    mov dx, 0xcfe                ; byte 2..3 of register 8: subclass, class
    in ax, dx
    push rax
    mov al, ' '
    mov dx, COM1
    out dx, al
    pop rax
    call hex32
    call newline
.next:
    inc ebp
    cmp ebp, 32
    jne .dev
    ; HPET capabilities (64-bit read) and the LAPIC version
    mov rbx, 0xfed00000
    mov rax, [rbx]
    mov rcx, rax
    shr rax, 32
    call hex32
    mov eax, ecx
    call hex32
    call newline
    mov rbx, 0xfee00000
    mov eax, [rbx + 0x30]
    call hex32
    call newline
    cli
    hlt

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

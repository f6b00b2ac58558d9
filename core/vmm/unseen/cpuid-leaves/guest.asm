; cpuid-leaves: a guest walks the CPUID leaves a kernel asks about at boot (7, 0xB, 0xD, the extended
; range, the hypervisor range and one nobody knows), toggles CR4.OSXSAVE to see CPUID.1 follow it,
; then tries XSETBV with seL4's feature set and with AVX (#GP(0), caught by its own IDT).

bits 64
org 0x1000

COM1 equ 0x3f8
IDT  equ 0x9000

start:
    mov rsp, 0x80000
    mov rdi, IDT
    mov word [rdi + 13 * 16], gp_handler
    mov word [rdi + 13 * 16 + 2], 8
    mov word [rdi + 13 * 16 + 4], 0x8e00
    lidt [idtr]

    mov rbp, leaves
.leaf:
    mov eax, [rbp]
    cmp eax, 0xffffffff
    je .leaves_done
    mov ecx, [rbp + 4]
    push rax
    mov rsi, s_leaf
    call puts
    call hex32
    mov rsi, s_dot
    call puts
    mov eax, ecx
    call hex32
    mov rsi, s_colon
    call puts
    pop rax
    cpuid
    call hex32
    mov eax, ebx
    call space_hex
    mov eax, ecx
    call space_hex
    mov eax, edx
    call space_hex
    call newline
    add rbp, 8
    jmp .leaf
.leaves_done:

    ; CPUID.1:ECX.OSXSAVE (bit 27) mirrors CR4.OSXSAVE (on at libvmm's start): off, then on again
    mov rax, cr4
    btr eax, 18
    mov cr4, rax
    call osxsave_bit
    mov rax, cr4
    bts eax, 18
    mov cr4, rax
    call osxsave_bit

    mov rsi, s_xsetbv3
    call puts
    xor ecx, ecx
    xor edx, edx
    mov eax, 3
    call try_xsetbv
    mov rsi, s_xsetbv7
    call puts
    xor ecx, ecx
    xor edx, edx
    mov eax, 7
    call try_xsetbv
    mov rsi, s_done
    call puts
    cli
    hlt

osxsave_bit:
    mov eax, 1
    cpuid
    mov rsi, s_osx0
    bt ecx, 27
    jnc .p
    mov rsi, s_osx1
.p:
    jmp puts

try_xsetbv:
    mov byte [faulted], 0
    xsetbv
    mov rsi, s_ok
    cmp byte [faulted], 0
    je .p
    mov rsi, s_gp
.p:
    jmp puts

space_hex:
    push rsi
    mov rsi, s_sp
    call puts
    pop rsi
    jmp hex32

gp_handler:
    add rsp, 8              ; error code
    mov byte [faulted], 1
    add qword [rsp], 3      ; skip the 3-byte XSETBV
    iretq

idtr:       dw 0xfff
            dq IDT
faulted:    db 0
leaves:     dd 7, 0, 7, 1, 0xb, 3, 0xd, 0, 0xd, 1, 0x15, 0, 0x16, 0
            dd 0x40000000, 0, 0x80000000, 0, 0x80000001, 0, 0x80000008, 0, 0x20, 0, 0xffffffff, 0
s_leaf:     db "leaf ", 0
s_dot:      db ".", 0
s_colon:    db ": ", 0
s_sp:       db " ", 0
s_osx0:     db "OSXSAVE 0", 10, 0
s_osx1:     db "OSXSAVE 1", 10, 0
s_xsetbv3:  db "xsetbv 3: ", 0
s_xsetbv7:  db "xsetbv 7: ", 0
s_ok:       db "ok", 10, 0
s_gp:       db "#GP", 10, 0
s_done:     db "done", 10, 0

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

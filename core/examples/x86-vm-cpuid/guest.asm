; guest.asm: ask CPUID and RDMSR about the machine and print what comes back.
; Every CPUID and RDMSR is a VM exit; the VMM library answers with libvmm's
; values. An MSR nobody emulates gets #GP(0), which our handler reports.

bits 64
org 0x1000

IDT equ 0x9000
COM1 equ 0x3f8

start:
    mov rsp, 0x80000
    ; #GP handler (vector 13) in a small IDT
    mov rdi, IDT
    mov word [rdi + 13 * 16], gp_handler
    mov word [rdi + 13 * 16 + 2], 8
    mov word [rdi + 13 * 16 + 4], 0x8e00
    lidt [idtr]

    ; vendor string: CPUID.0 EBX, EDX, ECX
    xor eax, eax
    cpuid
    mov [vendor], ebx
    mov [vendor + 4], edx
    mov [vendor + 8], ecx
    mov rsi, s_vendor
    call puts
    mov rsi, vendor
    call puts
    call newline

    mov eax, 1
    cpuid
    mov rsi, s_leaf1
    call puts
    call hex32
    call newline

    ; brand string: CPUID 0x80000002..4
    mov edi, brand
    mov ebp, 0x80000002
.brand:
    mov eax, ebp
    cpuid
    mov [rdi], eax
    mov [rdi + 4], ebx
    mov [rdi + 8], ecx
    mov [rdi + 12], edx
    add edi, 16
    inc ebp
    cmp ebp, 0x80000005
    jne .brand
    mov rsi, s_brand
    call puts
    mov rsi, brand
    call puts
    call newline

    mov ecx, 0x1b
    mov rsi, s_apic
    call show_msr
    mov ecx, 0xfe
    mov rsi, s_mtrrcap
    call show_msr
    mov ecx, 0xc0000080
    mov rsi, s_efer
    call show_msr
    mov ecx, 0x12345        ; not emulated: #GP(0)
    mov rsi, s_bogus
    call show_msr

    cli
    hlt

; rsi = label, ecx = MSR
show_msr:
    call puts
    mov byte [faulted], 0
    rdmsr
    cmp byte [faulted], 0
    jne .gp
    call hex32
    jmp newline
.gp:
    mov rsi, s_gp
    call puts
    jmp newline

gp_handler:
    add rsp, 8              ; error code
    mov byte [faulted], 1
    add qword [rsp], 2      ; skip the 2-byte RDMSR
    iretq

; eax as 8 hex digits
hex32:
    push rcx
    push rdx
    push rbx
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
    pop rbx
    pop rdx
    pop rcx
    ret

newline:
    push rsi
    mov rsi, s_nl
    call puts
    pop rsi
    ret

; rsi = NUL-terminated string
puts:
    push rax
    push rdx
    mov dx, COM1
.next:
    lodsb
    test al, al
    jz .out
    out dx, al
    jmp .next
.out:
    pop rdx
    pop rax
    ret

idtr:       dw 0xfff
            dq IDT
faulted:    db 0
hexdigits:  db "0123456789abcdef"
vendor:     times 13 db 0
brand:      times 49 db 0
s_vendor:   db "vendor:    ", 0
s_leaf1:    db "CPUID.1:   eax=", 0
s_brand:    db "brand:     ", 0
s_apic:     db "APIC_BASE: ", 0
s_mtrrcap:  db "MTRRCAP:   ", 0
s_efer:     db "EFER:      ", 0
s_bogus:    db "MSR 12345: ", 0
s_gp:       db "#GP(0)", 0
s_nl:       db 10, 0

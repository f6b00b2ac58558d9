; syscall-setup: a guest kernel sets up SYSCALL as Linux does at boot: EFER.SCE (RDMSR/WRMSR of EFER,
; which the VMM keeps in the VMCS), STAR, LSTAR and FMASK (which the VMM passes to seL4's VCPU MSR
; calls). SYSCALL must then enter at LSTAR with the return address in RCX and RFLAGS in R11.
bits 64
org 0x1000
COM1 equ 0x3f8
start:
    mov rsp, 0x80000
    mov ecx, 0xc0000080
    rdmsr
    or eax, 1                ; SCE
    wrmsr
    mov ecx, 0xc0000081
    xor eax, eax
    mov edx, 0x00000008      ; SYSCALL CS = 8, SS = 16
    wrmsr
    mov ecx, 0xc0000082
    mov eax, entry
    xor edx, edx
    wrmsr
    mov ecx, 0xc0000084
    mov eax, 0x200
    xor edx, edx
    wrmsr
    mov eax, 7
    syscall                  ; no exit: the CPU uses the MSRs the VMM wrote
back:
    mov rsi, s_back
    call puts
    mov rax, r11
    call hex32
    call newline
    cli
    hlt
entry:
    mov rsi, s_in
    call puts
    mov rax, rcx
    call hex32
    call newline
    jmp rcx
s_in: db "in the syscall entry, return to ", 0
s_back: db "back, r11 (rflags) = ", 0

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

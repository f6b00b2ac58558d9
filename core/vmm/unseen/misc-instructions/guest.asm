; misc-instructions: the instructions a kernel's early boot sprinkles around and that may or may not
; exit: RDTSC (twice, it must move), PAUSE, INVLPG, WBINVD, RDTSCP (libvmm leaves "enable RDTSCP" off
; and CPUID does not offer it: #UD), RDRAND (CPUID.1:ECX bit 30 says it is there), then VMCALL to
; ask the hypervisor for something. A #UD handler reports any instruction the CPU refuses, with its
; address and first bytes, and skips it.

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

    rdtsc
    mov ebx, eax
    pause
    pause
    rdtsc
    sub eax, ebx
    mov rsi, s_tsc
    call puts
    call hex32
    call newline

    invlpg [0x200000]
    wbinvd
    mov rsi, s_inv
    call puts

    mov byte [skip], 3
    mov ecx, 0xffffffff         ; stays if RDTSCP does not run
at_rdtscp:
    rdtscp
    mov rsi, s_rdtscp
    call puts
    mov eax, ecx                ; TSC_AUX
    call hex32
    call newline

    mov eax, 1
    cpuid
    mov eax, ecx
    shr eax, 30
    and eax, 1
    mov rsi, s_has_rdrand
    call puts
    call hex32
    call newline
    mov byte [skip], 3
    xor eax, eax
    rdrand eax
    setc bl
    mov rsi, s_rdrand
    call puts
    movzx eax, bl
    call hex32
    call newline

    mov rsi, s_vmcall
    call puts
    mov eax, 0x1234             ; a hypercall number
at_vmcall:
    vmcall
    mov rsi, s_after
    call puts
    cli
    hlt

; #UD: print RIP and the first 3 bytes there, skip [skip] bytes
ud_handler:
    push rax
    push rsi
    push rbx
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

idtr:          dw 0xfff
               dq IDT
skip:          db 0
s_tsc:         db "TSC delta:      ", 0
s_inv:         db "INVLPG and WBINVD ran", 10, 0
s_rdtscp:      db "RDTSCP aux:     ", 0
s_has_rdrand:  db "CPUID RDRAND:   ", 0
s_rdrand:      db "RDRAND CF:      ", 0
s_ud:          db "#UD at ", 0
s_bytes:       db " bytes ", 0
s_vmcall:      db "VMCALL 0x1234", 10, 0
s_after:       db "back from VMCALL", 10, 0

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

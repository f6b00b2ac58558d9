; msr-roundtrip: a guest sets up SYSCALL the way a kernel does (STAR, LSTAR, FMASK), reads them back,
; reads the TSC MSR twice, writes and reads an MTRR, and tries MSRs the VMM refuses: an unknown one
; (RDMSR and WRMSR) and APIC_BASE with x2APIC enabled. Each refusal is #GP(0) in its own IDT.

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

    ; LSTAR = 0xffffffff81000000 (a kernel's syscall entry), read back both halves
    mov ecx, 0xc0000082
    mov eax, 0x81000000
    mov edx, 0xffffffff
    call do_wrmsr
    mov rsi, s_lstar
    call do_rdmsr
    ; STAR: kernel CS 0x10 in 47:32, user CS base 0x1b in 63:48
    mov ecx, 0xc0000081
    xor eax, eax
    mov edx, 0x001b0010
    call do_wrmsr
    mov rsi, s_star
    call do_rdmsr
    ; variable MTRR 0 base (software state in the VMM)
    mov ecx, 0x200
    mov eax, 0x00000006
    mov edx, 0x1
    call do_wrmsr
    mov rsi, s_mtrr
    call do_rdmsr
    ; TSC read twice: it must move forward
    mov ecx, 0x10
    rdmsr
    mov ebx, eax
    mov ecx, 0x10
    rdmsr
    mov rsi, s_tsc
    call puts
    sub eax, ebx
    mov rsi, s_forward
    jg .tsc_ok
    mov rsi, s_backward
.tsc_ok:
    call puts
    ; refused: an unknown MSR both ways, x2APIC enable
    mov rsi, s_unknown_rd
    mov ecx, 0xc0011029
    call do_rdmsr
    mov rsi, s_unknown_wr
    call puts
    mov ecx, 0xc0011029
    xor eax, eax
    xor edx, edx
    call do_wrmsr
    call result
    mov rsi, s_x2apic
    call puts
    mov ecx, 0x1b
    mov eax, 0xfee00000 | 0x800 | 0x400
    xor edx, edx
    call do_wrmsr
    call result
    mov rsi, s_gps
    call puts
    movzx eax, byte [gp_count]
    call hex32
    call newline
    cli
    hlt

do_wrmsr:
    mov byte [faulted], 0
    wrmsr
    ret

; rsi = label, ecx = MSR: prints EDX:EAX or #GP
do_rdmsr:
    call puts
    mov byte [faulted], 0
    rdmsr
    cmp byte [faulted], 0
    jne result
    push rax
    mov eax, edx
    call hex32
    pop rax
    call hex32
    jmp newline

result:
    mov rsi, s_ok
    cmp byte [faulted], 0
    je .p
    mov rsi, s_gp
.p:
    jmp puts

gp_handler:
    add rsp, 8              ; error code
    mov byte [faulted], 1
    inc byte [gp_count]
    add qword [rsp], 2      ; RDMSR and WRMSR are 2 bytes
    iretq

idtr:         dw 0xfff
              dq IDT
faulted:      db 0
gp_count:     db 0
s_lstar:      db "LSTAR:      ", 0
s_star:       db "STAR:       ", 0
s_mtrr:       db "MTRRBASE0:  ", 0
s_tsc:        db "TSC:        ", 0
s_forward:    db "moves forward", 10, 0
s_backward:   db "does not move", 10, 0
s_unknown_rd: db "rd c0011029: ", 0
s_unknown_wr: db "wr c0011029: ", 0
s_x2apic:     db "x2APIC on:  ", 0
s_gps:        db "#GP count:  ", 0
s_ok:         db "ok", 10, 0
s_gp:         db "#GP", 10, 0

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

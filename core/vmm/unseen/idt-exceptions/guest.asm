; idt-exceptions: a guest with its own IDT raises and handles #DE (divide by zero), #BP (INT3), #UD
; (UD2), #GP (a non-canonical address) and #PF (an address above the VMM's 4 GiB of identity page
; tables). None of these is a VM exit: the CPU delivers them inside the guest. Each handler prints the
; vector, the error code and (for #PF) CR2, then resumes past the faulting instruction.

bits 64
org 0x1000

COM1 equ 0x3f8
IDT  equ 0x9000


start:
    mov rsp, 0x80000
    ; fill the gates from a (vector, handler) table
    mov rsi, gates
.gate:
    movzx ecx, byte [rsi]
    cmp cl, 0xff
    je .gates_done
    shl ecx, 4
    mov eax, [rsi + 1]
    mov [IDT + rcx], ax
    mov word [IDT + rcx + 2], 8
    mov word [IDT + rcx + 4], 0x8e00
    shr eax, 16
    mov [IDT + rcx + 6], ax
    add rsi, 5
    jmp .gate
.gates_done:
    lidt [idtr]

    mov eax, 10
    xor ecx, ecx
    xor edx, edx
    div ecx                     ; #DE (2 bytes)
    int3                        ; #BP: a trap, RIP already past it
    ud2                         ; #UD (2 bytes)
    mov rbx, 0x0000800000000000
    mov rax, [rbx]              ; #GP(0): non-canonical (3 bytes)
    mov rbx, 0x0000000100000000
    mov eax, [rbx]              ; #PF: not present, read (2 bytes)
    mov rsi, s_done
    call puts
    cli
    hlt

de_handler:
    mov rsi, s_de
    call puts
    add qword [rsp], 2
    iretq

bp_handler:
    mov rsi, s_bp
    call puts
    iretq

ud_handler:
    mov rsi, s_ud
    call puts
    add qword [rsp], 2
    iretq

gp_handler:
    mov rsi, s_gp
    call puts
    mov eax, [rsp]
    call hex32
    call newline
    add rsp, 8
    add qword [rsp], 3
    iretq

pf_handler:
    mov rsi, s_pf
    call puts
    mov eax, [rsp]
    call hex32
    mov rsi, s_cr2
    call puts
    mov rax, cr2
    shr rax, 32
    call hex32
    mov rax, cr2
    call hex32
    call newline
    add rsp, 8
    add qword [rsp], 2
    iretq

gates:   db 0
         dd de_handler
         db 3
         dd bp_handler
         db 6
         dd ud_handler
         db 13
         dd gp_handler
         db 14
         dd pf_handler
         db 0xff
idtr:    dw 0xfff
         dq IDT
s_de:    db "#DE", 10, 0
s_bp:    db "#BP", 10, 0
s_ud:    db "#UD", 10, 0
s_gp:    db "#GP error ", 0
s_pf:    db "#PF error ", 0
s_cr2:   db " cr2 ", 0
s_done:  db "all five handled", 10, 0

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

; triple-fault-stack: a guest with a complete IDT (#BP, #PF and #DF handlers) points its stack at an
; address no page table maps and executes INT3. Pushing the #BP frame faults (#PF), pushing the #PF
; frame faults again (#DF), and pushing the #DF frame faults a third time: the CPU shuts down, which
; in VMX non-root operation is a triple-fault VM exit. None of the handlers ever runs.

bits 64
org 0x1000

COM1 equ 0x3f8
IDT  equ 0x9000

start:
    mov rsp, 0x80000
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
    mov word [IDT + rcx + 6], 0
    add rsi, 5
    jmp .gate
.gates_done:
    lidt [idtr]
    mov rsi, s_go
    call puts
    mov rsp, 0x0000000100001000     ; just above the 4 GiB the VMM's page tables map
at_int3:
    int3

handler:
    mov rsp, 0x80000
    mov rsi, s_handler
    call puts
    cli
    hlt

idtr:       dw 0xfff
            dq IDT
gates:      db 3
            dd handler
            db 8
            dd handler
            db 14
            dd handler
            db 0xff
s_go:       db "stack at 0x100001000, INT3", 10, 0
s_handler:  db "a handler ran", 10, 0

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

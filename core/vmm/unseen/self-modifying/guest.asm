; self-modifying: a guest runs a small function in a loop, patches its immediate operand between
; calls (the CPU must notice the write to code it already decoded and ran often enough to compile),
; then copies a routine to another page with REP MOVSB and calls the copy.

bits 64
org 0x1000

COM1 equ 0x3f8
COPY equ 0x30000

start:
    mov rsp, 0x80000
    ; warm up: call get_value 200 times (hot enough to be compiled)
    mov ecx, 200
.warm:
    call get_value
    dec ecx
    jnz .warm
    mov rsi, s_before
    call puts
    call hex32
    call newline
    ; patch the imm32 of "mov eax, imm32" (opcode B8 at get_value, immediate at +1)
    mov dword [get_value + 1], 0x0badf00d
    call get_value
    mov rsi, s_after
    call puts
    call hex32
    call newline
    ; patch inside a compiled loop: the loop body rewrites its own increment from 1 to 2
    xor eax, eax
    mov ecx, 1000
.loop:
    add eax, 1
    cmp ecx, 500
    jne .same
    mov byte [.loop + 2], 2         ; "add eax, 1" is 83 C0 01: the immediate byte at +2
.same:
    dec ecx
    jnz .loop
    mov rsi, s_loop
    call puts
    call hex32
    call newline
    ; copy a routine elsewhere and call it there
    mov rsi, routine
    mov rdi, COPY
    mov ecx, routine_end - routine
    rep movsb
    mov rax, COPY
    call rax
    mov rsi, s_copy
    call puts
    call hex32
    call newline
    cli
    hlt

get_value:
    mov eax, 0x11111111
    ret

routine:
    lea rax, [rel routine]          ; position-independent: where am I running?
    ret
routine_end:

s_before: db "before patch: ", 0
s_after:  db "after patch:  ", 0
s_loop:   db "loop sum:     ", 0
s_copy:   db "copy ran at:  ", 0

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

; mmio-device: a guest drives the devices its VMM registered (see vmm.js): MMIO with many instruction
; forms (MOV, MOVZX, read-modify-write ADD and OR, XCHG, TEST, REP STOSB and REP MOVSB into the device
; buffer, LODSD and an 8-byte MOV back out), port I/O with IN/OUT of each width and REP INSW, and at
; last an INC on MMIO, which the VMM's decoder does not emulate: the vCPU stops with a named error.

bits 64
org 0x1000

COM1 equ 0x3f8
MBOX equ 0xfe000000

start:
    mov rsp, 0x80000
    mov rbx, MBOX
    mov dword [rbx], 0x1000             ; MOV imm -> device
    add dword [rbx], 0x234              ; read-modify-write
    or dword [rbx], 0x80000000
    mov eax, [rbx]
    mov rsi, s_scratch
    call puts
    call hex32
    call newline
    mov eax, 0x5a5a5a5a
    xchg [rbx], eax                     ; old value into EAX
    mov rsi, s_xchg
    call puts
    call hex32
    mov eax, [rbx]
    call space_hex
    call newline
    mov eax, [rbx + 4]                  ; counter: 1
    mov eax, [rbx + 4]                  ; counter: 2
    movzx ecx, byte [rbx + 4]           ; counter: 3, zero-extended byte... a 1-byte read
    mov rsi, s_counter
    call puts
    call hex32
    mov eax, ecx
    call space_hex
    call newline
    test dword [rbx], 0x2               ; ZF = 0 (bit 1 of 0x5a5a5a5a is set)
    setnz al
    movzx eax, al
    mov rsi, s_test
    call puts
    call hex32
    call newline
    ; fill the device buffer: 8 bytes 0xab, then copy 8 bytes of text after them
    lea rdi, [rbx + 0x10]
    mov al, 0xab
    mov ecx, 8
    rep stosb
    mov rsi, text
    lea rdi, [rbx + 0x18]
    mov ecx, 8
    rep movsb
    lea rsi, [rbx + 0x10]
    lodsd
    mov rsi, s_buf
    call puts
    call hex32
    mov rax, [rbx + 0x18]               ; 8-byte read: two 4-byte device reads
    mov [copy], rax
    mov rsi, s_sp
    call puts
    mov rsi, copy
    call puts
    call newline
    mov dword [rbx + 0x20], 0xd00b      ; doorbell

    ; the id port
    mov dx, 0x510
    in ax, dx
    mov rsi, s_id
    call puts
    call hex32
    call newline
    mov rdi, ids
    mov ecx, 2
    rep insw
    mov eax, [ids]
    mov rsi, s_ids
    call puts
    call hex32
    call newline
    mov eax, 0x12345678
    out dx, eax
    mov al, 7
    out dx, al

    mov rsi, s_inc
    call puts
at_inc:
    inc dword [rbx]                     ; not emulated by the VMM
    mov rsi, s_after
    call puts
    cli
    hlt

space_hex:
    push rsi
    mov rsi, s_sp
    call puts
    pop rsi
    jmp hex32

text:       db "libvmm!!"
copy:       times 9 db 0
ids:        dd 0
s_scratch:  db "scratch after MOV, ADD, OR: ", 0
s_xchg:     db "XCHG old, new:    ", 0
s_counter:  db "counter reads:    ", 0
s_test:     db "TEST bit 1:       ", 0
s_buf:      db "buffer:           ", 0
s_id:       db "IN AX id port:    ", 0
s_ids:      db "REP INSW id port: ", 0
s_inc:      db "INC on MMIO", 10, 0
s_after:    db "INC went through", 10, 0
s_sp:       db " ", 0

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

; string-io: string port I/O as a driver might write it. REP OUTSB prints a line forwards, then with
; DF set prints a word backwards (RSI walks down); REP INSB and INSW read a port nobody models (all
; ones) into memory; a plain IN from port 0x60 (no keyboard controller here) gives 0xff, and the
; 16550's line status register says the transmitter is empty.

bits 64
org 0x1000

COM1 equ 0x3f8

start:
    mov rsp, 0x80000
    cld
    mov rsi, hello
    mov ecx, hello_len
    mov dx, COM1
    rep outsb
    ; backwards: RSI at the last byte, DF = 1
    std
    mov rsi, reversed + reversed_len - 1
    mov ecx, reversed_len
    rep outsb
    cld
    mov rax, rsi
    mov rsi, s_rsi
    call puts
    call hex32               ; RSI after: one below the first byte
    call newline

    ; REP INSB from port 0x80 (POST code port: nobody models it) into buf
    mov rdi, buf
    mov dword [rdi], 0x11223344
    mov dword [rdi + 4], 0x55667788
    mov dx, 0x80
    mov ecx, 3
    rep insb
    mov rsi, s_insb
    call puts
    mov eax, [buf]
    call hex32
    call newline
    ; INSW, no REP, with DF set: one word at RDI, then RDI moves down by 2
    std
    mov rdi, buf + 4
    insw
    cld
    mov rsi, s_insw
    call puts
    mov eax, [buf + 4]
    call hex32
    mov rsi, s_rdi
    call puts
    mov rax, rdi
    call hex32
    call newline

    ; IN from a port nobody models: all ones, upper bits of RAX kept
    mov eax, 0x12345600
    in al, 0x60
    mov rsi, s_in60
    call puts
    call hex32
    call newline
    ; 16550 line status register: THR empty (bit 5) and transmitter empty (bit 6)
    mov dx, COM1 + 5
    xor eax, eax
    in al, dx
    mov rsi, s_lsr
    call puts
    call hex32
    call newline
    cli
    hlt

hello:        db "rep outsb forwards", 10
hello_len     equ $ - hello
reversed:     db 10, "sdrawkcab"
reversed_len  equ $ - reversed
buf:          dq 0
s_rsi:        db "RSI after STD REP OUTSB: ", 0
s_insb:       db "REP INSB port 0x80: ", 0
s_insw:       db "INSW (DF=1):        ", 0
s_rdi:        db " RDI ", 0
s_in60:       db "IN port 0x60:       ", 0
s_lsr:        db "COM1 LSR:           ", 0

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

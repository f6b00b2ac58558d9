; guest.asm: print a line, read the CMOS clock's seconds (ports 0x70/0x71,
; emulated by the VMM library) and print them, then halt.

bits 64
org 0x1000

start:
    mov rsi, hello
    call puts
    mov al, 0x00            ; CMOS register 0: seconds (BCD)
    out 0x70, al
    in al, 0x71
    mov ah, al
    shr al, 4
    add al, '0'
    mov dx, 0x3f8
    out dx, al
    mov al, ah
    and al, 0x0f
    add al, '0'
    out dx, al
    mov rsi, tail
    call puts
    cli
    hlt

puts:
    mov dx, 0x3f8
.next:
    lodsb
    test al, al
    jz .out
    out dx, al
    jmp .next
.out:
    ret

hello:  db "linux: hello from the guest; RTC seconds = ", 0
tail:   db 10, 0

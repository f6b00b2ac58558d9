; real-mode: a boot-sector style guest in 16-bit real mode. It prints through COM1 with OUTSB, installs an
; INT 0x80 handler in the real-mode interrupt vector table, asks CPUID for the vendor, reads the CMOS
; seconds, and writes the IOAPIC (an EPT violation the VMM decodes as 16-bit code), then halts.

bits 16
org 0x7c00

COM1 equ 0x3f8

start:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7000
    mov si, s_hello
    call puts
    mov word [0x80 * 4], int80
    mov word [0x80 * 4 + 2], 0
    mov ax, 41
    int 0x80
    mov [result], ax
    mov si, s_int
    call puts
    mov ax, [result]
    call hex16
    call newline
    xor eax, eax
    cpuid
    mov [vendor], ebx
    mov [vendor + 4], edx
    mov [vendor + 8], ecx
    mov si, s_vendor
    call puts
    mov si, vendor
    call puts
    call newline
    ; the IOAPIC through a 32-bit address: FS base = 0xfec00000 is out of reach of real-mode
    ; segments, so use an address-size prefix with EBX
    mov ebx, 0xfec00000
    mov dword [ebx], 1
    mov eax, [ebx + 0x10]
    mov si, s_ioapic
    call puts
    call hex16
    call newline
    cli
    hlt

int80:
    inc ax
    iret

; ax as 4 hex digits
hex16:
    push ax
    push bx
    push cx
    push dx
    mov dx, COM1
    mov cx, 4
.digit:
    rol ax, 4
    mov bx, ax
    and bx, 0xf
    push ax
    mov al, [hexdigits + bx]
    out dx, al
    pop ax
    dec cx
    jnz .digit
    pop dx
    pop cx
    pop bx
    pop ax
    ret

newline:
    push ax
    push dx
    mov dx, COM1
    mov al, 10
    out dx, al
    pop dx
    pop ax
    ret

; si = NUL-terminated string, printed with OUTSB
puts:
    push ax
    push dx
    mov dx, COM1
.next:
    cmp byte [si], 0
    je .out
    outsb
    jmp .next
.out:
    pop dx
    pop ax
    ret

hexdigits: db "0123456789abcdef"
result:    dw 0
vendor:    times 13 db 0
s_hello:   db "hello from real mode", 10, 0
s_int:     db "int 0x80 returned ", 0
s_vendor:  db "vendor: ", 0
s_ioapic:  db "IOAPIC version (low 16 bits): ", 0

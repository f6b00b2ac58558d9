; unmapped-mmio: a guest probes for a device that is not there: it reads the IOAPIC version (a device
; the VMM emulates), then writes a framebuffer at 0xd0000000 that no map and no device covers. The
; EPT violation reaches the VMM, which finds no handler and stops the vCPU, naming the address.

bits 64
org 0x1000

COM1 equ 0x3f8

start:
    mov rsp, 0x80000
    mov rbx, 0xfec00000
    mov dword [rbx], 1          ; IOREGSEL = version register
    mov eax, [rbx + 0x10]
    mov rsi, s_ver
    call puts
    call hex32
    call newline
    mov rsi, s_fb
    call puts
    mov rdi, 0xd0000000
fb_write:
    mov dword [rdi + 0x40], 0x00ff00ff
    mov rsi, s_after
    call puts
    cli
    hlt

s_ver:    db "IOAPIC version: ", 0
s_fb:     db "writing the framebuffer at 0xd0000040", 10, 0
s_after:  db "the write went somewhere", 10, 0

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

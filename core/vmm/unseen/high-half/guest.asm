; high-half: a guest moves itself to the top of the address space the way a 64-bit kernel does: it maps
; 0xffff800000000000 onto guest-physical 0 (a 1 GiB page) and 0xffff8000c0000000 onto the device
; window at 3 GiB, jumps up there, and reads the IOAPIC version through the high mapping. Every address
; the CPU and the VMM see from then on is a kernel-half one (negative as a signed 64-bit number).

bits 64
org 0x1000

COM1 equ 0x3f8
HIGH equ 0xffff800000000000
PDPT equ 0x20000

start:
    mov rsp, 0x80000
    mov rdi, PDPT
    mov qword [rdi], 0x83                   ; 1 GiB at 0
    mov rax, 0xc0000083
    mov [rdi + 3 * 8], rax                  ; 1 GiB at 3 GiB (IOAPIC, HPET, LAPIC)
    mov rax, cr3
    mov qword [rax + 256 * 8], PDPT | 3
    mov cr3, rax
    mov rax, HIGH + high
    jmp rax
high:
    mov rsp, HIGH + 0x80000
    mov rbx, HIGH + 0xfec00000
    mov dword [rbx], 1
at_read:
    mov eax, [rbx + 0x10]
    mov rsi, HIGH + s_ver
    call puts
    call hex32
    call newline
    lea rax, [rel high]
    shr rax, 32
    mov rsi, HIGH + s_rip
    call puts
    call hex32
    call newline
    ; REP OUTSB from a kernel-half buffer: the VMM walks the page tables for each byte
    mov rsi, HIGH + s_bye
    mov ecx, s_bye_len
    mov dx, COM1
    rep outsb
    cli
    hlt

s_bye:  db "REP OUTSB from the high half", 10
s_bye_len equ $ - s_bye
s_ver:  db "IOAPIC version from the high half: ", 0
s_rip:  db "running at RIP bits 63..32: ", 0

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

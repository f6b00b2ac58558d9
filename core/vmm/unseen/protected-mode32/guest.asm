; protected-mode32: a 32-bit guest the VMM starts in flat protected mode with paging off. It loads its
; own GDT and IDT, makes a system call with INT 0x80, turns on 32-bit paging with 4 MiB pages (CR4.PSE;
; setting CR0.PG exits and the VMM emulates it), then reads the IOAPIC version through its page tables
; (the VMM decodes the access by walking them) and halts.

bits 32
org 0x1000

COM1    equ 0x3f8
IDT     equ 0x9000
PGDIR   equ 0xa000

start:
    mov esp, 0x80000
    lgdt [gdtr]
    jmp 0x08:reload
reload:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    ; INT 0x80 gate: 32-bit interrupt gate, DPL 3
    mov eax, syscall_handler
    mov [IDT + 0x80 * 8], ax
    mov word [IDT + 0x80 * 8 + 2], 0x08
    mov word [IDT + 0x80 * 8 + 4], 0xee00
    shr eax, 16
    mov [IDT + 0x80 * 8 + 6], ax
    lidt [idtr]
    mov eax, 41
    int 0x80
    mov esi, s_ret
    call puts
    call hex32
    call newline

    ; page directory: identity 4 MiB pages for 0..4 MiB and the 0xfec00000 device page
    mov edi, PGDIR
    mov ecx, 1024
    xor eax, eax
    rep stosd
    mov dword [PGDIR], 0x00000083                   ; present, writable, 4 MiB
    mov dword [PGDIR + (0xfec00000 >> 22) * 4], 0xfec00093 ; + cache disable
    mov eax, PGDIR
    mov cr3, eax
    mov eax, cr4
    or eax, 0x10                                    ; PSE
    mov cr4, eax
    mov eax, cr0
    or eax, 0x80000000                              ; PG
    mov cr0, eax
    mov esi, s_paging
    call puts
    mov eax, cr0
    call hex32
    call newline

    mov ebx, 0xfec00000
    mov dword [ebx], 1
    mov eax, [ebx + 0x10]
    mov esi, s_ver
    call puts
    call hex32
    call newline
    cli
    hlt

syscall_handler:
    inc eax
    iret

gdt:    dq 0
        dq 0x00cf9a000000ffff   ; 32-bit code
        dq 0x00cf92000000ffff   ; data
gdtr:   dw 23
        dd gdt
idtr:   dw 0x7ff
        dd IDT
s_ret:    db "int 0x80 returned ", 0
s_paging: db "paging on, CR0 = ", 0
s_ver:    db "IOAPIC version through paging: ", 0

; ---- console helpers (COM1) ----
; eax as 8 hex digits
hex32:
    push ecx
    push edx
    push ebx
    push eax
    mov dx, COM1
    mov ecx, 8
.digit:
    rol eax, 4
    mov ebx, eax
    and ebx, 0xf
    push eax
    mov al, [hexdigits + ebx]
    out dx, al
    pop eax
    dec ecx
    jnz .digit
    pop eax
    pop ebx
    pop edx
    pop ecx
    ret

newline:
    push eax
    push edx
    mov dx, COM1
    mov al, 10
    out dx, al
    pop edx
    pop eax
    ret

; esi = NUL-terminated string
puts:
    push eax
    push edx
    push esi
    mov dx, COM1
.next:
    lodsb
    test al, al
    jz .out
    out dx, al
    jmp .next
.out:
    pop esi
    pop edx
    pop eax
    ret

hexdigits:  db "0123456789abcdef"

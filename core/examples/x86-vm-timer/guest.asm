; guest.asm: a 64-bit guest with its own page tables. It programs the IOAPIC
; (COM1's pin 4 -> vector 0x24) and the LAPIC timer (periodic, vector 0x30),
; then halts; each timer interrupt the VMM injects wakes it. After five ticks
; it stops the timer and halts for good.

bits 64
org 0x1000

PML4    equ 0x10000
PDPT    equ 0x11000
PD_LOW  equ 0x12000         ; 0 .. 1 GiB
PD_DEV  equ 0x13000         ; 3 .. 4 GiB (IOAPIC, HPET, LAPIC)
IDT     equ 0x14000
LAPIC   equ 0xfee00000
IOAPIC  equ 0xfec00000
COM1    equ 0x3f8

start:
    mov rsp, 0x80000
    ; --- our own page tables: identity, 2 MiB pages, device pages uncached
    mov rdi, PML4
    xor eax, eax
    mov ecx, 0x4000 / 4
    rep stosd
    mov qword [PML4], PDPT | 3
    mov qword [PDPT], PD_LOW | 3
    mov qword [PDPT + 3 * 8], PD_DEV | 3
    mov qword [PD_LOW], 0x83                        ; 0 .. 2 MiB
    mov rax, 0xfec00000 | 0x93                      ; IOAPIC + HPET, PCD
    mov [PD_DEV + 0x1f6 * 8], rax
    mov rax, 0xfee00000 | 0x93                      ; LAPIC, PCD
    mov [PD_DEV + 0x1f7 * 8], rax
    mov rax, PML4
    mov cr3, rax

    ; --- IDT: vector 0x30 -> tick
    mov rdi, IDT
    mov word [rdi + 0x30 * 16], tick
    mov word [rdi + 0x30 * 16 + 2], 8
    mov word [rdi + 0x30 * 16 + 4], 0x8e00
    lidt [idtr]

    mov rsi, hello
    call puts

    ; --- IOAPIC: redirection entry for pin 4 (COM1): vector 0x24, edge, unmasked
    mov rbx, IOAPIC
    mov dword [rbx], 0x10 + 2 * 4
    mov dword [rbx + 0x10], 0x24
    mov dword [rbx], 0x01                           ; version register
    mov eax, [rbx + 0x10]
    mov [ioapic_version], eax

    ; --- LAPIC: software enable, divide by 1, periodic timer on vector 0x30
    mov rbx, LAPIC
    mov dword [rbx + 0xf0], 0x1ff
    mov dword [rbx + 0x3e0], 0x0b
    mov dword [rbx + 0x320], 0x30 | (1 << 17)
    mov dword [rbx + 0x380], 40000

wait:
    sti
    hlt                     ; sleep until the next timer interrupt
    cmp dword [ticks], 5
    jb wait

    cli
    mov dword [rbx + 0x320], 0x10000                ; mask the timer
    mov dword [rbx + 0x380], 0
    mov rsi, done
    call puts
    hlt
    jmp $

tick:
    push rax
    push rdx
    inc dword [ticks]
    mov dx, COM1
    mov al, '.'
    out dx, al
    mov rax, LAPIC
    mov dword [rax + 0xb0], 0                       ; EOI
    pop rdx
    pop rax
    iretq

; rsi = NUL-terminated string
puts:
    mov dx, COM1
.next:
    lodsb
    test al, al
    jz .out
    out dx, al
    jmp .next
.out:
    ret

idtr:   dw 0xfff
        dq IDT
ticks:  dd 0
ioapic_version: dd 0
hello:  db "guest: own page tables on, IOAPIC and LAPIC timer programmed", 10, 0
done:   db 10, "guest: 5 timer interrupts, done", 10, 0

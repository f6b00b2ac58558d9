; Starts in real mode, enters 32-bit protected mode, builds 4-level page tables, enters long mode.
bits 16
org 0x7c00
  cli
  xor ax, ax
  mov ds, ax
  mov ss, ax
  mov sp, 0x7c00
  mov si, msg16
  call puts16
  lgdt [gdtr]
  mov eax, cr0
  or eax, 1
  mov cr0, eax
  jmp 0x08:pm32

puts16:
  lodsb
  test al, al
  jz .d
  out 0xe9, al
  jmp puts16
.d: ret

bits 32
pm32:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, 0x90000
  mov esi, msg32
  call puts32
  ; page tables at 0x10000 (PML4), 0x11000 (PDPT), 0x12000 (PD): identity map 0..2 MiB with one 2 MiB page
  mov edi, 0x10000
  mov ecx, 3*1024
  xor eax, eax
  rep stosd
  mov dword [0x10000], 0x11003
  mov dword [0x11000], 0x12003
  mov dword [0x12000], 0x83
  mov eax, 0x10000
  mov cr3, eax
  mov eax, cr4
  or eax, 1 << 5          ; PAE
  mov cr4, eax
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1 << 8          ; LME
  wrmsr
  mov eax, cr0
  or eax, 1 << 31         ; PG
  mov cr0, eax
  jmp 0x18:lm64

puts32:
  lodsb
  test al, al
  jz .d
  out 0xe9, al
  jmp puts32
.d: ret

bits 64
lm64:
  mov ax, 0x10
  mov ds, ax
  mov ss, ax
  mov rsp, 0x80000
  mov rsi, msg64
.l: lodsb
  test al, al
  jz .d
  out 0xe9, al
  jmp .l
.d:
  ; report EFER.LMA and the accessed/dirty bits the walk set
  mov ecx, 0xc0000080
  rdmsr
  bt eax, 10
  setc al
  add al, '0'
  out 0xe9, al
  mov eax, [0x12000]
  and eax, 0x60
  shr eax, 5
  add al, '0'
  out 0xe9, al
  mov al, 10
  out 0xe9, al
  hlt

msg16: db "real mode", 10, 0
msg32: db "protected mode", 10, 0
msg64: db "long mode ", 0
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff   ; 0x08 code32
  dq 0x00cf92000000ffff   ; 0x10 data
  dq 0x00af9a000000ffff   ; 0x18 code64
gdtr:
  dw gdtr - gdt - 1
  dd gdt

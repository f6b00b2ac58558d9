; 32-bit protected mode: 2-level paging with 4 KiB pages, an IDT with 32-bit interrupt gates,
; #PF for a not-present page and for a write to a read-only page (CR0.WP), #DF when the
; #PF handler's gate is missing.
bits 32
org 0x100000
start:
  mov esp, 0x90000
  ; page directory at 0x20000, one page table at 0x21000 mapping 0..4 MiB
  mov edi, 0x20000
  mov ecx, 2048
  xor eax, eax
  rep stosd
  mov dword [0x20000], 0x21003
  mov edi, 0x21000
  mov eax, 0x003
  mov ecx, 1024
.fill:
  stosd
  add eax, 0x1000
  loop .fill
  mov dword [0x21000 + 0x300*4], 0          ; page 0x300000 not present
  and dword [0x21000 + 0x301*4], ~2         ; page 0x301000 read-only
  mov eax, 0x20000
  mov cr3, eax
  mov eax, cr0
  or eax, (1 << 31) | (1 << 16)             ; PG, WP
  mov cr0, eax

  mov eax, pf_handler
  mov ecx, 14
  call set_gate
  mov eax, df_handler
  mov ecx, 8
  call set_gate
  lidt [idtr]

  mov eax, [0x300010]                       ; #PF, not present: handler maps it
  mov dword [0x301000], 5                   ; #PF, protection: handler makes it writable
  mov eax, [0x301000]
  add al, '0'
  out 0xe9, al
  mov al, 10
  out 0xe9, al
  ; remove the #PF gate: the next page fault becomes a double fault
  mov dword [idt + 14*8 + 4], 0
  mov dword [0x21000 + 0x302*4], 0
  mov eax, [0x302000]
  hlt

set_gate:                                    ; eax = handler, ecx = vector
  lea edi, [idt + ecx*8]
  mov word [edi], ax
  mov word [edi+2], 0x08
  mov word [edi+4], 0x8e00
  shr eax, 16
  mov word [edi+6], ax
  ret

pf_handler:
  push eax
  push edx
  push ecx
  mov esi, msg_pf
  call puts
  mov eax, cr2
  call print_hex
  mov al, ' '
  out 0xe9, al
  mov eax, [esp+12]                         ; error code
  call print_hex
  mov al, 10
  out 0xe9, al
  mov eax, cr2
  shr eax, 12
  and eax, 0x3ff
  mov dword [0x21000 + eax*4], 0            ; rebuild the PTE as present and writable
  shl eax, 12
  or eax, 3
  mov edx, cr2
  shr edx, 12
  mov [0x21000 + edx*4], eax
  mov eax, cr2
  invlpg [eax]
  pop ecx
  pop edx
  pop eax
  add esp, 4
  iret

df_handler:
  mov esi, msg_df
  call puts
  mov eax, [esp]
  call print_hex
  mov al, 10
  out 0xe9, al
  hlt

puts:
  lodsb
  test al, al
  jz .d
  out 0xe9, al
  jmp puts
.d: ret

print_hex:                                   ; eax
  mov edx, eax
  mov ecx, 8
.n:
  rol edx, 4
  mov eax, edx
  and eax, 15
  mov al, [hexdigits + eax]
  out 0xe9, al
  dec ecx
  jnz .n
  ret

hexdigits: db "0123456789abcdef"
msg_pf: db "#PF ", 0
msg_df: db "#DF ", 0
align 8
idtr:
  dw 256*8-1
  dd idt
align 8
idt: times 256*8 db 0

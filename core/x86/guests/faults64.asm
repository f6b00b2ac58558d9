; 64-bit: #SS from a non-canonical stack (handled on an IST stack), #NP from a not-present data
; segment, #NP from a not-present IDT gate, each with its error code.
bits 64
org 0x100000
start:
  lgdt [gdtr]
  mov ax, 0x28
  ltr ax
  mov rax, ss_handler
  mov ecx, 12
  mov edx, 0x8e01          ; interrupt gate, IST 1
  call set_gate
  mov rax, np_handler
  mov ecx, 11
  mov edx, 0x8e00
  call set_gate
  mov rax, never
  mov ecx, 0x40
  mov edx, 0x0e00          ; gate for vector 0x40 not present
  call set_gate
  lidt [idtr]

  mov rbx, rsp
  mov rsp, 0x8000000000000000
  push rax                 ; #SS(0): the handler runs on IST1, restores RSP, skips the push
  mov ax, 0x38
  mov ds, ax               ; #NP(0x38): descriptor not present
  int 0x40                 ; #NP(0x40*8+2): gate not present
  mov al, 'E'
  out 0xe9, al
  mov al, 10
  out 0xe9, al
  hlt

ss_handler:
  mov al, 'S'
  out 0xe9, al
  mov rax, [rsp]           ; error code
  add al, '0'
  out 0xe9, al
  mov rax, rsp
  shr rax, 12
  cmp rax, 0x70            ; running on the IST stack at 0x70000
  jne .bad
  mov al, '+'
  out 0xe9, al
.bad:
  mov al, 10
  out 0xe9, al
  mov [rsp+32], rbx        ; saved RSP := the good stack
  add qword [rsp+8], 1     ; skip the 1-byte push
  add rsp, 8
  iretq

np_handler:
  mov al, 'N'
  out 0xe9, al
  mov rax, [rsp]
  call print_hex16
  mov al, 10
  out 0xe9, al
  add qword [rsp+8], 2     ; both faulting instructions (mov ds, ax and int 0x40) are 2 bytes long
  add rsp, 8
  iretq

never:
  hlt

print_hex16:
  mov rdx, rax
  mov ecx, 4
.n:
  rol dx, 4
  mov eax, edx
  and eax, 15
  mov al, [hexdigits + rax]
  out 0xe9, al
  dec ecx
  jnz .n
  ret

set_gate:
  shl ecx, 4
  lea rdi, [idt + rcx]
  mov word [rdi], ax
  mov word [rdi+2], 0x08
  mov word [rdi+4], dx
  shr rax, 16
  mov word [rdi+6], ax
  shr rax, 16
  mov dword [rdi+8], eax
  mov dword [rdi+12], 0
  ret

hexdigits: db "0123456789abcdef"
align 16
tss:
  dd 0
  dq 0x60000               ; RSP0
  dq 0, 0, 0
  dq 0x71000               ; IST1
  times 12 dd 0
tss_end:
align 16
gdt:
  dq 0
  dq 0x00af9a000000ffff    ; 0x08 code 64
  dq 0x00cf92000000ffff    ; 0x10 data
  dq 0x00af9a000000ffff    ; 0x18 code 64 (the flat machine starts with CS = 0x18)
  dq 0
  dw tss_end - tss - 1     ; 0x28 TSS
  dw tss & 0xffff
  db (tss >> 16) & 0xff
  db 0x89
  db 0
  db 0
  dq 0
  dq 0x00cf12000000ffff    ; 0x38 data, not present
gdt_end:
gdtr:
  dw gdt_end - gdt - 1
  dq gdt
align 16
idtr:
  dw 256*16-1
  dq idt
align 16
idt: times 256*16 db 0

; 64-bit guest: installs an IDT, takes #DE, #UD, #GP, #BP and #PF, handles each and reports on port 0xE9.
bits 64
org 0x100000
start:
  mov rax, de_handler
  mov ecx, 0
  call set_gate
  mov rax, bp_handler
  mov ecx, 3
  call set_gate
  mov rax, ud_handler
  mov ecx, 6
  call set_gate
  mov rax, gp_handler
  mov ecx, 13
  call set_gate
  mov rax, pf_handler
  mov ecx, 14
  call set_gate
  lidt [idtr]

  xor edx, edx
  xor ebx, ebx
  mov eax, 1
  div ebx                 ; #DE, handler skips the 2-byte div
  ud2                     ; #UD, handler skips 2 bytes
  int3                    ; #BP is a trap: RIP already past it
  mov rax, 0x8000000000000000
  mov rbx, [rax]          ; non-canonical: #GP(0), handler skips 3 bytes
  mov rax, 0x200000010
  mov rbx, [rax]          ; not present: #PF, handler maps 8 GiB..9 GiB to 0 and retries
  mov rsi, msg_value
  call puts
  mov rax, rbx
  call print_hex
  mov al, 10
  out 0xe9, al
  hlt

set_gate:                 ; rax = handler, ecx = vector
  shl ecx, 4
  lea rdi, [idt + rcx]
  mov word [rdi], ax
  mov word [rdi+2], 0x18
  mov word [rdi+4], 0x8e00
  shr rax, 16
  mov word [rdi+6], ax
  shr rax, 16
  mov dword [rdi+8], eax
  mov dword [rdi+12], 0
  ret

de_handler:
  mov rsi, msg_de
  call puts
  add qword [rsp], 2
  iretq
bp_handler:
  mov rsi, msg_bp
  call puts
  iretq
ud_handler:
  mov rsi, msg_ud
  call puts
  add qword [rsp], 2
  iretq
gp_handler:
  mov rsi, msg_gp
  call puts
  mov rax, [rsp]          ; error code
  call print_hex
  mov al, 10
  out 0xe9, al
  add rsp, 8
  add qword [rsp], 3
  iretq
pf_handler:
  push rax
  push rcx
  push rdx
  push rsi
  mov rsi, msg_pf
  call puts
  mov rax, cr2
  call print_hex
  mov al, ' '
  out 0xe9, al
  mov rax, [rsp+32]       ; error code
  call print_hex
  mov al, 10
  out 0xe9, al
  mov rax, cr3
  mov rax, [rax]          ; PML4[0] -> PDPT
  and rax, -4096
  mov qword [rax + 8*8], 0x87   ; PDPT[8]: 1 GiB page at physical 0
  mov dword [0x10], 0x600d      ; what the retried load will find
  pop rsi
  pop rdx
  pop rcx
  pop rax
  add rsp, 8
  iretq

puts:                     ; rsi = zero-terminated string
  lodsb
  test al, al
  jz .done
  out 0xe9, al
  jmp puts
.done:
  ret

print_hex:                ; rax
  mov rdx, rax
  mov ecx, 16
.next:
  rol rdx, 4
  mov eax, edx
  and eax, 15
  mov al, [hexdigits + rax]
  out 0xe9, al
  dec ecx
  jnz .next
  ret

hexdigits: db "0123456789abcdef"
msg_de: db "#DE", 10, 0
msg_bp: db "#BP", 10, 0
msg_ud: db "#UD", 10, 0
msg_gp: db "#GP ", 0
msg_pf: db "#PF ", 0
msg_value: db "value ", 0
align 16
idtr:
  dw 256*16-1
  dq idt
align 16
idt: times 256*16 db 0

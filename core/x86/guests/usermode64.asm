; 64-bit: a TSS with RSP0, user segments, IRETQ to ring 3, SYSCALL/SYSRET, INT 0x80 through a
; DPL-3 gate, and a #GP when ring 3 executes HLT. The GDT, IDT and TSS sit on supervisor-only
; pages: the CPU's implicit accesses to them must work while CPL = 3.
bits 64
org 0x100000
start:
  ; 4 KiB identity paging for the first 2 MiB: user-accessible, except the system tables
  mov edi, 0x40000
  mov ecx, 4*4096/8
  xor eax, eax
  rep stosq
  mov qword [0x40000], 0x41007
  mov qword [0x41000], 0x42007
  mov qword [0x42000], 0x43007
  mov edi, 0x43000
  mov eax, 7
  mov ecx, 512
.pt:
  mov [rdi], rax
  add rax, 0x1000
  add rdi, 8
  dec ecx
  jnz .pt
  mov rax, systables
.sup:
  mov rdx, rax
  shr rdx, 12
  and qword [0x43000 + rdx*8], ~4  ; supervisor only
  add rax, 0x1000
  cmp rax, systables_end
  jb .sup
  mov rax, 0x40000
  mov cr3, rax
  lgdt [gdtr]
  mov ax, 0x28
  ltr ax
  mov rax, gp_handler
  mov ecx, 13
  mov edx, 0x8e00
  call set_gate
  mov rax, int80_handler
  mov ecx, 0x80
  mov edx, 0xee00          ; DPL 3: user code may INT 0x80
  call set_gate
  lidt [idtr]
  ; SYSCALL: STAR[47:32] = kernel CS 0x08, STAR[63:48] = 0x10 (user SS = 0x18, user CS = 0x20)
  mov ecx, 0xc0000081
  xor eax, eax
  mov edx, 0x00100008
  wrmsr
  mov ecx, 0xc0000082
  mov rax, syscall_entry
  mov rdx, rax
  shr rdx, 32
  wrmsr
  mov ecx, 0xc0000084      ; FMASK: clear IF
  mov eax, 0x200
  xor edx, edx
  wrmsr
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1                ; SCE
  wrmsr
  ; IRETQ to ring 3
  push 0x1b                ; SS = 0x18 | 3
  push 0x70000             ; user RSP
  push 0x202               ; RFLAGS with IF
  push 0x23                ; CS = 0x20 | 3
  push user
  iretq

user:
  mov rsi, msg_user
  mov eax, 1               ; "write" system call
  syscall
  mov rsi, msg_back
  mov eax, 1
  syscall
  int 0x80
  hlt                      ; privileged: #GP(0)

syscall_entry:             ; rax = number, rsi = string; rcx/r11 = return state
  mov rdx, rsp
  mov rsp, 0x60000
  push rdx
  push rcx
  push r11
  mov rbx, cs
  add bl, '0'
.p: lodsb
  test al, al
  jz .d
  out 0xe9, al
  jmp .p
.d:
  mov al, bl               ; CS low digit: '8' -> ring 0 code 0x08
  out 0xe9, al
  mov al, 10
  out 0xe9, al
  pop r11
  pop rcx
  pop rsp
  sysretq

int80_handler:
  mov rsi, msg_int
.p: lodsb
  test al, al
  jz .d
  out 0xe9, al
  jmp .p
.d:
  mov rax, [rsp+8]         ; pushed CS: user
  and al, 3
  add al, '0'
  out 0xe9, al
  mov al, 10
  out 0xe9, al
  iretq

gp_handler:
  mov rsi, msg_gp
.p: lodsb
  test al, al
  jz .d
  out 0xe9, al
  jmp .p
.d:
  mov rax, [rsp+16]        ; CS of the faulting code
  and al, 3
  add al, '0'
  out 0xe9, al
  mov al, 10
  out 0xe9, al
  cli
  hlt

set_gate:                  ; rax = handler, ecx = vector, edx = type/attributes
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

msg_user: db "user: ", 0
msg_back: db "back: ", 0
msg_int: db "int 0x80 from ring ", 0
msg_gp: db "#GP from ring ", 0
align 4096
systables:
tss:
  dd 0
  dq 0x50000               ; RSP0
  times 23 dd 0
tss_end:
align 16
gdt:
  dq 0
  dq 0x00af9a000000ffff    ; 0x08 kernel code 64
  dq 0x00cf92000000ffff    ; 0x10 kernel data
  dq 0x00cff2000000ffff    ; 0x18 user data (DPL 3)
  dq 0x00affa000000ffff    ; 0x20 user code 64 (DPL 3)
  dw tss_end - tss - 1     ; 0x28 TSS (16 bytes)
  dw tss & 0xffff
  db (tss >> 16) & 0xff
  db 0x89
  db 0
  db 0
  dq 0
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
systables_end:

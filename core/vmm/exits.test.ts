import { describe, expect, it } from 'vitest';
import { EXIT, INJECT_GP0, PRIMARY, VMCS } from './constants';
import { longModeGuest, protectedModeGuest } from './testing';

/** Guest data area the hand-made guests store their results in. */
const OUT = 0x8000;

/** A 64-bit IDT with one handler for `vector` at `handler` (below 64 KiB), loaded with lidt. */
const idt64 = (vector: number, handler: string) => `
    mov rdi, 0x9000
    mov word [rdi + ${vector * 16}], ${handler}
    mov word [rdi + ${vector * 16 + 2}], 8
    mov word [rdi + ${vector * 16 + 4}], 0x8e00
    lidt [idtr]
`;
const idtr = `idtr: dw 0xfff
      dq 0x9000`;

describe('CPUID exits', () => {
  it('answer with libvmm values: vendor, leaf 1 signature and features, brand string, zeros for unknown leaves', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    xor eax, eax
    cpuid
    mov [${OUT}], eax
    mov [${OUT + 4}], ebx
    mov [${OUT + 8}], edx
    mov [${OUT + 12}], ecx
    mov eax, 1
    cpuid
    mov [${OUT + 16}], eax
    mov [${OUT + 20}], ecx
    mov [${OUT + 24}], edx
    mov eax, 0x80000002
    cpuid
    mov [${OUT + 32}], eax
    mov [${OUT + 36}], ebx
    mov eax, 0x40000000
    mov ebx, 0x1234
    cpuid
    mov [${OUT + 40}], ebx
    cli
    hlt
`);
    expect(vm.run()).toBe('halted');
    const m = vm.memory;
    expect(m.readU32(OUT)).toBe(0x16);
    const vendor = new Uint8Array(12);
    m.read(OUT + 4, vendor);
    expect(new TextDecoder().decode(vendor)).toBe('GenuineIntel');
    expect(m.readU32(OUT + 16)).toBe(0x00050054);
    expect(m.readU32(OUT + 20) & (1 << 31)).toBe(0); // no hypervisor bit
    expect(m.readU32(OUT + 20) & (1 << 5)).toBe(0); // no VMX
    expect(m.readU32(OUT + 24) & (1 << 9)).not.toBe(0); // APIC
    const brand = new Uint8Array(8);
    m.read(OUT + 32, brand);
    expect(new TextDecoder().decode(brand)).toBe('Trustwor');
    expect(m.readU32(OUT + 40)).toBe(0);
    expect(vm.vmm.counts[EXIT.CPUID]).toBe(4);
  });
});

describe('MSR exits', () => {
  it('RDMSR gives libvmm values, WRMSR keeps MTRR state, unknown MSRs inject #GP(0) without advancing RIP', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
${idt64(13, 'gp')}
    mov ecx, 0x1b
    rdmsr
    mov [${OUT}], eax
    mov ecx, 0x2ff
    mov eax, 0xc06
    xor edx, edx
    wrmsr
    xor eax, eax
    rdmsr
    mov [${OUT + 4}], eax
    mov ecx, 0x179
    rdmsr
    mov [${OUT + 8}], eax
    mov ecx, 0x12345
    rdmsr                 ; #GP(0): the handler counts and skips the 2-byte rdmsr
    mov [${OUT + 12}], r15d
    cli
    hlt
gp:
    pop rax               ; error code
    mov [${OUT + 16}], eax
    inc r15
    add qword [rsp], 2
    iretq
${idtr}
`);
    expect(vm.run()).toBe('halted');
    const m = vm.memory;
    expect(m.readU32(OUT)).toBe(0xfee00900);
    expect(m.readU32(OUT + 4)).toBe(0xc06);
    expect(m.readU32(OUT + 8)).toBe(0x104);
    expect(m.readU32(OUT + 12)).toBe(1);
    expect(m.readU32(OUT + 16)).toBe(0);
    expect(vm.vmm.counts[EXIT.RDMSR]).toBe(4);
    expect(vm.vmm.counts[EXIT.WRMSR]).toBe(1);
    expect(vm.vmm.last.list().find((e) => e.outcome === 'injected #GP(0)')).toBeTruthy();
  });

  it('WRMSR to APIC_BASE that enables x2APIC is refused with #GP(0)', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    mov ecx, 0x1b
    mov eax, 0xfee00d00
    xor edx, edx
    wrmsr
`);
    vm.run({ maxExits: 1 });
    expect(vm.vmm.state.entryIrq).toBe(INJECT_GP0);
    expect(vm.vmm.state.rip).toBe(0x1000 + 5 + 5 + 2); // not advanced past wrmsr
  });
});

describe('control-register exits', () => {
  it('MOV to CR0 setting PG is emulated (guest CR0 and read shadow), CR8 moves reach the LAPIC TPR', () => {
    const vm = protectedModeGuest(`bits 32
org 0x1000
    ; 32-bit page directory at 0x20000 with one 4 MiB identity page
    mov dword [0x20000], 0x83
    mov eax, 0x20000
    mov cr3, eax
    mov eax, cr4
    or eax, 0x10
    mov cr4, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    mov eax, cr0
    mov [${OUT}], eax
    cli
    hlt
`);
    expect(vm.run()).toBe('halted');
    expect(vm.memory.readU32(OUT) >>> 0).toBe(0x80000011);
    expect(vm.vmm.counts[EXIT.CR_ACCESS]).toBe(1);
    expect((vm.backend.readVmcs(VMCS.GUEST_CR0) & 0x80000020) >>> 0).toBe(0x80000020);

    const v64 = longModeGuest(`bits 64
org 0x1000
    mov eax, 9
    mov cr8, rax
    mov rbx, cr8
    mov [${OUT}], ebx
    cli
    hlt
`);
    expect(v64.run()).toBe('halted');
    expect(v64.memory.readU32(OUT)).toBe(9);
    expect(v64.vmm.lapic.tpr).toBe(0x90);
    expect(v64.vmm.counts[EXIT.CR_ACCESS]).toBe(2);
  });

  it('CLTS with TS owned by the VMM stops the VCPU as libvmm does', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    clts
`);
    vm.backend.writeVmcs(VMCS.CR0_GUEST_HOST_MASK, 0x80000028);
    vm.backend.writeVmcs(VMCS.CR0_READ_SHADOW, 0x80000019);
    expect(vm.run()).toBe('failed');
    expect(vm.vmm.failure?.message).toMatch(/unhandled control-register access: CLTS/);
  });
});

describe('I/O exits', () => {
  it('unknown ports read all ones merged into RAX, CMOS and PCI config answer, string I/O works both ways', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    mov rax, 0x1122334455667788
    in al, 0x61
    mov [${OUT}], rax
    mov rax, -1
    mov dx, 0x64
    in eax, dx
    mov [${OUT + 8}], rax
    mov al, 0x0a
    out 0x70, al
    in al, 0x71
    mov [${OUT + 16}], al
    mov al, 0x09
    out 0x70, al
    in al, 0x71
    mov [${OUT + 17}], al
    mov eax, 0x80000000
    mov dx, 0xcf8
    out dx, eax
    mov dx, 0xcfc
    in eax, dx
    mov [${OUT + 20}], eax
    mov eax, 0x80001800  ; device 3: absent
    mov dx, 0xcf8
    out dx, eax
    mov dx, 0xcfc
    in eax, dx
    mov [${OUT + 24}], eax
    mov rdi, ${OUT + 32}
    mov rcx, 4
    mov dx, 0x80
    rep insb
    mov rsi, msg
    mov rcx, 3
    mov dx, 0x3f8
    rep outsb
    cli
    hlt
msg: db "ok", 10
`);
    expect(vm.run()).toBe('halted');
    const m = vm.memory;
    expect(m.readU64(OUT)).toBe(0x11223344556677ffn);
    expect(m.readU64(OUT + 8)).toBe(0xffffffffn);
    expect(m.readU8(OUT + 16)).toBe(0x26);
    expect(m.readU8(OUT + 17)).toBe(0x26); // year 26 in BCD
    expect(m.readU32(OUT + 20)).toBe(0x12378086);
    expect(m.readU32(OUT + 24)).toBe(0xffffffff);
    expect(m.readU32(OUT + 32)).toBe(0xffffffff);
    expect(vm.vmm.console).toBe('ok\n');
    expect(vm.vmm.counts[EXIT.IO]).toBe(12);
  });

  it('an enabled I/O port passes through without an exit', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    out 0x80, al
    out 0x81, al
    cli
    hlt
`);
    vm.enableIoport(0x80, 1);
    expect(vm.run()).toBe('halted');
    expect(vm.vmm.counts[EXIT.IO]).toBe(1);
  });
});

describe('EPT violations', () => {
  it('decode MOV loads and stores to the LAPIC, IOAPIC and HPET', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    mov rbx, 0xfee00000
    mov eax, [rbx + 0x30]
    mov [${OUT}], eax
    mov dword [rbx + 0x80], 0x20
    mov ecx, [rbx + 0x80]
    mov [${OUT + 4}], ecx
    mov rbx, 0xfec00000
    mov dword [rbx], 1
    mov edx, [rbx + 0x10]
    mov [${OUT + 8}], edx
    mov rbx, 0xfed00000
    mov rax, [rbx]
    mov [${OUT + 16}], rax
    cli
    hlt
`);
    expect(vm.run()).toBe('halted');
    const m = vm.memory;
    expect(m.readU32(OUT)).toBe(0x00060010);
    expect(m.readU32(OUT + 4)).toBe(0x20);
    expect(m.readU32(OUT + 8)).toBe(0x170011);
    expect(m.readU64(OUT + 16)).toBe((100_000_000n << 32n) | 0x8086_8201n);
    expect(vm.vmm.counts[EXIT.EPT_VIOLATION]).toBe(6);
  });

  it('emulates read-modify-write, XCHG, MOVZX/MOVSX, byte registers and STOS on a registered device', () => {
    const regs = new Uint32Array(8);
    const vm = longModeGuest(`bits 64
org 0x1000
    mov rbx, 0x40000000
    mov dword [rbx], 0x0f
    or dword [rbx], 0x100
    and dword [rbx], 0x1f0
    add dword [rbx + 4], 5
    sub dword [rbx + 4], 7
    setc r8b
    cmp dword [rbx], 0x100
    setz r9b
    mov eax, 0xaa
    xchg [rbx + 8], eax
    mov [${OUT}], eax
    mov dword [rbx + 12], 0x8081
    movzx ecx, byte [rbx + 12]
    movsx rdx, word [rbx + 12]
    mov ah, [rbx + 12]
    mov [${OUT + 4}], ecx
    mov [${OUT + 8}], rdx
    mov [${OUT + 16}], eax
    mov [${OUT + 20}], r8b
    mov [${OUT + 21}], r9b
    lea rdi, [rbx + 16]
    mov eax, 0x55
    mov rcx, 4
    cld
    rep stosd
    mov [${OUT + 24}], rdi
    cli
    hlt
`);
    vm.vmm.registerMmio({
      name: 'scratch', gpa: 0x40000000, size: 0x1000,
      read: (o, s) => (s === 4 ? regs[o >> 2] : s === 2 ? regs[o >> 2] & 0xffff : s === 1 ? regs[o >> 2] & 0xff : null),
      write: (o, s, v) => { if (s !== 4) return false; regs[o >> 2] = v; return true; },
    });
    expect(vm.run()).toBe('halted');
    expect(vm.vmm.failure).toBeNull();
    const m = vm.memory;
    expect(regs[0]).toBe(0x100);
    expect(regs[1]).toBe(0xfffffffe);
    expect(m.readU8(OUT + 20)).toBe(1); // 5 - 7 borrows
    expect(m.readU8(OUT + 21)).toBe(1); // equal
    expect(regs[2]).toBe(0xaa);
    expect(m.readU32(OUT)).toBe(0);
    expect(m.readU32(OUT + 4)).toBe(0x81);
    expect(m.readU64(OUT + 8)).toBe(0xffffffffffff8081n);
    expect(m.readU32(OUT + 16)).toBe(0x8100); // AH = 0x81, AL (0 from the XCHG) kept
    expect(Array.from(regs.slice(4, 8))).toEqual([0x55, 0x55, 0x55, 0x55]);
    expect(m.readU64(OUT + 24)).toBe(0x40000020n);
  });

  it("an access nobody handles stops the VCPU with libvmm's message", () => {
    const logs: string[] = [];
    const vm = longModeGuest(`bits 64
org 0x1000
    mov rax, 0xd0000000
    mov eax, [rax]
`, { onLog: (l) => logs.push(l) });
    expect(vm.run()).toBe('failed');
    expect(vm.vmm.failure?.message).toBe('failed to find EPT handler for guest-physical address 0xd0000000 (RIP 0x1005, mov)');
    expect(logs).toEqual(['vmm|ERROR: failed to find EPT handler for guest-physical address 0xd0000000 (RIP 0x1005, mov)\n']);
  });

  it('a device handler that throws stops the VCPU with the error, instead of the exception escaping', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    mov rax, 0xd0000000
    mov eax, [rax]
`);
    vm.vmm.registerMmio({ name: 'broken', gpa: 0xd0000000, size: 0x1000, read: () => { throw new TypeError('x is undefined'); }, write: () => true });
    expect(vm.run()).toBe('failed');
    expect(vm.vmm.failure?.message).toBe('error while handling EPT violation at RIP 0x1005: x is undefined');
  });

  it('kernel-half RIPs: MMIO from 0xffff8000_0000xxxx is decoded through the guest page tables, messages print the address', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    mov qword [0x20000], 0x83
    mov rax, 0xc0000083
    mov [0x20018], rax
    mov rax, cr3
    mov qword [rax + 256 * 8], 0x20003
    mov cr3, rax
    mov rax, 0xffff800000000000 + high
    jmp rax
high:
    mov rbx, 0xffff8000fec00000
    mov dword [rbx], 1
    mov eax, [rbx + 0x10]
    mov [0xffff800000008000], eax
    mov rbx, 0xffff8000d0000000
    mov [rbx], eax
`);
    expect(vm.run()).toBe('failed');
    expect(vm.memory.readU32(0x8000)).toBe(0x00170011); // the IOAPIC version, read from the high half
    expect(vm.vmm.failure?.message).toMatch(/^failed to find EPT handler for guest-physical address 0xd0000000 \(RIP 0xffff8000000010[0-9a-f]{2}, mov\)$/);
  });

  it('the LAPIC accepts only aligned 32-bit accesses', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    mov rax, 0xfee00000
    mov bl, [rax + 0x30]
`);
    expect(vm.run()).toBe('failed');
    expect(vm.vmm.failure?.message).toBe('LAPIC: only aligned 32-bit accesses are supported (offset 0x30, 1 bytes)'); // named once
  });
});

describe('other exits', () => {
  it("XSETBV with seL4's feature set passes, anything else injects #GP(0)", () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    xor ecx, ecx
    xor edx, edx
    mov eax, 3
    xsetbv
    mov eax, 7
    xsetbv
`);
    vm.run({ maxExits: 2 });
    expect(vm.vmm.counts[EXIT.XSETBV]).toBe(2);
    expect(vm.vmm.state.entryIrq).toBe(INJECT_GP0);
  });

  it('a triple fault stops the VCPU with a clear report', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    ud2
`);
    expect(vm.run()).toBe('failed');
    expect(vm.vmm.counts[EXIT.TRIPLE_FAULT]).toBe(1);
    expect(vm.vmm.failure?.message).toBe('guest triple fault at RIP 0x1000');
  });

  it('an exit libvmm does not handle (VMCALL) stops the VCPU', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    nop
    vmcall
`);
    expect(vm.run()).toBe('failed');
    expect(vm.vmm.failure?.message).toBe('unhandled VM exit: VMCALL (reason 18) at RIP 0x1001');
    expect(vm.vmm.last.list().at(-1)).toMatchObject({ name: 'VMCALL', rip: 0x1001, outcome: 'VCPU stopped' });
  });

  it('HLT exits (our controls turn HLT exiting on); an idle guest waits until an interrupt is injected', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    mov rax, 0xfee00000
    mov dword [rax + 0xf0], 0x1ff     ; LAPIC on
    mov rdi, 0x9000
    mov word [rdi + 0x40 * 16], isr
    mov word [rdi + 0x40 * 16 + 2], 8
    mov word [rdi + 0x40 * 16 + 4], 0x8e00
    lidt [idtr]
    sti
    hlt
    mov byte [${OUT}], 1
    cli
    hlt
isr:
    mov byte [${OUT + 1}], 0x40
    mov dword [rax + 0xb0], 0
    iretq
idtr: dw 0xfff
      dq 0x9000
`);
    expect(vm.backend.readVmcs(VMCS.PRIMARY_PROCESSOR_CONTROLS) & PRIMARY.HLT_EXITING).not.toBe(0);
    expect(vm.run()).toBe('halted');
    expect(vm.vmm.waiting).toBe(true);
    expect(vm.backend.readVmcs(VMCS.GUEST_ACTIVITY_STATE)).toBe(1);
    expect(vm.memory.readU8(OUT + 1)).toBe(0);
    // a device interrupt: IOAPIC pin 5 is masked, so deliver straight to the LAPIC like a self-IPI would
    let woken = false;
    vm.vmm.onWake = () => { woken = true; };
    vm.vmm.lapic.injectIrq(0x40);
    expect(woken).toBe(true);
    expect(vm.run()).toBe('halted');
    expect(vm.memory.readU8(OUT + 1)).toBe(0x40);
    expect(vm.memory.readU8(OUT)).toBe(1);
    expect(vm.vmm.counts[EXIT.HLT]).toBe(2);
  });

  it('tracing records reason, decoded qualification, GPA, RIP and outcome', () => {
    const vm = longModeGuest(`bits 64
org 0x1000
    mov al, 0x41
    out 0xe9, al
    cli
    hlt
`);
    vm.vmm.tracing = true;
    vm.run();
    expect(vm.vmm.trace).toEqual([{
      seq: 1, reason: 30, name: 'I/O instruction', qualification: 0x00e90040,
      decoded: { 'size-1': 0, 'direction in': 0, string: 0, rep: 0, 'immediate operand': 1, port: 0xe9 },
      guestPhysical: 0, rip: 0x1002, outcome: 'out 0xe9 <- 0x41 (no device: dropped)',
    }, {
      seq: 2, reason: 12, name: 'HLT', qualification: 0, decoded: {}, guestPhysical: 0, rip: 0x1005,
      outcome: 'guest idle: VCPU waits for an interrupt',
    }]);
  });
});

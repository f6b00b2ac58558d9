/** The opcode maps: one entry per supported opcode form. This table is the single source of
 * truth for what the decoder accepts; the interpreter and SUPPORTED.md are checked against it.
 *
 * Operand codes (Intel SDM appendix A notation, lightly extended):
 *   E* r/m, G* ModRM.reg, R* r/m that must be a register, M* r/m that must be memory,
 *   I* immediate (Ib byte, Iw word, Iz word/dword, Iv word/dword/qword, Is byte sign-extended
 *   to the operand size), J* relative branch, Z* register in the opcode's low bits, O* moffs,
 *   X, Y string source DS:rSI / destination ES:rDI, Sw segment register, Cd/Dd control/debug
 *   register, Ap far pointer, aL = AL, rA = accumulator of the operand size, DX, CL, one = 1.
 *   Size letters: b byte, w word, d dword, q qword, v operand size, z word-or-dword,
 *   t descriptor-table pointer (6 bytes, 10 in 64-bit mode), p far pointer (2 + operand size),
 *   x no data size (lea, invlpg). */

export interface OpcodeEntry {
  /** mnemonic, or one per operand size "16|32|64" separated by '|' */
  mn: string;
  /** operand codes, comma separated */
  ops: string;
  /** operand size defaults to 64 bits in long mode (push/pop/near branches with 66 allowed) */
  d64?: boolean;
  /** operand size is always 64 bits in long mode (near jmp/call/ret, jcc, loop) */
  f64?: boolean;
  /** not valid in 64-bit mode */
  i64?: boolean;
  /** only valid in 64-bit mode */
  o64?: boolean;
  /** a group: the entry is chosen by ModRM.reg */
  group?: (OpcodeEntry | null)[];
  /** register-form (mod = 3) alternatives keyed by ModRM.reg*8 + rm */
  regForms?: Record<number, OpcodeEntry>;
  /** no 66/F2/F3 prefix allowed (#UD otherwise) */
  np?: boolean;
  /** with an F3 prefix this entry is used instead (pause) */
  f3?: OpcodeEntry;
}

const e = (mn: string, ops = '', extra: Partial<OpcodeEntry> = {}): OpcodeEntry => ({ mn, ops, ...extra });

export const CC_NAMES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const SHIFT = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'shl', 'sar']; // /6 is an alias of SHL

function grp1(ops: string, extra: Partial<OpcodeEntry> = {}): OpcodeEntry {
  return e('', '', { group: ALU.map((m) => e(m, ops, extra)) });
}
function grp2(ops: string): OpcodeEntry {
  return e('', '', { group: SHIFT.map((m) => (m ? e(m, ops) : null)) });
}

/** One-byte opcode map. */
export const ONE_BYTE: (OpcodeEntry | null)[] = new Array(256).fill(null);
/** Two-byte (0F xx) opcode map. */
export const TWO_BYTE: (OpcodeEntry | null)[] = new Array(256).fill(null);

ALU.forEach((m, i) => {
  const b = i * 8;
  ONE_BYTE[b] = e(m, 'Eb,Gb');
  ONE_BYTE[b + 1] = e(m, 'Ev,Gv');
  ONE_BYTE[b + 2] = e(m, 'Gb,Eb');
  ONE_BYTE[b + 3] = e(m, 'Gv,Ev');
  ONE_BYTE[b + 4] = e(m, 'aL,Ib');
  ONE_BYTE[b + 5] = e(m, 'rA,Iz');
});
ONE_BYTE[0x06] = e('push', 'ES', { i64: true });
ONE_BYTE[0x07] = e('pop', 'ES', { i64: true });
ONE_BYTE[0x0e] = e('push', 'CS', { i64: true });
ONE_BYTE[0x16] = e('push', 'SS', { i64: true });
ONE_BYTE[0x17] = e('pop', 'SS', { i64: true });
ONE_BYTE[0x1e] = e('push', 'DS', { i64: true });
ONE_BYTE[0x1f] = e('pop', 'DS', { i64: true });
for (let r = 0; r < 8; r++) {
  ONE_BYTE[0x40 + r] = e('inc', 'Zv', { i64: true });
  ONE_BYTE[0x48 + r] = e('dec', 'Zv', { i64: true });
  ONE_BYTE[0x50 + r] = e('push', 'Zv', { d64: true });
  ONE_BYTE[0x58 + r] = e('pop', 'Zv', { d64: true });
  ONE_BYTE[0x90 + r] = e('xchg', 'Zv,rA');
  ONE_BYTE[0xb0 + r] = e('mov', 'Zb,Ib');
  ONE_BYTE[0xb8 + r] = e('mov', 'Zv,Iv');
  TWO_BYTE[0xc8 + r] = e('bswap', 'Zv');
}
ONE_BYTE[0x90] = e('nop', '', { f3: e('pause', '') });
ONE_BYTE[0x60] = e('pusha|pushad|', '', { i64: true });
ONE_BYTE[0x61] = e('popa|popad|', '', { i64: true });
ONE_BYTE[0x63] = e('movsxd', 'Gv,Ez', { o64: true });
ONE_BYTE[0x68] = e('push', 'Iz', { d64: true });
ONE_BYTE[0x69] = e('imul', 'Gv,Ev,Iz');
ONE_BYTE[0x6a] = e('push', 'Is', { d64: true });
ONE_BYTE[0x6b] = e('imul', 'Gv,Ev,Is');
ONE_BYTE[0x6c] = e('insb', 'Yb,DX');
ONE_BYTE[0x6d] = e('insw|insd|insd', 'Yz,DX');
ONE_BYTE[0x6e] = e('outsb', 'DX,Xb');
ONE_BYTE[0x6f] = e('outsw|outsd|outsd', 'DX,Xz');
for (let c = 0; c < 16; c++) {
  ONE_BYTE[0x70 + c] = e('j' + CC_NAMES[c], 'Jb', { f64: true });
  TWO_BYTE[0x80 + c] = e('j' + CC_NAMES[c], 'Jz', { f64: true });
  TWO_BYTE[0x40 + c] = e('cmov' + CC_NAMES[c], 'Gv,Ev');
  TWO_BYTE[0x90 + c] = e('set' + CC_NAMES[c], 'Eb');
}
ONE_BYTE[0x80] = grp1('Eb,Ib');
ONE_BYTE[0x81] = grp1('Ev,Iz');
ONE_BYTE[0x82] = grp1('Eb,Ib', { i64: true });
ONE_BYTE[0x83] = grp1('Ev,Is');
ONE_BYTE[0x84] = e('test', 'Eb,Gb');
ONE_BYTE[0x85] = e('test', 'Ev,Gv');
ONE_BYTE[0x86] = e('xchg', 'Eb,Gb');
ONE_BYTE[0x87] = e('xchg', 'Ev,Gv');
ONE_BYTE[0x88] = e('mov', 'Eb,Gb');
ONE_BYTE[0x89] = e('mov', 'Ev,Gv');
ONE_BYTE[0x8a] = e('mov', 'Gb,Eb');
ONE_BYTE[0x8b] = e('mov', 'Gv,Ev');
ONE_BYTE[0x8c] = e('mov', 'Esv,Sw');
ONE_BYTE[0x8d] = e('lea', 'Gv,Mx');
ONE_BYTE[0x8e] = e('mov', 'Sw,Ew');
ONE_BYTE[0x8f] = e('', '', { group: [e('pop', 'Ev', { d64: true }), null, null, null, null, null, null, null] });
ONE_BYTE[0x98] = e('cbw|cwde|cdqe');
ONE_BYTE[0x99] = e('cwd|cdq|cqo');
ONE_BYTE[0x9c] = e('pushf|pushfd|pushfq', '', { d64: true });
ONE_BYTE[0x9d] = e('popf|popfd|popfq', '', { d64: true });
ONE_BYTE[0x9e] = e('sahf');
ONE_BYTE[0x9f] = e('lahf');
ONE_BYTE[0xa0] = e('mov', 'aL,Ob');
ONE_BYTE[0xa1] = e('mov', 'rA,Ov');
ONE_BYTE[0xa2] = e('mov', 'Ob,aL');
ONE_BYTE[0xa3] = e('mov', 'Ov,rA');
ONE_BYTE[0xa4] = e('movsb', 'Yb,Xb');
ONE_BYTE[0xa5] = e('movsw|movsd|movsq', 'Yv,Xv');
ONE_BYTE[0xa6] = e('cmpsb', 'Xb,Yb');
ONE_BYTE[0xa7] = e('cmpsw|cmpsd|cmpsq', 'Xv,Yv');
ONE_BYTE[0xa8] = e('test', 'aL,Ib');
ONE_BYTE[0xa9] = e('test', 'rA,Iz');
ONE_BYTE[0xaa] = e('stosb', 'Yb');
ONE_BYTE[0xab] = e('stosw|stosd|stosq', 'Yv');
ONE_BYTE[0xac] = e('lodsb', 'Xb');
ONE_BYTE[0xad] = e('lodsw|lodsd|lodsq', 'Xv');
ONE_BYTE[0xae] = e('scasb', 'Yb');
ONE_BYTE[0xaf] = e('scasw|scasd|scasq', 'Yv');
ONE_BYTE[0xc0] = grp2('Eb,Ib');
ONE_BYTE[0xc1] = grp2('Ev,Ib');
ONE_BYTE[0xc2] = e('ret', 'Iw', { f64: true });
ONE_BYTE[0xc3] = e('ret', '', { f64: true });
ONE_BYTE[0xc6] = e('', '', { group: [e('mov', 'Eb,Ib'), null, null, null, null, null, null, null] });
ONE_BYTE[0xc7] = e('', '', { group: [e('mov', 'Ev,Iz'), null, null, null, null, null, null, null] });
ONE_BYTE[0xc8] = e('enter', 'Iw,Ib', { d64: true });
ONE_BYTE[0xc9] = e('leave', '', { d64: true });
ONE_BYTE[0xca] = e('retf', 'Iw');
ONE_BYTE[0xcb] = e('retf', '');
ONE_BYTE[0xcc] = e('int3');
ONE_BYTE[0xcd] = e('int', 'Ib');
ONE_BYTE[0xcf] = e('iret|iretd|iretq');
ONE_BYTE[0xd0] = grp2('Eb,one');
ONE_BYTE[0xd1] = grp2('Ev,one');
ONE_BYTE[0xd2] = grp2('Eb,CL');
ONE_BYTE[0xd3] = grp2('Ev,CL');
ONE_BYTE[0xe0] = e('loopne', 'Jb', { f64: true });
ONE_BYTE[0xe1] = e('loope', 'Jb', { f64: true });
ONE_BYTE[0xe2] = e('loop', 'Jb', { f64: true });
ONE_BYTE[0xe3] = e('jcxz|jecxz|jrcxz', 'Jb', { f64: true });
ONE_BYTE[0xe4] = e('in', 'aL,Ib');
ONE_BYTE[0xe5] = e('in', 'rz,Ib');
ONE_BYTE[0xe6] = e('out', 'Ib,aL');
ONE_BYTE[0xe7] = e('out', 'Ib,rz');
ONE_BYTE[0xe8] = e('call', 'Jz', { f64: true });
ONE_BYTE[0xe9] = e('jmp', 'Jz', { f64: true });
ONE_BYTE[0xea] = e('jmp', 'Ap', { i64: true });
ONE_BYTE[0xeb] = e('jmp', 'Jb', { f64: true });
ONE_BYTE[0xec] = e('in', 'aL,DX');
ONE_BYTE[0xed] = e('in', 'rz,DX');
ONE_BYTE[0xee] = e('out', 'DX,aL');
ONE_BYTE[0xef] = e('out', 'DX,rz');
ONE_BYTE[0xf4] = e('hlt');
ONE_BYTE[0xf5] = e('cmc');
const grp3 = (s: string, imm: string): OpcodeEntry =>
  e('', '', {
    group: [e('test', `E${s},${imm}`), e('test', `E${s},${imm}`), e('not', `E${s}`), e('neg', `E${s}`),
      e('mul', `E${s}`), e('imul', `E${s}`), e('div', `E${s}`), e('idiv', `E${s}`)],
  });
ONE_BYTE[0xf6] = grp3('b', 'Ib');
ONE_BYTE[0xf7] = grp3('v', 'Iz');
ONE_BYTE[0xf8] = e('clc');
ONE_BYTE[0xf9] = e('stc');
ONE_BYTE[0xfa] = e('cli');
ONE_BYTE[0xfb] = e('sti');
ONE_BYTE[0xfc] = e('cld');
ONE_BYTE[0xfd] = e('std');
ONE_BYTE[0xfe] = e('', '', { group: [e('inc', 'Eb'), e('dec', 'Eb'), null, null, null, null, null, null] });
ONE_BYTE[0xff] = e('', '', {
  group: [e('inc', 'Ev'), e('dec', 'Ev'), e('call', 'Ev', { f64: true }), null,
    e('jmp', 'Ev', { f64: true }), null, e('push', 'Ev', { d64: true }), null],
});

TWO_BYTE[0x00] = e('', '', { group: [e('sldt', 'Esw'), e('str', 'Esw'), e('lldt', 'Ew'), e('ltr', 'Ew'), null, null, null, null] });
TWO_BYTE[0x01] = e('', '', {
  group: [e('sgdt', 'Mt'), e('sidt', 'Mt'), e('lgdt', 'Mt'), e('lidt', 'Mt'), e('smsw', 'Esw'), null, e('lmsw', 'Ew'), e('invlpg', 'Mx')],
  regForms: {
    [0 * 8 + 1]: e('vmcall', '', { np: true }),
    [2 * 8 + 0]: e('xgetbv', '', { np: true }),
    [2 * 8 + 1]: e('xsetbv', '', { np: true }),
    [7 * 8 + 0]: e('swapgs', '', { o64: true }),
    [7 * 8 + 1]: e('rdtscp'),
  },
});
TWO_BYTE[0x05] = e('syscall');
TWO_BYTE[0x06] = e('clts');
TWO_BYTE[0x07] = e('sysret|sysret|sysretq');
TWO_BYTE[0x08] = e('invd');
TWO_BYTE[0x09] = e('wbinvd');
TWO_BYTE[0x0b] = e('ud2');
TWO_BYTE[0x1f] = e('', '', { group: [e('nop', 'Ev'), null, null, null, null, null, null, null] });
TWO_BYTE[0x20] = e('mov', 'Rq,Cd');
TWO_BYTE[0x21] = e('mov', 'Rq,Dd');
TWO_BYTE[0x22] = e('mov', 'Cd,Rq');
TWO_BYTE[0x23] = e('mov', 'Dd,Rq');
TWO_BYTE[0x30] = e('wrmsr');
TWO_BYTE[0x31] = e('rdtsc');
TWO_BYTE[0x32] = e('rdmsr');
TWO_BYTE[0xa0] = e('push', 'FS', { d64: true });
TWO_BYTE[0xa1] = e('pop', 'FS', { d64: true });
TWO_BYTE[0xa2] = e('cpuid');
TWO_BYTE[0xa3] = e('bt', 'Ev,Gv');
TWO_BYTE[0xa4] = e('shld', 'Ev,Gv,Ib');
TWO_BYTE[0xa5] = e('shld', 'Ev,Gv,CL');
TWO_BYTE[0xa8] = e('push', 'GS', { d64: true });
TWO_BYTE[0xa9] = e('pop', 'GS', { d64: true });
TWO_BYTE[0xab] = e('bts', 'Ev,Gv');
TWO_BYTE[0xac] = e('shrd', 'Ev,Gv,Ib');
TWO_BYTE[0xad] = e('shrd', 'Ev,Gv,CL');
TWO_BYTE[0xaf] = e('imul', 'Gv,Ev');
TWO_BYTE[0xb0] = e('cmpxchg', 'Eb,Gb');
TWO_BYTE[0xb1] = e('cmpxchg', 'Ev,Gv');
TWO_BYTE[0xb3] = e('btr', 'Ev,Gv');
TWO_BYTE[0xb6] = e('movzx', 'Gv,Eb');
TWO_BYTE[0xb7] = e('movzx', 'Gv,Ew');
// 0F C7: only RDRAND (/6, register form); CMPXCHG8B/16B and the rest of the group are not implemented (#UD)
TWO_BYTE[0xc7] = e('', '', {
  group: [null, null, null, null, null, null, null, null],
  regForms: Object.fromEntries([0, 1, 2, 3, 4, 5, 6, 7].map((rm) => [6 * 8 + rm, e('rdrand', 'Ev')])),
});
TWO_BYTE[0xba] = e('', '', { group: [null, null, null, null, e('bt', 'Ev,Ib'), e('bts', 'Ev,Ib'), e('btr', 'Ev,Ib'), e('btc', 'Ev,Ib')] });
TWO_BYTE[0xbb] = e('btc', 'Ev,Gv');
TWO_BYTE[0xbc] = e('bsf', 'Gv,Ev');
TWO_BYTE[0xbd] = e('bsr', 'Gv,Ev');
TWO_BYTE[0xbe] = e('movsx', 'Gv,Eb');
TWO_BYTE[0xbf] = e('movsx', 'Gv,Ew');
TWO_BYTE[0xc0] = e('xadd', 'Eb,Gb');
TWO_BYTE[0xc1] = e('xadd', 'Ev,Gv');

/** Opcodes whose ModRM byte is required (derived: any entry with E/G/R/M/S/C/D operands or a group). */
export function needsModrm(entry: OpcodeEntry): boolean {
  if (entry.group) return true;
  return entry.ops.split(',').some((o) => /^(E[bwdqvsz]|G[bwdqvz]|R|M|Sw|Cd|Dd)/.test(o));
}

/** Every mnemonic the table can produce (for SUPPORTED.md and the interpreter's coverage test). */
export function allMnemonics(): string[] {
  const out = new Set<string>();
  const visit = (en: OpcodeEntry | null) => {
    if (!en) return;
    for (const m of en.mn.split('|')) if (m) out.add(m);
    en.group?.forEach(visit);
    if (en.regForms) Object.values(en.regForms).forEach(visit);
    if (en.f3) visit(en.f3);
  };
  ONE_BYTE.forEach(visit);
  TWO_BYTE.forEach(visit);
  return [...out].sort();
}

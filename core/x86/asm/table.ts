/** The instruction encoding table: one line per encoding form, in the spirit of NASM's
 * insns.dat. This is the single place that knows opcode bytes; the matcher and encoder
 * are generic. Kept free of assembler-only types so a decoder could index it too.
 *
 * Line syntax:  `mnemonic operands : roles : encoding [: flags]`
 *   operands  comma-separated patterns (see `Pattern` in match.ts); `v` means "16, 32 and 64
 *             bit variants" (rv, rmv, mv, immv, sbytev, accv, moffsv)
 *   roles     one letter per operand: r=ModRM.reg m=ModRM.rm B=both reg and rm i=immediate
 *             j=relative target o=register in opcode low bits x=moffs f=far pointer -=implicit
 *   encoding  hex opcode bytes, `+r`/`+cc` on the last byte, `/r` or `/0`..`/7`,
 *             operand size `o16 o32 o64 ov`, address size `a16 a32 a64`,
 *             immediates `ib iw id iq ibs iv`, relative `rb rv`, far pointer `fp`, moffs `mo`
 *   flags     sized (a memory operand must have a size keyword, as NASM wants for push/pop),
 *             d64 (defaults to 64-bit operands in long mode), f64 (like d64, and 16-bit operands
 *             are not available in long mode either), no64, only64, lock, sizes=16,32
 */

export interface Form {
  mnemonic: string;
  ops: string[];
  roles: string;
  opcode: number[];
  plusR: boolean;
  modrm: boolean;
  /** ModRM.reg digit for `/n` forms */
  digit: number;
  imms: ('ib' | 'iw' | 'id' | 'iq' | 'ibs')[];
  rel?: 'rb' | 'rv';
  moffs: boolean;
  farPtr: boolean;
  osize?: 16 | 32 | 64;
  asize?: 16 | 32 | 64;
  d64: boolean;
  f64: boolean;
  no64: boolean;
  only64: boolean;
  lockable: boolean;
  /** an unsized memory operand is an error even if only one size would fit */
  sized: boolean;
  /** a v-expanded form: without any operand fixing the size, only the mode's default applies */
  defaultSize: boolean;
}

/** Condition codes with every alias, in encoding order. */
export const CONDITIONS: string[][] = [
  ['o'], ['no'], ['b', 'c', 'nae'], ['ae', 'nb', 'nc'], ['e', 'z'], ['ne', 'nz'], ['be', 'na'], ['a', 'nbe'],
  ['s'], ['ns'], ['p', 'pe'], ['np', 'po'], ['l', 'nge'], ['ge', 'nl'], ['le', 'ng'], ['g', 'nle'],
];

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const SHIFTS: [string, number][] = [['rol', 0], ['ror', 1], ['rcl', 2], ['rcr', 3], ['shl', 4], ['sal', 4], ['shr', 5], ['sar', 7]];
const h = (n: number) => n.toString(16).padStart(2, '0');

function specLines(): string[] {
  const L: string[] = [];
  ALU.forEach((m, n) => {
    const b = n * 8;
    const lock = m === 'cmp' ? '' : 'lock';
    L.push(
      `${m} rm8,r8 : mr : ${h(b)} /r : ${lock}`,
      `${m} rmv,rv : mr : ov ${h(b + 1)} /r : ${lock}`,
      `${m} r8,rm8 : rm : ${h(b + 2)} /r`,
      `${m} rv,rmv : rm : ov ${h(b + 3)} /r`,
      `${m} rmv,sbytev : mi : ov 83 /${n} ibs : ${lock}`,
      `${m} al,imm8 : -i : ${h(b + 4)} ib`,
      `${m} accv,immv : -i : ov ${h(b + 5)} iv`,
      `${m} rm8,imm8 : mi : 80 /${n} ib : ${lock}`,
      `${m} rmv,immv : mi : ov 81 /${n} iv : ${lock}`,
    );
  });
  L.push(
    'mov rm8,r8 : mr : 88 /r',
    'mov rmv,rv : mr : ov 89 /r',
    'mov r8,rm8 : rm : 8a /r',
    'mov rv,rmv : rm : ov 8b /r',
    'mov al,moffs8 : -x : a0 mo',
    'mov accv,moffsv : -x : ov a1 mo',
    'mov moffs8,al : x- : a2 mo',
    'mov moffsv,accv : x- : ov a3 mo',
    'mov r8,imm8 : oi : b0+r ib',
    'mov r16,imm16 : oi : o16 b8+r iw',
    'mov r32,imm32 : oi : o32 b8+r id',
    // NASM's optimisation: a 64-bit register loaded with a small constant uses the 32-bit form
    'mov r64,uimm32 : oi : o32 b8+r id',
    'mov r64,imm64 : oi : o64 b8+r iq',
    'mov rm8,imm8 : mi : c6 /0 ib',
    'mov rmv,immv : mi : ov c7 /0 iv : sizes=16,32',
    'mov m64,simm32 : mi : o64 c7 /0 id',
    // a register gets the sign-extended form only for constants; labels take b8+r iq like NASM
    'mov r64,sdword : mi : o64 c7 /0 id',
    'mov m16,sreg : mr : 8c /r',
    'mov r16,sreg : mr : o16 8c /r',
    'mov r32,sreg : mr : o32 8c /r',
    // like NASM (o64nw): no REX.W for a 64-bit register with a segment register
    'mov r64,sreg : mr : o64 8c /r : d64',
    'mov sregw,m16 : rm : 8e /r',
    'mov sregw,r16 : rm : 8e /r',
    'mov sregw,r32 : rm : 8e /r',
    'mov sregw,r64 : rm : 8e /r',
    'mov r32,cr : mr : 0f 20 /r : no64',
    'mov r64,cr : mr : 0f 20 /r : only64',
    'mov cr,r32 : rm : 0f 22 /r : no64',
    'mov cr,r64 : rm : 0f 22 /r : only64',
    'mov r32,dr : mr : 0f 21 /r : no64',
    'mov r64,dr : mr : 0f 21 /r : only64',
    'mov dr,r32 : rm : 0f 23 /r : no64',
    'mov dr,r64 : rm : 0f 23 /r : only64',
    'movzx rv,rm8 : rm : ov 0f b6 /r',
    'movzx rv,rm16 : rm : ov 0f b7 /r : sizes=32,64',
    'movsx rv,rm8 : rm : ov 0f be /r',
    'movsx rv,rm16 : rm : ov 0f bf /r : sizes=32,64',
    'movsxd r64,rm32 : rm : o64 63 /r',
    'movsx r64,rm32 : rm : o64 63 /r',
    'lea rv,m : rm : ov 8d /r',
    'cmovcc rv,rmv : rm : ov 0f 40+cc /r',
    'xchg accv,rv : -o : ov 90+r',
    'xchg rv,accv : o- : ov 90+r',
    // NASM lists the reg,r/m order first, so `xchg ecx, edx` is 87 ca
    'xchg r8,rm8 : rm : 86 /r : lock',
    'xchg rm8,r8 : mr : 86 /r : lock',
    'xchg rv,rmv : rm : ov 87 /r : lock',
    'xchg rmv,rv : mr : ov 87 /r : lock',
    'test rm8,r8 : mr : 84 /r',
    'test rmv,rv : mr : ov 85 /r',
    'test r8,m8 : rm : 84 /r',
    'test rv,mv : rm : ov 85 /r',
    'test al,imm8 : -i : a8 ib',
    'test accv,immv : -i : ov a9 iv',
    'test rm8,imm8 : mi : f6 /0 ib',
    'test rmv,immv : mi : ov f7 /0 iv',
    'inc rv : o : ov 40+r : no64',
    'inc rm8 : m : fe /0 : lock',
    'inc rmv : m : ov ff /0 : lock',
    'dec rv : o : ov 48+r : no64',
    'dec rm8 : m : fe /1 : lock',
    'dec rmv : m : ov ff /1 : lock',
  );
  for (const [m, n, lock] of [['not', 2, 'lock'], ['neg', 3, 'lock'], ['mul', 4, ''], ['imul', 5, ''], ['div', 6, ''], ['idiv', 7, '']] as const) {
    L.push(`${m} rm8 : m : f6 /${n} : ${lock}`, `${m} rmv : m : ov f7 /${n} : ${lock}`);
  }
  L.push(
    'imul rv,rmv : rm : ov 0f af /r',
    'imul rv,rmv,sbytev : rmi : ov 6b /r ibs',
    'imul rv,rmv,immv : rmi : ov 69 /r iv',
    'imul rv,sbytev : Bi : ov 6b /r ibs',
    'imul rv,immv : Bi : ov 69 /r iv',
  );
  for (const [m, n] of SHIFTS) {
    L.push(
      `${m} rm8,one : m- : d0 /${n}`,
      `${m} rm8,cl : m- : d2 /${n}`,
      `${m} rm8,imm8 : mi : c0 /${n} ib`,
      `${m} rmv,one : m- : ov d1 /${n}`,
      `${m} rmv,cl : m- : ov d3 /${n}`,
      `${m} rmv,imm8 : mi : ov c1 /${n} ib`,
    );
  }
  L.push(
    'shld rmv,rv,imm8 : mri : ov 0f a4 /r ib',
    'shld rmv,rv,cl : mr- : ov 0f a5 /r',
    'shrd rmv,rv,imm8 : mri : ov 0f ac /r ib',
    'shrd rmv,rv,cl : mr- : ov 0f ad /r',
  );
  for (const [m, rr, n] of [['bt', 'a3', 4], ['bts', 'ab', 5], ['btr', 'b3', 6], ['btc', 'bb', 7]] as const) {
    const lock = m === 'bt' ? '' : 'lock';
    L.push(`${m} rmv,rv : mr : ov 0f ${rr} /r : ${lock}`, `${m} rmv,imm8 : mi : ov 0f ba /${n} ib : ${lock}`);
  }
  L.push(
    'bsf rv,rmv : rm : ov 0f bc /r',
    'bsr rv,rmv : rm : ov 0f bd /r',
    'bswap r32 : o : o32 0f c8+r',
    'bswap r64 : o : o64 0f c8+r',
    'setcc rm8 : m : 0f 90+cc /0',
    'xadd rm8,r8 : mr : 0f c0 /r : lock',
    'xadd rmv,rv : mr : ov 0f c1 /r : lock',
    'cmpxchg rm8,r8 : mr : 0f b0 /r : lock',
    'cmpxchg rmv,rv : mr : ov 0f b1 /r : lock',
    // stack
    'push rv : o : ov 50+r : d64',
    'push mv : m : ov ff /6 : d64 sized',
    'push sbytev : i : ov 6a ibs : d64',
    'push immv : i : ov 68 iv : d64',
    'push es : - : 06 : no64',
    'push cs : - : 0e : no64',
    'push ss : - : 16 : no64',
    'push ds : - : 1e : no64',
    'push fs : - : 0f a0',
    'push gs : - : 0f a8',
    'pop rv : o : ov 58+r : d64',
    'pop mv : m : ov 8f /0 : d64 sized',
    'pop es : - : 07 : no64',
    'pop ss : - : 17 : no64',
    'pop ds : - : 1f : no64',
    'pop fs : - : 0f a1',
    'pop gs : - : 0f a9',
    'pushf : : ov 9c : d64',
    'pushfw : : o16 9c',
    'pushfd : : o32 9c : no64',
    'pushfq : : o64 9c : d64 only64',
    'popf : : ov 9d : d64',
    'popfw : : o16 9d',
    'popfd : : o32 9d : no64',
    'popfq : : o64 9d : d64 only64',
    'pusha : : ov 60 : no64 sizes=16,32',
    'pushaw : : o16 60 : no64',
    'pushad : : o32 60 : no64',
    'popa : : ov 61 : no64 sizes=16,32',
    'popaw : : o16 61 : no64',
    'popad : : o32 61 : no64',
    'enter imm16,imm8 : ii : c8 iw ib',
    'leave : : c9',
    // control transfer
    'call rel : j : e8 rv',
    'call rmv : m : ov ff /2 : f64',
    'call far16 : f : o16 9a fp : no64',
    'call far32 : f : o32 9a fp : no64',
    'call mfarv : m : ov ff /3',
    'jmp relb : j : eb rb',
    'jmp rel : j : e9 rv',
    'jmp rmv : m : ov ff /4 : f64',
    'jmp far16 : f : o16 ea fp : no64',
    'jmp far32 : f : o32 ea fp : no64',
    'jmp mfarv : m : ov ff /5',
    'jcc relb : j : 70+cc rb',
    'jcc rel : j : 0f 80+cc rv',
    // the count register, when written, picks the address size (NASM: `loop label, ecx`)
    'loop relb : j : e2 rb',
    'loop relb,cx : j- : a16 e2 rb',
    'loop relb,ecx : j- : a32 e2 rb',
    'loop relb,rcx : j- : a64 e2 rb',
    'loope relb : j : e1 rb',
    'loope relb,cx : j- : a16 e1 rb',
    'loope relb,ecx : j- : a32 e1 rb',
    'loope relb,rcx : j- : a64 e1 rb',
    'loopz relb : j : e1 rb',
    'loopz relb,cx : j- : a16 e1 rb',
    'loopz relb,ecx : j- : a32 e1 rb',
    'loopz relb,rcx : j- : a64 e1 rb',
    'loopne relb : j : e0 rb',
    'loopne relb,cx : j- : a16 e0 rb',
    'loopne relb,ecx : j- : a32 e0 rb',
    'loopne relb,rcx : j- : a64 e0 rb',
    'loopnz relb : j : e0 rb',
    'loopnz relb,cx : j- : a16 e0 rb',
    'loopnz relb,ecx : j- : a32 e0 rb',
    'loopnz relb,rcx : j- : a64 e0 rb',
    'jcxz relb : j : a16 e3 rb',
    'jecxz relb : j : a32 e3 rb',
    'jrcxz relb : j : a64 e3 rb',
    'ret : : c3',
    'ret imm16 : i : c2 iw',
    'retn : : c3',
    'retn imm16 : i : c2 iw',
    'retf : : cb',
    'retf imm16 : i : ca iw',
    'retfw : : o16 cb',
    'retfd : : o32 cb',
    'retfq : : o64 cb : only64',
    'retfw imm16 : i : o16 ca iw',
    'retfd imm16 : i : o32 ca iw',
    'retfq imm16 : i : o64 ca iw : only64',
    'int imm8 : i : cd ib',
    'int3 : : cc',
    'int1 : : f1',
    'into : : ce : no64',
    'iret : : ov cf : sizes=16,32',
    'iretw : : o16 cf',
    'iretd : : o32 cf',
    'iretq : : o64 cf : only64',
    // conversions
    'cbw : : o16 98',
    'cwde : : o32 98',
    'cdqe : : o64 98',
    'cwd : : o16 99',
    'cdq : : o32 99',
    'cqo : : o64 99',
    // strings
    'movsb : : a4', 'movsw : : o16 a5', 'movsd : : o32 a5', 'movsq : : o64 a5',
    'cmpsb : : a6', 'cmpsw : : o16 a7', 'cmpsd : : o32 a7', 'cmpsq : : o64 a7',
    'scasb : : ae', 'scasw : : o16 af', 'scasd : : o32 af', 'scasq : : o64 af',
    'lodsb : : ac', 'lodsw : : o16 ad', 'lodsd : : o32 ad', 'lodsq : : o64 ad',
    'stosb : : aa', 'stosw : : o16 ab', 'stosd : : o32 ab', 'stosq : : o64 ab',
    'insb : : 6c', 'insw : : o16 6d', 'insd : : o32 6d',
    'outsb : : 6e', 'outsw : : o16 6f', 'outsd : : o32 6f',
    // flags and misc
    'nop : : 90',
    'nop rmv : m : ov 0f 1f /0 : sized',
    'pause : : f3 90',
    'clc : : f8', 'stc : : f9', 'cmc : : f5', 'cld : : fc', 'std : : fd',
    'cli : : fa', 'sti : : fb', 'hlt : : f4', 'sahf : : 9e', 'lahf : : 9f', 'xlatb : : d7',
    // ports
    'in al,imm8 : -i : e4 ib',
    'in ax,imm8 : -i : o16 e5 ib',
    'in eax,imm8 : -i : o32 e5 ib',
    'in al,dx : -- : ec',
    'in ax,dx : -- : o16 ed',
    'in eax,dx : -- : o32 ed',
    'out imm8,al : i- : e6 ib',
    'out imm8,ax : i- : o16 e7 ib',
    'out imm8,eax : i- : o32 e7 ib',
    'out dx,al : -- : ee',
    'out dx,ax : -- : o16 ef',
    'out dx,eax : -- : o32 ef',
    // system
    'cpuid : : 0f a2',
    'rdmsr : : 0f 32',
    'wrmsr : : 0f 30',
    'rdtsc : : 0f 31',
    'rdtscp : : 0f 01 f9',
    'rdrand rv : m : ov 0f c7 /6',
    'rdpmc : : 0f 33',
    'lgdt m0 : m : 0f 01 /2',
    'lidt m0 : m : 0f 01 /3',
    'sgdt m0 : m : 0f 01 /0',
    'sidt m0 : m : 0f 01 /1',
    'lldt rm16 : m : 0f 00 /2',
    'ltr rm16 : m : 0f 00 /3',
    'sldt m16 : m : 0f 00 /0',
    'sldt r16 : m : o16 0f 00 /0',
    'sldt r32 : m : o32 0f 00 /0',
    // NASM (o64nw): the 64-bit register form has no REX.W
    'sldt r64 : m : o64 0f 00 /0 : d64',
    'str m16 : m : 0f 00 /1',
    'str rv : m : ov 0f 00 /1',
    'lmsw rm16 : m : 0f 01 /6',
    'smsw m16 : m : 0f 01 /4',
    'smsw rv : m : ov 0f 01 /4',
    'invlpg m0 : m : 0f 01 /7',
    'swapgs : : 0f 01 f8 : only64',
    'syscall : : 0f 05',
    'sysret : : 0f 07',
    'sysretq : : o64 0f 07 : only64',
    'sysenter : : 0f 34',
    'sysexit : : 0f 35',
    'sysexitq : : o64 0f 35 : only64',
    'xsetbv : : 0f 01 d1',
    'xgetbv : : 0f 01 d0',
    'vmcall : : 0f 01 c1',
    'clts : : 0f 06',
    'wbinvd : : 0f 09',
    'invd : : 0f 08',
    'ud2 : : 0f 0b',
    'lfence : : 0f ae e8',
    'mfence : : 0f ae f0',
    'sfence : : 0f ae f8',
    'monitor : : 0f 01 c8',
    'mwait : : 0f 01 c9',
  );
  return L;
}

const V_OPS: Record<string, (n: 16 | 32 | 64) => string> = {
  rv: (n) => `r${n}`,
  rmv: (n) => `rm${n}`,
  mv: (n) => `m${n}`,
  immv: (n) => (n === 64 ? 'simm32' : `imm${n}`),
  sbytev: () => 'sbyte',
  accv: (n) => ({ 16: 'ax', 32: 'eax', 64: 'rax' })[n],
  moffsv: (n) => `moffs${n}`,
  mfarv: () => 'mfar',
};

function parseLine(line: string): Form[] {
  const [head, roles, enc, flagText = ''] = line.split(':').map((s) => s.trim());
  const sp = head.indexOf(' ');
  const mnemonic = sp < 0 ? head : head.slice(0, sp);
  const ops = sp < 0 ? [] : head.slice(sp + 1).split(',').map((s) => s.trim());
  const flags = flagText.split(/\s+/).filter(Boolean);
  const tokens = enc.split(/\s+/).filter(Boolean);
  const templated = ops.some((o) => o in V_OPS) || tokens.includes('ov');
  // far pointers pick 16:16 or 16:32 by the mode's default unless a size is written
  const defaultSize = templated || ops.some((o) => o === 'far16' || o === 'far32');
  const sizesFlag = flags.find((f) => f.startsWith('sizes='));
  const sizes = templated ? (sizesFlag ? sizesFlag.slice(6).split(',').map(Number) : [16, 32, 64]) : [0];
  const ccs = mnemonic.endsWith('cc') ? CONDITIONS.flatMap((names, code) => names.map((n) => ({ name: mnemonic.slice(0, -2) + n, code }))) : [{ name: mnemonic, code: 0 }];
  const forms: Form[] = [];
  for (const n of sizes as (0 | 16 | 32 | 64)[]) {
    for (const cc of ccs) {
      const f: Form = {
        mnemonic: cc.name,
        ops: ops.map((o) => (n && o in V_OPS ? V_OPS[o](n) : o)),
        roles: roles.replace(/\s/g, ''),
        opcode: [],
        plusR: false,
        modrm: false,
        digit: 0,
        imms: [],
        moffs: false,
        farPtr: false,
        d64: flags.includes('d64') || flags.includes('f64'),
        f64: flags.includes('f64'),
        no64: flags.includes('no64'),
        only64: flags.includes('only64'),
        lockable: flags.includes('lock'),
        sized: flags.includes('sized'),
        defaultSize,
      };
      for (const t of tokens) applyToken(f, t, n, cc.code);
      forms.push(f);
    }
  }
  return forms;
}

function applyToken(f: Form, t: string, n: number, cc: number): void {
  if (/^[0-9a-f]{2}\+(r|cc)$/.test(t)) {
    const base = parseInt(t.slice(0, 2), 16);
    if (t.endsWith('+r')) {
      f.opcode.push(base);
      f.plusR = true;
    } else f.opcode.push(base + cc);
  } else if (/^[0-9a-f]{2}$/.test(t)) f.opcode.push(parseInt(t, 16));
  else if (t === '/r') f.modrm = true;
  else if (/^\/[0-7]$/.test(t)) {
    f.modrm = true;
    f.digit = Number(t[1]);
  } else if (t === 'ov') f.osize = n as 16 | 32 | 64;
  else if (/^o(16|32|64)$/.test(t)) f.osize = Number(t.slice(1)) as 16 | 32 | 64;
  else if (/^a(16|32|64)$/.test(t)) f.asize = Number(t.slice(1)) as 16 | 32 | 64;
  else if (t === 'iv') f.imms.push(n === 16 ? 'iw' : 'id');
  else if (t === 'ib' || t === 'iw' || t === 'id' || t === 'iq' || t === 'ibs') f.imms.push(t);
  else if (t === 'rb' || t === 'rv') f.rel = t;
  else if (t === 'mo') f.moffs = true;
  else if (t === 'fp') f.farPtr = true;
  else throw new Error(`encoding table: bad token '${t}'`);
}

/** All forms, grouped by mnemonic, in table order (earlier wins a tie in length). */
export const FORMS: ReadonlyMap<string, readonly Form[]> = (() => {
  const map = new Map<string, Form[]>();
  for (const line of specLines()) {
    for (const f of parseLine(line)) {
      const list = map.get(f.mnemonic) ?? [];
      list.push(f);
      map.set(f.mnemonic, list);
    }
  }
  return map;
})();

/** Instruction prefixes written as words before a mnemonic. */
export const PREFIX_BYTES: Record<string, number> = {
  lock: 0xf0,
  rep: 0xf3,
  repe: 0xf3,
  repz: 0xf3,
  repne: 0xf2,
  repnz: 0xf2,
};

/** The table indexed the way a decoder looks things up: by opcode bytes (with `+r` and
 * `+cc` forms listed under each of their concrete bytes), key = lowercase hex, no spaces. */
export function formsByOpcode(): Map<string, Form[]> {
  const index = new Map<string, Form[]>();
  const add = (key: string, f: Form) => {
    const list = index.get(key) ?? [];
    if (!list.includes(f)) list.push(f);
    index.set(key, list);
  };
  for (const forms of FORMS.values()) {
    for (const f of forms) {
      const head = f.opcode.slice(0, -1).map(h).join('');
      const last = f.opcode[f.opcode.length - 1];
      if (f.plusR) for (let r = 0; r < 8; r++) add(head + h(last + r), f);
      else add(head + h(last), f);
    }
  }
  return index;
}

/** Every mnemonic, for editor completion and highlighting. */
export const MNEMONICS: readonly string[] = [...FORMS.keys()].sort();

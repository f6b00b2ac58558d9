/** Generates source text for one encoding-table form with random operands, together
 * with what a decoder should see: registers, memory parts, immediates, branch targets.
 * The expectation comes from the operands written, never from the encoder. */
import type { Form } from '../table';
import type { Random } from './random';

export type Bits = 16 | 32 | 64;

export type Expected =
  | { kind: 'reg'; name: string }
  | { kind: 'mem'; size: number; base?: string; index?: string; scale: number; disp: bigint; seg?: string; rip?: boolean }
  | { kind: 'imm'; value: bigint }
  | { kind: 'branch'; target: bigint }
  | { kind: 'far'; selector: number; offset: number };

export interface Generated {
  text: string;
  operands: Expected[];
}

const GPR: Record<number, string[]> = {
  8: ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'],
  16: ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'],
  32: ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'],
  64: ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'],
};
const GPR64MODE: Record<number, string[]> = {
  8: ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', ...[8, 9, 10, 11, 12, 13, 14, 15].map((i) => `r${i}b`)],
  16: [...GPR[16], ...[8, 9, 10, 11, 12, 13, 14, 15].map((i) => `r${i}w`)],
  32: [...GPR[32], ...[8, 9, 10, 11, 12, 13, 14, 15].map((i) => `r${i}d`)],
  64: [...GPR[64], ...[8, 9, 10, 11, 12, 13, 14, 15].map((i) => `r${i}`)],
};
const SIZE_WORD: Record<number, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword' };

export function gpr(rng: Random, size: number, bits: Bits): string {
  return rng.pick(bits === 64 ? GPR64MODE[size] : GPR[size]);
}

function randomValue(rng: Random, lo: bigint, hi: bigint): bigint {
  const span = hi - lo + 1n;
  const r = (BigInt(Math.floor(rng.next() * 2 ** 32)) << 32n) | BigInt(Math.floor(rng.next() * 2 ** 32));
  return lo + (r % span);
}

function hex(v: bigint): string {
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

/** A random memory operand for the mode; `sized` writes the size keyword. */
export function memory(rng: Random, bits: Bits, size: number, sized: boolean, address = 0n): { text: string; exp: Expected } {
  const seg = rng.chance(0.15) ? rng.pick(['es', 'cs', 'ss', 'ds', 'fs', 'gs']) : undefined;
  const kw = sized && size ? `${SIZE_WORD[size]} ` : '';
  const segText = seg ? `${seg}:` : '';
  const dispKind = rng.int(0, 3);
  if (bits === 16 || (bits === 32 && rng.chance(0.1))) {
    const combos = [['bx', 'si'], ['bx', 'di'], ['bp', 'si'], ['bp', 'di'], ['si'], ['di'], ['bp'], ['bx'], []];
    const regs = rng.pick(combos);
    let disp = dispKind === 0 ? 0n : dispKind === 1 ? randomValue(rng, -128n, 127n) : randomValue(rng, -32768n, 32767n);
    if (regs.length === 0) disp = randomValue(rng, 0n, 0xffffn);
    const parts = [...regs];
    if (disp !== 0n || regs.length === 0) parts.push(hex(disp));
    const text = `${kw}[${segText}${parts.join('+').replace(/\+-/g, '-')}]`;
    return { text, exp: { kind: 'mem', size, base: regs[0], index: regs[1], scale: 1, disp, seg } };
  }
  const asize = bits === 64 && rng.chance(0.15) ? 32 : bits;
  if (bits === 64 && rng.chance(0.1)) {
    // RIP-relative needs a relocatable address: `$` (the instruction's own address) plus an offset
    const off = randomValue(rng, -0x800n, 0xffffn);
    const text = `${kw}[${segText}rel $${off < 0n ? '-' : '+'}${hex(off < 0n ? -off : off)}]`;
    return { text, exp: { kind: 'mem', size, base: 'rip', scale: 1, disp: address + off, seg, rip: true } };
  }
  const regs = asize === 64 ? GPR64MODE[64] : bits === 64 ? GPR64MODE[32] : GPR[32];
  const base = rng.chance(0.85) ? rng.pick(regs) : undefined;
  const index = rng.chance(0.4) ? rng.pick(regs.filter((r) => !/^[er]sp$/.test(r))) : undefined;
  const scale = index ? rng.pick([1, 2, 4, 8]) : 1;
  let disp = dispKind === 0 ? 0n : dispKind === 1 ? randomValue(rng, -128n, 127n) : randomValue(rng, -0x80000000n, 0x7fffffffn);
  if (!base && !index) disp = randomValue(rng, 0n, 0x7fffffffn);
  const parts: string[] = [];
  if (base) parts.push(base);
  if (index) parts.push(scale === 1 ? index : `${index}*${scale}`);
  if (disp !== 0n || parts.length === 0) parts.push(hex(disp));
  const text = `${kw}[${segText}${parts.join('+').replace(/\+-/g, '-')}]`;
  // NASM writes [reg*2] as [reg+reg]
  const exp: Expected =
    !base && index && scale === 1
      ? { kind: 'mem', size, base: index, scale: 1, disp, seg }
      : !base && index && scale === 2 ? { kind: 'mem', size, base: index, index, scale: 1, disp, seg } : { kind: 'mem', size, base, index, scale, disp, seg };
  return { text, exp };
}

const SREGS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];

/** One operand for a pattern; undefined when the generator has no way to make one. */
function operand(rng: Random, pat: string, form: Form, bits: Bits, address: bigint): { text: string; exp: Expected } | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^r(8|16|32|64)$/.exec(pat))) {
    const r = gpr(rng, Number(m[1]), bits);
    return { text: r, exp: { kind: 'reg', name: r } };
  }
  if ((m = /^rm(8|16|32|64)$/.exec(pat))) {
    if (rng.chance(0.5)) return operand(rng, `r${m[1]}`, form, bits, address);
    return memory(rng, bits, Number(m[1]), true, address);
  }
  if ((m = /^m(8|16|32|64)$/.exec(pat))) return memory(rng, bits, Number(m[1]), true, address);
  if (pat === 'm' || pat === 'm0') return memory(rng, bits, 0, false, address);
  if (pat === 'mfar') {
    const mem = memory(rng, bits, 0, false, address);
    return { text: `far ${mem.text}`, exp: mem.exp };
  }
  if ((m = /^moffs(8|16|32|64)$/.exec(pat))) {
    const size = Number(m[1]);
    const addr = bits === 64 ? randomValue(rng, 0x100000000n, 0xffffffffffffn) : randomValue(rng, 0n, bits === 16 ? 0xffffn : 0xffffffffn);
    return { text: `[${hex(addr)}]`, exp: { kind: 'mem', size, scale: 1, disp: addr } };
  }
  if (['al', 'ax', 'eax', 'rax', 'cl', 'dx', 'cx', 'ecx', 'rcx', ...SREGS].includes(pat)) return { text: pat, exp: { kind: 'reg', name: pat } };
  if (pat === 'sreg' || pat === 'sregw') {
    const r = rng.pick(pat === 'sreg' ? SREGS : SREGS.filter((s) => s !== 'cs'));
    return { text: r, exp: { kind: 'reg', name: r } };
  }
  if (pat === 'cr') {
    const r = rng.pick(bits === 64 ? ['cr0', 'cr2', 'cr3', 'cr4', 'cr8'] : ['cr0', 'cr2', 'cr3', 'cr4']);
    return { text: r, exp: { kind: 'reg', name: r } };
  }
  if (pat === 'dr') {
    const r = `dr${rng.int(0, 7)}`;
    return { text: r, exp: { kind: 'reg', name: r } };
  }
  const immRange: Record<string, [bigint, bigint]> = {
    imm8: [-128n, 255n],
    imm16: [-32768n, 65535n],
    imm32: [-0x80000000n, 0xffffffffn],
    imm64: [0x100000000n, 0x7fffffffffffffffn],
    simm32: [-0x80000000n, 0x7fffffffn],
    sdword: [-0x80000000n, -1n],
    uimm32: [0n, 0xffffffffn],
    sbyte: [-128n, 127n],
  };
  if (pat in immRange) {
    let [lo, hi] = immRange[pat];
    // values that force the wide form so that form is exercised
    if ((pat === 'imm16' || pat === 'imm32' || pat === 'simm32') && form.osize && rng.chance(0.7)) lo = 128n;
    const v = randomValue(rng, lo, hi);
    const kw = pat === 'imm64' ? 'qword ' : '';
    return { text: `${kw}${hex(v)}`, exp: { kind: 'imm', value: v } };
  }
  if (pat === 'one') return { text: '1', exp: { kind: 'imm', value: 1n } };
  if (pat === 'relb' || pat === 'rel') {
    const span = pat === 'relb' ? 100n : bits === 16 ? 20000n : 1000000n;
    const min = pat === 'relb' ? 0n : 300n;
    let d = randomValue(rng, min, span);
    if (rng.chance(0.5)) d = -d;
    let target = address + d;
    if (target < 0n) target = address + (d < 0n ? -d : d);
    const kw = pat === 'relb' ? 'short ' : 'near ';
    return { text: `${kw}${hex(target)}`, exp: { kind: 'branch', target } };
  }
  if (pat === 'far16' || pat === 'far32') {
    const sel = rng.int(0, 0xffff);
    const off = pat === 'far16' ? rng.int(0, 0xffff) : rng.int(0, 0x7fffffff);
    const kw = pat === 'far16' ? 'word ' : 'dword ';
    return { text: `${kw}0x${sel.toString(16)}:0x${off.toString(16)}`, exp: { kind: 'far', selector: sel, offset: off } };
  }
  return undefined;
}

export function generate(rng: Random, form: Form, bits: Bits, address: bigint): Generated | undefined {
  const texts: string[] = [];
  const operands: Expected[] = [];
  // without a register to fix the operand size, a non-default size must be written
  const regFixes = form.ops.some((p) => /^(r|rm)(8|16|32|64)$|^(al|ax|eax|rax)$/.test(p));
  const immKw = form.defaultSize && !regFixes && form.osize ? `${SIZE_WORD[form.osize]} ` : '';
  for (const pat of form.ops) {
    const o = operand(rng, pat, form, bits, address);
    if (!o) return undefined;
    texts.push(o.exp.kind === 'imm' && !o.text.startsWith('qword') ? immKw + o.text : o.text);
    operands.push(o.exp);
  }
  // `xchg ax, ax` and friends are 0x90, which decoders call nop
  if (form.mnemonic === 'xchg' && texts.every((t) => /^(ax|eax|rax)$/.test(t))) return undefined;
  // an implicit-size memory operand needs a keyword when no register fixes the size
  return { text: `${form.mnemonic}${texts.length ? ' ' + texts.join(', ') : ''}`, operands };
}

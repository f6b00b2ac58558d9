/** Differential check: every form of the encoding table, in every mode where it is valid,
 * with seeded random operands; the bytes must decode (iced-x86) to exactly what was written. */
import { assemble } from '../index';
import { FORMS, type Form } from '../table';
import { formValidInMode } from '../match';
import { generate, type Bits, type Expected } from './generate';
import { decodeOne, type Decoded } from './iced';
import { Random } from './random';
import { lookupRegister } from '../registers';

const PER_FORM = 6;

/** iced's canonical mnemonic for the names NASM accepts as aliases. */
function canonical(m: string, bits: Bits): string {
  const cc: Record<string, string> = { c: 'b', nae: 'b', nb: 'ae', nc: 'ae', z: 'e', nz: 'ne', na: 'be', nbe: 'a', pe: 'p', po: 'np', nge: 'l', nl: 'ge', ng: 'le', nle: 'g' };
  const cond = /^(j|set|cmov)(.+)$/.exec(m);
  if (cond && cond[2] in cc && m !== 'jcxz') return cond[1] + cc[cond[2]];
  const fixed: Record<string, string> = { sal: 'shl', retn: 'ret', loopz: 'loope', loopnz: 'loopne', iretw: 'iret', pushfw: 'pushf', popfw: 'popf', pushaw: 'pusha', popaw: 'popa', retfw: 'retf', retfd: 'retf', retfq: 'retf' };
  if (m in fixed) return fixed[m];
  const byMode: Record<string, Record<Bits, string>> = {
    pushf: { 16: 'pushf', 32: 'pushfd', 64: 'pushfq' },
    popf: { 16: 'popf', 32: 'popfd', 64: 'popfq' },
    iret: { 16: 'iret', 32: 'iretd', 64: 'iretd' },
    pusha: { 16: 'pusha', 32: 'pushad', 64: '' },
    popa: { 16: 'popa', 32: 'popad', 64: '' },
  };
  return byMode[m]?.[bits] ?? m;
}

const norm = (e: Expected | Decoded['operands'][number], bits: Bits): string => {
  switch (e.kind) {
    case 'mem': {
      const asz = e.base === 'rip' ? 64 : /^(e..|r\d+d)$/.test(e.base ?? e.index ?? '') ? 32 : /^(bx|bp|si|di)$/.test(e.base ?? e.index ?? '') ? 16 : e.base || e.index ? 64 : bits;
      const disp = BigInt.asUintN(asz, e.disp);
      const regs = [e.base, e.index].filter((r) => r !== undefined).sort().join('+');
      const scale = e.index ? `*${e.scale}` : '';
      return `mem${e.size ? e.size : ''}[${e.seg ?? ''}:${regs}${scale}+${disp}]`;
    }
    case 'imm':
      return `imm ${BigInt.asUintN(8, e.value) === BigInt.asUintN(8, e.value) ? e.value : 0n}`;
    case 'branch':
      return `branch ${BigInt.asUintN(bits, e.target)}`;
    case 'far':
      return `far ${e.selector}:${e.offset}`;
    case 'reg':
      return `reg ${e.name}`;
    default:
      return `other ${e.what}`;
  }
};

function compareImm(exp: bigint, got: bigint): boolean {
  for (const w of [8, 16, 32, 64]) if (BigInt.asUintN(w, exp) === got && (w === 64 || got < 1n << BigInt(w))) return true;
  return false;
}

function expectedOperands(form: Form, ops: Expected[]): Expected[] {
  let out = ops;
  // mov r64, small constant is assembled as mov r32 (NASM's optimisation)
  const small = ops[1]?.kind === 'imm' && ops[1].value >= 0n && ops[1].value < 1n << 32n;
  if (form.mnemonic === 'mov' && ops[0].kind === 'reg' && /^r(.x|[sb]p|[sd]i|\d+)$/.test(ops[0].name) && small) out = [{ kind: 'reg', name: ops[0].kind === 'reg' ? ops[0].name.replace(/^r(.)x$/, 'e$1x').replace(/^r(\d+)$/, 'r$1d').replace(/^r([sb]p|[sd]i)$/, 'e$1') : '' }, ops[1]];
  // `mov sreg, r32` and `mov sreg, r16` are one encoding; decoders name the register by operand size
  if (form.ops[0] === 'sregw' && ops[1].kind === 'reg') out = [ops[0], { kind: 'reg', name: `#${lookupRegister(ops[1].name)!.num}` }];
  if (form.ops[1] === 'sreg' && ops[0].kind === 'reg') out = [{ kind: 'reg', name: `#${lookupRegister(ops[0].name)!.num}` }, ops[1]];
  if (['ltr', 'lldt', 'lmsw', 'sldt'].includes(form.mnemonic) && ops[0].kind === 'reg') out = [{ kind: 'reg', name: `#${lookupRegister(ops[0].name)!.num}` }];
  // two-operand imul r, imm is imul r, r, imm
  if (form.mnemonic === 'imul' && form.roles === 'Bi') out = [ops[0], ops[0], ops[1]];
  return out;
}

function same(form: Form, bits: Bits, exp: Expected[], got: Decoded): string | undefined {
  if (got.operands.length !== exp.length) return `operand count ${got.operands.length} != ${exp.length}`;
  const a = exp.map((e, i) => {
    const g = got.operands[i];
    if (e.kind === 'imm' && g.kind === 'imm') return compareImm(e.value, g.value) ? 'imm ok' : `imm ${e.value}`;
    if (e.kind === 'mem' && g.kind === 'mem' && e.size === 0) return norm(e, bits) === norm({ ...g, size: 0 }, bits) ? 'mem ok' : norm(e, bits);
    return norm(e, bits);
  });
  const b = got.operands.map((g, i) => {
    const e = exp[i];
    if (e.kind === 'imm' && g.kind === 'imm') return compareImm(e.value, g.value) ? 'imm ok' : `imm got ${g.value}`;
    if (e.kind === 'mem' && g.kind === 'mem' && e.size === 0) return norm(e, bits) === norm({ ...g, size: 0 }, bits) ? 'mem ok' : norm({ ...g, size: 0 }, bits);
    if (e.kind === 'reg' && e.name.startsWith('#') && g.kind === 'reg') return `reg #${lookupRegister(g.name)?.num ?? g.name}`;
    return norm(g, bits);
  });
  // xchg and test are symmetric: the decoder shows the ModRM order
  if (form.mnemonic === 'xchg' || form.mnemonic === 'test') {
    a.sort();
    b.sort();
  }
  const sa = a.join(', ');
  const sb = b.join(', ');
  return sa === sb ? undefined : `expected ${sa}\n     got ${sb}`;
}

export function runDifferential(bits: Bits, perForm = PER_FORM): { checked: number; failures: string[] } {
  const rng = new Random(0x5eed + bits);
  const failures: string[] = [];
  let checked = 0;
  const origin = 0x1000n;
  for (const [, forms] of FORMS) {
    for (const form of forms) {
      if (!formValidInMode(form, bits)) continue;
      let generated = 0;
      for (let n = 0; n < perForm * 3 && generated < perForm; n++) {
        const g = generate(rng, form, bits, origin);
        if (!g) continue;
        generated++;
        const res = assemble(`org 0x1000\n${g.text}`, { bits });
        if (res.errors.length) {
          failures.push(`[${bits}] ${g.text}: ${res.errors[0].message}`);
          continue;
        }
        const got = decodeOne(bits, res.bytes, origin);
        checked++;
        const where = `[${bits}] ${g.text}  =>  ${Array.from(res.bytes, (x) => x.toString(16).padStart(2, '0')).join(' ')}  (${got.text})`;
        if (got.length !== res.bytes.length) failures.push(`${where}: decoded length ${got.length} != ${res.bytes.length}`);
        else if (got.mnemonic !== canonical(form.mnemonic, bits) && !(form.mnemonic === 'movsx' && got.mnemonic === 'movsxd')) failures.push(`${where}: mnemonic ${got.mnemonic}`);
        else if (!/^(movs|cmps|scas|lods|stos|ins|outs)[bwdq]$|^xlatb$/.test(form.mnemonic)) {
          // decoders show loop's count register only when it is not the mode's default
          const isLoop = form.mnemonic.startsWith('loop');
          const exp = isLoop ? g.operands.slice(0, 1) : expectedOperands(form, g.operands);
          const diff = same(form, bits, exp, isLoop ? { ...got, operands: got.operands.filter((o) => o.kind !== 'reg') } : got);
          if (diff) failures.push(`${where}: ${diff}`);
        }
      }
      if (generated === 0) failures.push(`[${bits}] no operands could be generated for ${form.mnemonic} ${form.ops.join(',')}`);
    }
  }
  return { checked, failures };
}

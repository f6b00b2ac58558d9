/** ALU and shift families against an independent BigInt reference of the SDM's flag
 * definitions, for every operand size, with edge values and seeded random values. Only the
 * flags the SDM defines for each case are compared. */
import { describe, expect, it } from 'vitest';
import { assemble } from '../asm';
import { FlatMachine } from '../machine/flat';
import { mulberry32 as rng } from '../../random';

const CF = 1n, PF = 4n, AF = 16n, ZF = 64n, SF = 128n, OF = 2048n;
const REG = { 1: ['al', 'bl', 'cl'], 2: ['ax', 'bx', 'cx'], 4: ['eax', 'ebx', 'ecx'], 8: ['rax', 'rbx', 'rcx'] } as const;

interface Expect { res: bigint | null; flags: bigint; mask: bigint }

function parity(v: bigint): bigint {
  let b = Number(v & 0xffn), p = 1;
  while (b) { p ^= b & 1; b >>= 1; }
  return p ? PF : 0n;
}
function szp(res: bigint, bits: bigint): bigint {
  return (res === 0n ? ZF : 0n) | ((res >> (bits - 1n)) & 1n ? SF : 0n) | parity(res);
}

function reference(op: string, size: number, a: bigint, b: bigint, cin: bigint): Expect {
  const bits = BigInt(size * 8), M = (1n << bits) - 1n, top = (x: bigint) => (x >> (bits - 1n)) & 1n;
  switch (op) {
    case 'add': case 'adc': {
      const c = op === 'adc' ? cin : 0n;
      const full = a + b + c, res = full & M;
      const of = top(a) === top(b) && top(res) !== top(a);
      return { res, flags: (full > M ? CF : 0n) | (of ? OF : 0n) | szp(res, bits) | ((a ^ b ^ res) & 16n ? AF : 0n), mask: CF | OF | ZF | SF | PF | AF };
    }
    case 'sub': case 'sbb': case 'cmp': {
      const c = op === 'sbb' ? cin : 0n;
      const res = (a - b - c) & M;
      const of = top(a) !== top(b) && top(res) !== top(a);
      return { res: op === 'cmp' ? a : res, flags: (a < b + c ? CF : 0n) | (of ? OF : 0n) | szp(res, bits) | ((a ^ b ^ res) & 16n ? AF : 0n), mask: CF | OF | ZF | SF | PF | AF };
    }
    case 'and': case 'or': case 'xor': {
      const res = op === 'and' ? a & b : op === 'or' ? a | b : a ^ b;
      return { res, flags: szp(res, bits), mask: CF | OF | ZF | SF | PF };
    }
    case 'inc': case 'dec': {
      const res = (op === 'inc' ? a + 1n : a - 1n) & M;
      const of = op === 'inc' ? res === 1n << (bits - 1n) : a === 1n << (bits - 1n);
      return { res, flags: cin | (of ? OF : 0n) | szp(res, bits) | ((a ^ 1n ^ res) & 16n ? AF : 0n), mask: CF | OF | ZF | SF | PF | AF };
    }
    case 'neg': {
      const res = (0n - a) & M;
      return { res, flags: (a !== 0n ? CF : 0n) | (a === 1n << (bits - 1n) ? OF : 0n) | szp(res, bits) | ((a ^ res) & 16n ? AF : 0n), mask: CF | OF | ZF | SF | PF | AF };
    }
    default: {
      // shifts and rotates by CL; b is the count before masking
      const c = b & (size === 8 ? 0x3fn : 0x1fn);
      if (c === 0n) return { res: a, flags: cin, mask: CF | OF | ZF | SF | PF };
      let res: bigint, cf: bigint | null, of: bigint | null = null, arith = true;
      if (op === 'shl') {
        res = (a << c) & M;
        cf = c <= bits ? (a >> (bits - c)) & 1n : null;
        if (c === 1n) of = top(res) ^ (cf ?? 0n);
      } else if (op === 'shr') {
        res = a >> c;
        cf = c <= bits ? (a >> (c - 1n)) & 1n : null;
        if (c === 1n) of = top(a);
      } else if (op === 'sar') {
        const s = BigInt.asIntN(Number(bits), a);
        res = BigInt.asUintN(Number(bits), s >> c);
        cf = c <= bits ? (s >> (c - 1n)) & 1n : null;
        if (c === 1n) of = 0n;
      } else {
        const k = c % bits;
        res = op === 'rol' ? ((a << k) | (a >> (bits - k))) & M : ((a >> k) | (a << (bits - k))) & M;
        cf = op === 'rol' ? res & 1n : top(res);
        if (c === 1n) of = op === 'rol' ? top(res) ^ cf : top(res) ^ ((res >> (bits - 2n)) & 1n);
        arith = false;
      }
      let flags = 0n, mask = 0n;
      if (cf !== null) { flags |= cf ? CF : 0n; mask |= CF; }
      if (of !== null) { flags |= of ? OF : 0n; mask |= OF; }
      if (arith) { flags |= szp(res, bits); mask |= ZF | SF | PF; }
      return { res, flags, mask };
    }
  }
}

const machine = new FlatMachine({ mode: 64, origin: 0x100000 });
const templates = new Map<string, Uint8Array>();

function program(op: string, size: 1 | 2 | 4 | 8): Uint8Array {
  const key = `${op}${size}`;
  let t = templates.get(key);
  if (!t) {
    const [a, b, c] = REG[size];
    const insn = ['inc', 'dec', 'neg'].includes(op) ? `${op} ${a}` : ['shl', 'shr', 'sar', 'rol', 'ror'].includes(op) ? `${op} ${a}, cl` : `${op} ${a}, ${b}`;
    void c;
    const src = `bits 64\norg 0x100000\nmov rax, 0x1111111111111111\nmov rbx, 0x2222222222222222\nmov rcx, 0x3333333333333333\nmov rdx, 0x4444444444444444\npush rdx\npopfq\n${insn}\npushfq\npop rdx\nhlt\n`;
    const r = assemble(src, { bits: 64 });
    if (r.errors.length) throw new Error(r.errors[0].message);
    t = r.bytes;
    templates.set(key, t);
  }
  return t;
}

function runCase(op: string, size: 1 | 2 | 4 | 8, a: bigint, b: bigint, flagsIn: bigint): { rax: bigint; flags: bigint } {
  const bytes = program(op, size).slice();
  const dv = new DataView(bytes.buffer);
  dv.setBigUint64(2, a, true);
  dv.setBigUint64(12, b, true);
  dv.setBigUint64(22, b, true);
  dv.setBigUint64(32, flagsIn | 2n, true);
  machine.load(bytes);
  const cpu = machine.cpu;
  cpu.rip = 0x100000;
  cpu.setReg(4, 8, 0x9c000, 0);
  cpu.halted = false;
  const stop = cpu.run(100);
  if (stop !== 'hlt') throw new Error(`stopped with ${stop}`);
  return { rax: cpu.regBig(0) & 0xffffffffffffffffn, flags: cpu.regBig(2) & 0xffffffffffffffffn };
}

const EDGE = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0x10n, 0xfn];
const COUNTS = [0n, 1n, 2n, 7n, 8n, 9n, 15n, 16n, 17n, 31n, 32n, 33n, 63n, 64n, 65n];

describe('ALU and shift flags against the SDM definitions', () => {
  for (const op of ['add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'inc', 'dec', 'neg', 'shl', 'shr', 'sar', 'rol', 'ror']) {
    it(op, () => {
      const rand = rng(op.length * 7919 + op.charCodeAt(0));
      const shift = ['shl', 'shr', 'sar', 'rol', 'ror'].includes(op);
      const failures: string[] = [];
      for (const size of [1, 2, 4, 8] as const) {
        const bits = BigInt(size * 8), M = (1n << bits) - 1n;
        const randVal = () => ((BigInt(Math.floor(rand() * 2 ** 32)) << 32n) | BigInt(Math.floor(rand() * 2 ** 32))) & M;
        const values = [...EDGE.map((v) => v & M), ...Array.from({ length: 12 }, randVal)];
        const seconds = shift ? COUNTS : values;
        for (const a of values) {
          for (const b of seconds.slice(0, 10)) {
            for (const cin of [0n, 1n]) {
              const got = runCase(op, size, a, b, cin);
              const exp = reference(op, size, a, b, cin);
              const gotRes = got.rax & M;
              if ((exp.res !== null && gotRes !== exp.res) || (got.flags & exp.mask) !== (exp.flags & exp.mask)) {
                failures.push(`${op}${size * 8} a=${a.toString(16)} b=${b.toString(16)} cf=${cin}: got ${gotRes.toString(16)} flags ${(got.flags & exp.mask).toString(16)}, want ${exp.res?.toString(16)} flags ${(exp.flags & exp.mask).toString(16)}`);
              }
            }
          }
        }
      }
      expect(failures.slice(0, 10)).toEqual([]);
    });
  }
});

/** Block compiler: turns a hot run of simple instructions (register and memory forms of mov and
 * the ALU, inc/dec, ending in jcc/jmp) into one JavaScript function, so a loop body runs without
 * per-instruction dispatch; a block whose branch targets its own start loops inside the function.
 *
 * Semantics are those of the fast handlers (../exec/fast): the same lazy-flag fields are written
 * and memory goes through cpu.read/cpu.write (TLB, paging, EPT, faults). Before each memory access
 * the block records RIP and how many instructions completed, so a fault or VM exit is precise.
 * A store that changes cached code ends the block. Anything else is left to the interpreter. */
import { OpKind, REG_NONE, REG_RIP, type Instruction, type Operand } from '../decoder';
import type { Cpu } from '../cpu/cpu';

export type BlockFn = (cpu: Cpu, left: number) => number;

const K_REG = OpKind.Reg, K_MEM = OpKind.Mem, K_IMM = OpKind.Imm, K_REL = OpKind.Rel;
const ALU: Record<string, number> = { add: 0, or: 1, and: 4, sub: 5, xor: 6, cmp: 7, test: 8 };
/** FOp values (cpu/flags.ts) */
const F = { add: 1, sub: 3, logic: 5, inc: 6, dec: 7 };
const MAX_BLOCK = 32;

interface Gen { code: string[]; ok: boolean }

function hexNum(v: number): string {
  return Number.isInteger(v) ? String(v) : 'NaN';
}

/** Expression for the linear address of a memory operand, or null if the block compiler does not handle it. */
function eaExpr(ins: Instruction, m: Operand): string | null {
  if (m.dispHi !== 0 || m.base === REG_RIP) return null;
  const { base, index, scale, disp, seg } = m;
  if (ins.bitness === 64 && ins.addrSize === 8) {
    if (seg >= 4) return null;
    const parts: string[] = [];
    if (base !== REG_NONE) parts.push(`(rh[${base}] * 4294967296 + (r[${base}] >>> 0))`);
    if (index !== REG_NONE) parts.push(`(rh[${index}] * 4294967296 + (r[${index}] >>> 0)) * ${scale}`);
    parts.push(hexNum(disp));
    // canonical check inline; cpu.canon wraps and raises #GP for the rare non-canonical address
    return `((t = ${parts.join(' + ')}) < 140737488355328 && t >= -140737488355328 ? t : cpu.canon(t))`;
  }
  if (ins.bitness === 32 && ins.addrSize === 4) {
    const parts: string[] = [];
    if (base !== REG_NONE) parts.push(`r[${base}]`);
    if (index !== REG_NONE) parts.push(`r[${index}] * ${scale}`);
    parts.push(hexNum(disp));
    return `((cpu.segBase[${seg}] + ((${parts.join(' + ')}) >>> 0)) >>> 0)`;
  }
  return null;
}

/** Emits one non-branch instruction; returns false if the shape is not compilable. */
function emit(g: Gen, ins: Instruction, ip: number, next: number, done: number): boolean {
  const mn = ins.mnemonic, ops = ins.operands;
  if (ins.lock || ins.rep) return false;
  const pre = (mem: boolean) => {
    if (mem) g.code.push(`cpu.ip0 = ${ip}; cpu.rip = ${next}; cpu.blockDone = ${done};`);
  };
  if ((mn === 'inc' || mn === 'dec') && ops[0].kind === K_REG && (ops[0].size === 4 || ops[0].size === 8)) {
    const d = ops[0].reg, op = mn === 'inc' ? F.inc : F.dec, delta = mn === 'inc' ? 1 : -1;
    g.code.push(`{ const f = cpu.fOp; if (f !== 6 && f !== 7 && f !== 0) cpu.flagsRaw = (cpu.flagsRaw & ~1) | cpu.cf();`);
    if (ops[0].size === 4) {
      g.code.push(`const a = r[${d}]; const v = (a + ${delta}) | 0; cpu.fOp = ${op}; cpu.fSize = 4; cpu.fRes = v; cpu.fA = a; cpu.fB = 1; r[${d}] = v; rh[${d}] = 0; }`);
    } else {
      g.code.push(`const a = r[${d}], ah = rh[${d}]; const lo = (a >>> 0) + ${delta}; const v = lo | 0; const vh = (ah + (lo > 0xffffffff ? 1 : lo < 0 ? -1 : 0)) | 0;`,
        `cpu.fOp = ${op}; cpu.fSize = 8; cpu.fRes = v; cpu.fResH = vh; cpu.fA = a; cpu.fAH = ah; cpu.fB = 1; cpu.fBH = 0; r[${d}] = v; rh[${d}] = vh; }`);
    }
    return true;
  }
  if (ops.length !== 2) return false;
  const [d, s] = ops;
  const size = d.size;
  if (size !== 4 && size !== 8) return false;
  if (s.kind !== K_IMM && s.size !== size) return false;
  if (d.kind === K_REG && d.high8) return false;
  if (s.kind === K_REG && s.high8) return false;
  if (mn === 'mov') {
    if (d.kind === K_REG) {
      if (s.kind === K_REG) g.code.push(`r[${d.reg}] = r[${s.reg}]; rh[${d.reg}] = ${size === 8 ? `rh[${s.reg}]` : '0'};`);
      else if (s.kind === K_IMM) g.code.push(`r[${d.reg}] = ${s.imm}; rh[${d.reg}] = ${size === 8 ? s.immHi : 0};`);
      else if (s.kind === K_MEM) {
        const e = eaExpr(ins, s);
        if (!e) return false;
        pre(true);
        g.code.push(size === 4 ? `r[${d.reg}] = cpu.read4(${e}); rh[${d.reg}] = 0;` : `r[${d.reg}] = cpu.read(${e}, 8); rh[${d.reg}] = cpu.vh;`);
      } else return false;
      return true;
    }
    if (d.kind === K_MEM && (s.kind === K_REG || s.kind === K_IMM)) {
      const e = eaExpr(ins, d);
      if (!e) return false;
      pre(true);
      const v = s.kind === K_REG ? `r[${s.reg}]` : String(s.imm);
      const vh = size === 8 ? (s.kind === K_REG ? `rh[${s.reg}]` : String(s.immHi)) : '0';
      g.code.push(size === 4 ? `cpu.write4(${e}, ${v}); if (cpu.epoch !== epoch) return ${done + 1};` : `cpu.write(${e}, ${size}, ${v}, ${vh}); if (cpu.epoch !== epoch) return ${done + 1};`);
      return true;
    }
    return false;
  }
  const kind = ALU[mn];
  if (kind === undefined) return false;
  const writes = kind !== 7 && kind !== 8;
  const fop = kind === 0 ? F.add : kind === 5 || kind === 7 ? F.sub : F.logic;
  let bExpr: string, bhExpr: string, aExpr: string, ahExpr: string, store: (v: string, vh: string) => string;
  let memLoad = '';
  if (d.kind === K_REG) {
    aExpr = `r[${d.reg}]`;
    ahExpr = `rh[${d.reg}]`;
    store = (v, vh) => `r[${d.reg}] = ${v}; rh[${d.reg}] = ${vh};`;
    if (s.kind === K_REG) { bExpr = `r[${s.reg}]`; bhExpr = `rh[${s.reg}]`; }
    else if (s.kind === K_IMM) { bExpr = String(s.imm); bhExpr = String(s.immHi); }
    else if (s.kind === K_MEM) {
      const e = eaExpr(ins, s);
      if (!e) return false;
      pre(true);
      memLoad = size === 4 ? `const m = cpu.read4(${e}); const mh = 0;` : `const m = cpu.read(${e}, ${size}); const mh = cpu.vh;`;
      bExpr = 'm';
      bhExpr = 'mh';
    } else return false;
  } else if (d.kind === K_MEM && size === 4 && (s.kind === K_REG || s.kind === K_IMM)) {
    const e = eaExpr(ins, d);
    if (!e) return false;
    pre(true);
    memLoad = `const lin = ${e}; const m = cpu.read4(lin);`;
    aExpr = 'm';
    ahExpr = '0';
    bExpr = s.kind === K_REG ? `r[${s.reg}]` : String(s.imm);
    bhExpr = '0';
    store = (v) => `cpu.write4(lin, ${v}); if (cpu.epoch !== epoch) return ${done + 1};`;
  } else return false;
  g.code.push(`{ ${memLoad} const a = ${aExpr}, b = ${bExpr};`);
  if (size === 4) {
    const op = kind === 0 ? '(a + b) | 0' : kind === 1 ? 'a | b' : kind === 4 || kind === 8 ? 'a & b' : kind === 5 || kind === 7 ? '(a - b) | 0' : 'a ^ b';
    g.code.push(`const v = ${op}; cpu.fOp = ${fop}; cpu.fSize = 4; cpu.fRes = v; cpu.fA = a; cpu.fB = b;`);
    if (writes) g.code.push(store!('v', '0'));
  } else {
    g.code.push(`const ah = ${ahExpr}, bh = ${bhExpr}; let v, vh;`);
    if (kind === 0) g.code.push('{ const lo = (a >>> 0) + (b >>> 0); v = lo | 0; vh = (ah + bh + (lo > 0xffffffff ? 1 : 0)) | 0; }');
    else if (kind === 5 || kind === 7) g.code.push('{ const lo = (a >>> 0) - (b >>> 0); v = lo | 0; vh = (ah - bh - (lo < 0 ? 1 : 0)) | 0; }');
    else if (kind === 1) g.code.push('v = a | b; vh = ah | bh;');
    else if (kind === 4 || kind === 8) g.code.push('v = a & b; vh = ah & bh;');
    else g.code.push('v = a ^ b; vh = ah ^ bh;');
    g.code.push(`cpu.fOp = ${fop}; cpu.fSize = 8; cpu.fRes = v; cpu.fResH = vh; cpu.fA = a; cpu.fAH = ah; cpu.fB = b; cpu.fBH = bh;`);
    if (writes) g.code.push(store!('v', 'vh'));
  }
  g.code.push('}');
  return true;
}

function condExpr(cc: number): string {
  if (cc === 4 || cc === 5) {
    const z = '(cpu.fOp === 0 ? (cpu.flagsRaw & 0x40) !== 0 : cpu.fSize === 8 ? (cpu.fRes | cpu.fResH) === 0 : cpu.fRes === 0)';
    return cc === 4 ? z : `!${z}`;
  }
  return `cpu.cond(${cc})`;
}

/**
 * Compiles the block starting at linear `startRip`. `decodeAt(ip)` returns the decoded instruction
 * at a linear address in the same page, or null. Returns null when fewer than two instructions
 * would be compiled (the interpreter is as good then).
 */
export function compileBlock(first: Instruction, startRip: number, decodeAt: (ip: number) => Instruction | null): { fn: BlockFn; length: number } | null {
  const bits = first.bitness;
  if (bits === 16) return null;
  const wrap = (v: number) => (bits === 64 ? v : v >>> 0);
  const g: Gen = { code: [], ok: true };
  let ip = startRip;
  let ins: Instruction | null = first;
  let count = 0;
  let tail = '';
  const pageEnd = Math.floor(startRip / 4096) * 4096 + 4096;
  while (ins && count < MAX_BLOCK) {
    const next = wrap(ip + ins.length);
    if (next > pageEnd || ins.bitness !== bits) break;
    const op0 = ins.operands[0];
    if (ins.cc >= 0 && ins.mnemonic[0] === 'j' && op0?.kind === K_REL) {
      const target = wrap(next + op0.disp);
      count++;
      tail = target === startRip
        ? `if (${condExpr(ins.cc)}) { done += ${count}; if (left - done >= ${count}) continue; cpu.rip = ${target}; return done; } cpu.rip = ${next}; return done + ${count};`
        : `cpu.rip = (${condExpr(ins.cc)}) ? ${target} : ${next}; return done + ${count};`;
      break;
    }
    if (ins.mnemonic === 'jmp' && op0?.kind === K_REL) {
      const target = wrap(next + op0.disp);
      count++;
      tail = target === startRip
        ? `done += ${count}; if (left - done >= ${count}) continue; cpu.rip = ${target}; return done;`
        : `cpu.rip = ${target}; return done + ${count};`;
      break;
    }
    if (!emit(g, ins, ip, next, count)) break;
    count++;
    ip = next;
    ins = next < pageEnd ? decodeAt(ip) : null;
    if (!ins) tail = `cpu.rip = ${ip}; return done + ${count};`;
  }
  if (!tail) tail = `cpu.rip = ${ip}; return done + ${count};`;
  if (count < 2) return null;
  // The body is re-entered from the top for self-loops; `done` counts retired instructions.
  const src = `return function block(cpu, left) {
  const r = cpu.r, rh = cpu.rh, epoch = cpu.epoch;
  let done = 0, t = 0;
  cpu.shadow = 0;
  for (;;) {
    cpu.blockDone = done;
    ${g.code.join('\n    ').replace(/cpu\.blockDone = (\d+);/g, 'cpu.blockDone = done + $1;').replace(/return (\d+);/g, 'return done + $1;')}
    ${tail}
  }
};`;
  let fn: BlockFn;
  try {
    fn = new Function(src)() as BlockFn;
  } catch {
    return null; // e.g. a Content-Security-Policy without 'unsafe-eval': the interpreter runs instead
  }
  return { fn, length: count };
}

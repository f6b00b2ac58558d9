/** Guest MIPS of the x86 CPU model: (a) a register-only loop (dec/jnz) and (b) a load/add/store
 * loop over 64 KiB with paging on, each in 32-bit protected mode and in 64-bit mode. Beside them,
 * the same 32-bit loops run as a Multiboot image on the v86 npm package (JIT on and off), and
 * the ratios are printed. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble, FlatMachine } from '../core/x86';
import type { BenchRow } from './run';

const here = path.dirname(fileURLToPath(import.meta.url));
const V86_INTERP_MIPS = 126; // vmm-x86.md section 4, measured on the reference machine
const LOOP_A = 10_000_000; // iterations of dec/jnz (2 instructions each)
const OUTER_B = 200; // passes over 64 KiB (16384 iterations of 6 instructions)
const ROUNDS = 3; // ours and v86 alternate, medians are reported: the machine may be shared

/** Multiboot v1 header (a.out kludge: load address fields valid), then the loop, then a byte
 * to COM1 so v86 can tell us it finished, then cli/hlt. */
function program32(kind: 'a' | 'b', scale = 1): string {
  // the same image runs on our CPU (entered at `start`) and on v86 (as Multiboot)
  const body = kind === 'a'
    ? `  mov ecx, ${Math.round(LOOP_A * scale)}\nl: dec ecx\n  jnz l`
    : `  mov edi, 0x300000
  mov eax, 0x83
  mov ecx, 16
pd: mov [edi], eax
  add eax, 0x400000
  add edi, 4
  dec ecx
  jnz pd
  mov eax, 0x300000
  mov cr3, eax
  mov eax, cr4
  or eax, 0x10
  mov cr4, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  mov edx, ${Math.max(1, Math.round(OUTER_B * scale))}
o: mov esi, 0x200000
  mov ecx, 16384
i: mov eax, [esi]
  add eax, edx
  mov [esi], eax
  add esi, 4
  dec ecx
  jnz i
  dec edx
  jnz o`;
  return `bits 32
org 0x100000
mb: dd 0x1BADB002
  dd 0x00010000
  dd -(0x1BADB002 + 0x00010000)
  dd mb
  dd mb
  dd 0
  dd 0
  dd start
start:
${body}
  mov dx, 0x3f8
  mov al, 'D'
  out dx, al
  cli
  hlt
`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function program64(kind: 'a' | 'b'): string {
  const body = kind === 'a'
    ? `  mov rcx, ${LOOP_A}\nl: dec rcx\n  jnz l`
    : `  mov edx, ${OUTER_B}
o: mov rsi, 0x200000
  mov ecx, 16384
i: mov eax, [rsi]
  add eax, edx
  mov [rsi], eax
  add rsi, 4
  dec ecx
  jnz i
  dec edx
  jnz o`;
  return `bits 64\norg 0x100000\n${body}\n  hlt\n`;
}

function runOurs(source: string, bits: 32 | 64): { mips: number; instructions: number } {
  const asm = assemble(source, { bits });
  if (asm.errors.length) throw new Error(asm.errors.map((e) => `${e.line}: ${e.message}`).join('; '));
  const m = new FlatMachine({ mode: bits, origin: asm.origin, ramBytes: 64 * 1024 * 1024 });
  m.load(asm.bytes);
  if (bits === 32) m.cpu.rip = asm.symbols.get('start') ?? asm.origin;
  const t0 = performance.now();
  const stop = m.run(2e9);
  const ms = performance.now() - t0;
  if (stop !== 'hlt') throw new Error(`loop ended with ${stop}`);
  return { mips: m.cpu.icount / ms / 1000, instructions: m.cpu.icount };
}

interface V86Like {
  add_listener(ev: string, fn: (arg: unknown) => void): void;
  get_instruction_counter(): number;
  destroy(): Promise<void> | void;
  stop(): Promise<void> | void;
}

async function runV86(image: Uint8Array, jit: boolean): Promise<{ mips: number; instructions: number }> {
  const mod = (await import('v86')) as unknown as { V86: new (o: object) => V86Like };
  const wasmPath = path.resolve(here, '../node_modules/v86/build/v86.wasm');
  const buffer = image.buffer.slice(image.byteOffset, image.byteOffset + image.byteLength);
  return await new Promise((resolve, reject) => {
    let t0 = 0, c0 = 0;
    const emu = new mod.V86({
      wasm_path: wasmPath, multiboot: { buffer }, memory_size: 64 * 1024 * 1024, autostart: true, disable_jit: !jit,
      disable_keyboard: true, disable_mouse: true, disable_speaker: true,
    });
    const timer = setTimeout(() => reject(new Error('v86 did not finish within 120 s')), 120_000);
    emu.add_listener('emulator-started', () => {
      t0 = performance.now();
      c0 = emu.get_instruction_counter();
    });
    emu.add_listener('serial0-output-byte', () => {
      const ms = performance.now() - t0;
      const n = emu.get_instruction_counter() - c0;
      clearTimeout(timer);
      void Promise.resolve(emu.stop()).then(() => emu.destroy());
      resolve({ mips: n / ms / 1000, instructions: n });
    });
  });
}

export default async function x86Bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let v86Error: string | null = null;
  try {
    readFileSync(path.resolve(here, '../node_modules/v86/build/v86.wasm'));
  } catch (e) {
    v86Error = `v86 wasm not found: ${e instanceof Error ? e.message : String(e)}`;
  }
  for (const kind of ['a', 'b'] as const) {
    const label = kind === 'a' ? '(a) register loop dec/jnz' : '(b) load/add/store over 64 KiB, paging on';
    const o32: number[] = [], o64: number[] = [], vi: number[] = [], ratios: number[] = [];
    let n32 = 0, n64 = 0, nv = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // ours and v86's interpreter back to back, so both see the same machine load
      const r32 = runOurs(program32(kind), 32);
      o32.push(r32.mips);
      n32 = r32.instructions;
      const r64 = runOurs(program64(kind), 64);
      o64.push(r64.mips);
      n64 = r64.instructions;
      if (!v86Error) {
        try {
          const v = await runV86(assemble(program32(kind), { bits: 32 }).bytes, false);
          vi.push(v.mips);
          nv = v.instructions;
          ratios.push(r32.mips / v.mips);
        } catch (e) {
          v86Error = e instanceof Error ? e.message : String(e);
        }
      }
    }
    rows.push({ name: `ours 32-bit ${label}`, value: median(o32), unit: 'MIPS', target: `>= v86 interpreter (${V86_INTERP_MIPS} on the reference machine)`, note: `median of ${ROUNDS}, ${(n32 / 1e6).toFixed(0)} M instructions` });
    rows.push({ name: `ours 64-bit ${label}`, value: median(o64), unit: 'MIPS', note: `median of ${ROUNDS}, ${(n64 / 1e6).toFixed(0)} M instructions` });
    if (vi.length) {
      rows.push({ name: `v86 interpreter 32-bit ${label}`, value: median(vi), unit: 'MIPS', note: `median of ${vi.length}, ${(nv / 1e6).toFixed(0)} M instructions, same image` });
      rows.push({ name: `ratio ours / v86 interpreter ${label}`, value: median(ratios), unit: 'x', target: '>= 1', note: 'median of back-to-back pairs' });
    }
    if (!v86Error) {
      try {
        const v = await runV86(assemble(program32(kind), { bits: 32 }).bytes, true);
        rows.push({ name: `v86 JIT 32-bit ${label}`, value: v.mips, unit: 'MIPS', note: `${(v.instructions / 1e6).toFixed(0)} M instructions` });
        rows.push({ name: `ratio ours / v86 JIT ${label}`, value: median(o32) / v.mips, unit: 'x' });
      } catch (e) {
        v86Error = e instanceof Error ? e.message : String(e);
      }
    }
  }
  if (v86Error) rows.push({ name: 'v86 comparison not run', value: 0, unit: '', note: v86Error });
  return rows;
}

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
const LOOP_A = 40_000_000; // iterations of dec/jnz (2 instructions each)
const OUTER_B = 200; // passes over 64 KiB (16384 iterations of 6 instructions)

/** Multiboot v1 header (a.out kludge: load address fields valid), then the loop, then a byte
 * to COM1 so v86 can tell us it finished, then cli/hlt. */
function program32(kind: 'a' | 'b', scale = 1): string {
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
  const ours: Record<string, number> = {};
  for (const kind of ['a', 'b'] as const) {
    const label = kind === 'a' ? '(a) register loop dec/jnz' : '(b) load/add/store over 64 KiB, paging on';
    const r32 = runOurs(program32(kind), 32);
    ours[kind] = r32.mips;
    rows.push({ name: `ours 32-bit ${label}`, value: r32.mips, unit: 'MIPS', target: `>= ${V86_INTERP_MIPS} (v86 interpreter on the reference machine)`, note: `${(r32.instructions / 1e6).toFixed(0)} M instructions` });
    const r64 = runOurs(program64(kind), 64);
    rows.push({ name: `ours 64-bit ${label}`, value: r64.mips, unit: 'MIPS', note: `${(r64.instructions / 1e6).toFixed(0)} M instructions` });
  }
  // v86 on the same 32-bit images, in this process and on this machine.
  try {
    readFileSync(path.resolve(here, '../node_modules/v86/build/v86.wasm'));
    for (const jit of [false, true]) {
      for (const kind of ['a', 'b'] as const) {
        const scale = jit ? 1 : 0.25; // keep the interpreter runs short
        const asm = assemble(program32(kind, scale), { bits: 32 });
        const v = await runV86(asm.bytes, jit);
        const label = kind === 'a' ? '(a) dec/jnz' : '(b) load/add/store, paging';
        rows.push({ name: `v86 ${jit ? 'JIT' : 'interpreter'} 32-bit ${label}`, value: v.mips, unit: 'MIPS', note: `${(v.instructions / 1e6).toFixed(0)} M instructions` });
        rows.push({ name: `ratio ours / v86 ${jit ? 'JIT' : 'interpreter'} ${label}`, value: ours[kind] / v.mips, unit: 'x' });
      }
    }
  } catch (e) {
    rows.push({ name: 'v86 comparison not run', value: 0, unit: '', note: e instanceof Error ? e.message : String(e) });
  }
  return rows;
}

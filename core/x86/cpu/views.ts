/** Helpers for the IDE's CPU views: named bits of RFLAGS/CR0/CR4/EFER and disassembly around RIP. */
import { decode, formatInstruction, isDecodeError } from '../decoder';
import { BIT_NAMES } from './constants';
import type { Cpu } from './cpu';

/** Names of the set bits of a register, e.g. decodeBits('cr0', 0x80000011) → ['PE', 'ET', 'PG']. */
export function decodeBits(reg: keyof typeof BIT_NAMES, value: number): string[] {
  const table = BIT_NAMES[reg] as Record<string, number>;
  const out: string[] = [];
  for (const [name, mask] of Object.entries(table)) {
    if (name === 'IOPL') continue;
    if ((value & mask) === mask && mask !== 0) out.push(name);
  }
  if (reg === 'rflags') out.push(`IOPL=${(value >> 12) & 3}`);
  return out;
}

export interface DisasmLine { address: number; bytes: number[]; text: string; current: boolean }

/** Disassembles `count` instructions starting at RIP (linear), without side effects. */
export function disassembleAt(cpu: Cpu, count = 16, from = cpu.pcLinear()): DisasmLine[] {
  const lines: DisasmLine[] = [];
  let addr = from;
  for (let i = 0; i < count; i++) {
    const raw = cpu.peekBytes(addr, 15);
    const valid = raw.findIndex((b) => b < 0);
    const bytes = Uint8Array.from(valid < 0 ? raw : raw.slice(0, valid));
    const ins = decode(bytes, 0, cpu.bits, addr);
    if (isDecodeError(ins)) {
      lines.push({ address: addr, bytes: [...bytes.slice(0, 1)], text: bytes.length ? '(bad)' : '(unmapped)', current: addr === cpu.pcLinear() });
      addr += 1;
      continue;
    }
    lines.push({ address: addr, bytes: [...bytes.slice(0, ins.length)], text: formatInstruction(ins), current: addr === cpu.pcLinear() });
    addr += ins.length;
  }
  return lines;
}

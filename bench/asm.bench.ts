/** Assembler throughput on a generated 20,000-line 64-bit program with labels and jumps. */
import type { BenchRow } from './run';
import { medianMs } from './util';
import { assemble } from '../core/x86/asm';

function program(lines: number): string {
  const out = ['bits 64', 'org 0x100000'];
  for (let i = 0; i < lines; i++) {
    switch (i % 8) {
      case 0:
        out.push(`L${i}: mov rax, [rbx+rcx*8+${i}]`);
        break;
      case 1:
        out.push(`  add eax, ${i * 3}`);
        break;
      case 2:
        out.push(`  jnz L${(i + 400) - ((i + 400) % 8)}`);
        break;
      case 3:
        out.push('  lock cmpxchg [rdi], ecx');
        break;
      case 4:
        out.push(`  call L${i - 4}`);
        break;
      case 5:
        out.push(`  db "str${i}", 0`);
        break;
      case 6:
        out.push(`  lea rsi, [rel L${i - 6}]`);
        break;
      default:
        out.push(`  jmp L${i - 7}`);
    }
  }
  out.push(...Array.from({ length: 60 }, (_, k) => `L${lines + k * 8 - (lines % 8)}: nop`));
  return out.join('\n');
}

export default async (): Promise<BenchRow[]> => {
  const src = program(20000);
  let bytes = 0;
  let errors = 0;
  const ms = medianMs(() => {
    const r = assemble(src);
    bytes = r.bytes.length;
    errors = r.errors.length;
  }, 3, 1);
  const big = medianMs(() => void assemble('times 4000000 nop\nresb 4000000'), 3, 1);
  return [
    { name: 'assemble 8 MB of TIMES/RESB', value: big, unit: 'ms' },
    { name: 'assemble 20k lines (64-bit, labels, jumps)', value: ms, unit: 'ms', note: `${bytes} bytes, ${errors} errors` },
    { name: 'assembler throughput', value: 20000 / (ms / 1000), unit: 'lines/s' },
  ];
};

/** Node-only bridge to the iced-x86 decoder (dev dependency) for differential tests. */
import { createRequire } from 'node:module';
import type { Expected } from './generate';

type Iced = typeof import('iced-x86');
export const iced: Iced = createRequire(import.meta.url)('iced-x86');

export interface Decoded {
  mnemonic: string;
  length: number;
  operands: (Expected | { kind: 'other'; what: string })[];
  text: string;
}

const lower = (r: number) => iced.Register[r].toLowerCase().replace(/^r(\d+)l$/, 'r$1b');

export function decodeOne(bits: 16 | 32 | 64, bytes: Uint8Array, ip = 0n): Decoded {
  const d = new iced.Decoder(bits, bytes, iced.DecoderOptions.None);
  d.ip = ip;
  const ins = d.decode();
  const fmt = new iced.Formatter(iced.FormatterSyntax.Nasm);
  const K = iced.OpKind;
  const operands: Decoded['operands'] = [];
  for (let i = 0; i < ins.opCount; i++) {
    const k = ins.opKind(i);
    if (k === K.Register) operands.push({ kind: 'reg', name: lower(ins.opRegister(i)) });
    else if (k === K.Memory) {
      const base = ins.memoryBase === iced.Register.None ? undefined : lower(ins.memoryBase);
      const index = ins.memoryIndex === iced.Register.None ? undefined : lower(ins.memoryIndex);
      const seg = ins.segmentPrefix === iced.Register.None ? undefined : lower(ins.segmentPrefix);
      operands.push({ kind: 'mem', size: iced.MemorySizeExt.size(ins.memorySize) * 8, base, index, scale: ins.memoryIndexScale, disp: ins.memoryDisplacementU64, seg });
    } else if (k === K.NearBranch16 || k === K.NearBranch32 || k === K.NearBranch64) operands.push({ kind: 'branch', target: ins.nearBranchTarget });
    else if (k === K.FarBranch16 || k === K.FarBranch32) operands.push({ kind: 'far', selector: ins.farBranchSelector, offset: k === K.FarBranch16 ? ins.farBranch16 : ins.farBranch32 });
    else if (K[k].startsWith('Immediate')) {
      const width = { Immediate8: 8, Immediate8_2nd: 8, Immediate16: 16, Immediate32: 32, Immediate64: 64, Immediate8to16: 16, Immediate8to32: 32, Immediate8to64: 64, Immediate32to64: 64 }[K[k]] ?? 64;
      operands.push({ kind: 'imm', value: BigInt.asUintN(width, ins.immediate(i)) });
    } else operands.push({ kind: 'other', what: K[k] });
  }
  const out = { mnemonic: iced.Mnemonic[ins.mnemonic].toLowerCase(), length: ins.length, operands, text: fmt.format(ins) };
  ins.free();
  d.free();
  fmt.free();
  return out;
}

/** Differential test: random encodings of every opcode form in our table must decode to the
 * same length and the same Intel text as iced-x86 (configured to our formatting conventions). */
import { describe, expect, it } from 'vitest';
import iced from 'iced-x86';
import { decode, isDecodeError } from './decode';
import { formatInstruction } from './format';
import { ONE_BYTE, TWO_BYTE, allMnemonics, type OpcodeEntry } from './table';
import { mulberry32 as rng } from '../../random';

const { Decoder, DecoderOptions, Formatter, FormatterSyntax, MemorySizeOptions } = iced;

function icedFormatter() {
  const f = new Formatter(FormatterSyntax.Intel);
  f.hexPrefix = '0x';
  f.hexSuffix = '';
  f.uppercaseHex = false;
  f.spaceAfterOperandSeparator = true;
  f.memorySizeOptions = MemorySizeOptions.Always;
  f.showBranchSize = false;
  f.branchLeadingZeros = false;
  f.ripRelativeAddresses = true;
  f.smallHexNumbersInDecimal = false;
  f.leadingZeros = false;
  f.displacementLeadingZeros = false;
  return f;
}

/** random encodings per opcode form and bitness (X86_DIFF_N raises it for a deeper local sweep) */
const PER_FORM = Number(process.env.X86_DIFF_N ?? 120);
const STRING = /^(movs|cmps|stos|lods|scas|ins|outs)/;
const SUPPORTED = new Set(allMnemonics());

interface Form { bytes: number[]; entry: OpcodeEntry; reg: number }

function forms(): Form[] {
  const out: Form[] = [];
  const add = (prefix: number[], en: OpcodeEntry | null) => {
    if (!en) return;
    if (en.group) en.group.forEach((g, reg) => g && out.push({ bytes: prefix, entry: g, reg }));
    else out.push({ bytes: prefix, entry: en, reg: -1 });
  };
  ONE_BYTE.forEach((en, b) => add([b], en));
  TWO_BYTE.forEach((en, b) => add([0x0f, b], en));
  return out;
}

describe('decoder agrees with iced-x86', () => {
  const fmt = icedFormatter();
  for (const bitness of [16, 32, 64] as const) {
    it(`random encodings of every opcode form in ${bitness}-bit code`, () => {
      const rand = rng(Number(process.env.X86_DIFF_SEED ?? 1234) + bitness);
      const pick = (n: number) => Math.floor(rand() * n);
      const mismatches: string[] = [];
      let compared = 0;
      for (const form of forms()) {
        if ((form.entry.i64 && bitness === 64) || (form.entry.o64 && bitness !== 64)) continue; // not a form in this mode
        for (let n = 0; n < PER_FORM; n++) {
          const bytes: number[] = [];
          const mn = form.entry.mn;
          if (rand() < 0.3) bytes.push(0x66);
          if (rand() < 0.2) bytes.push(0x67);
          if (rand() < 0.2) bytes.push([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65][pick(6)]);
          if (STRING.test(mn) && rand() < 0.5) bytes.push(rand() < 0.5 ? 0xf3 : 0xf2);
          if (rand() < 0.05) bytes.push(0xf0);
          if (bitness === 64 && rand() < 0.5) bytes.push(0x40 | pick(16));
          bytes.push(...form.bytes);
          let modrm = pick(256);
          if (form.reg >= 0) modrm = (modrm & 0xc7) | (form.reg << 3);
          bytes.push(modrm);
          for (let i = 0; i < 14; i++) bytes.push(pick(256));
          const buf = Uint8Array.from(bytes);
          const dec = new Decoder(bitness, buf, DecoderOptions.None);
          dec.ip = 0x1000n;
          const ref = dec.decode();
          const refText = ref.isInvalid ? '' : fmt.format(ref).replace(/^(data16|data32|addr32|addr16|rex\.?\w*) /, '');
          const refLen = ref.length;
          ref.free();
          dec.free();
          const mine = decode(buf, 0, bitness, 0x1000);
          const hexBytes = [...buf.slice(0, Math.max(refLen, 1))].map((x) => x.toString(16).padStart(2, '0')).join('');
          if (!refText) {
            // bytes iced rejects must not decode here either (LOCK misuse, reserved forms, ...)
            if (!isDecodeError(mine)) mismatches.push(`${bitness} ${hexBytes}: iced invalid, ours "${formatInstruction(mine)}"`);
            continue;
          }
          const refMn = refText.replace(/^(lock|rep|repe|repne) /, '').split(' ')[0];
          if (refText.includes(' far ') && !/^(jmp far 0x|ret far)/.test(refText)) continue; // indirect far branches are not supported
          if (!SUPPORTED.has(refMn) && refMn !== 'ret') continue;
          if (isDecodeError(mine)) {
            mismatches.push(`${bitness} ${hexBytes}: iced "${refText}", ours invalid`);
            continue;
          }
          compared++;
          const text = formatInstruction(mine);
          if (text !== refText || mine.length !== refLen) {
            mismatches.push(`${bitness} ${hexBytes}: iced "${refText}" (${refLen}), ours "${text}" (${mine.length})`);
          }
        }
      }
      if (mismatches.length) throw new Error(`${mismatches.length} mismatches:\n${mismatches.slice(0, 40).join('\n')}`);
      expect(compared).toBeGreaterThan(5000);
    });
  }
});

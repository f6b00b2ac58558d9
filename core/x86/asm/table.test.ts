import { describe, expect, it } from 'vitest';
import { CONDITIONS, FORMS, formsByOpcode, MNEMONICS } from './index';

describe('encoding table', () => {
  it('expands v-templates into 16/32/64-bit forms with the matching operand size', () => {
    const adds = FORMS.get('add')!.filter((f) => f.opcode[0] === 0x01);
    expect(adds.map((f) => [f.ops.join(','), f.osize])).toEqual([
      ['rm16,r16', 16],
      ['rm32,r32', 32],
      ['rm64,r64', 64],
    ]);
  });
  it('expands condition-code forms with every alias', () => {
    expect(CONDITIONS.flat().length).toBe(30);
    expect(FORMS.get('jz')!.map((f) => f.opcode)).toEqual([[0x74], [0x0f, 0x84]]);
    expect(FORMS.get('jnae')!.map((f) => f.opcode)).toEqual([[0x72], [0x0f, 0x82]]);
    expect(FORMS.get('setnle')![0].opcode).toEqual([0x0f, 0x9f]);
  });
  it('indexes forms by opcode for a decoder, expanding +r', () => {
    const index = formsByOpcode();
    expect(index.get('b8')!.some((f) => f.mnemonic === 'mov')).toBe(true);
    expect(index.get('bf')!.some((f) => f.mnemonic === 'mov')).toBe(true);
    expect(index.get('0f05')!.map((f) => f.mnemonic)).toEqual(['syscall']);
    expect(index.get('0fa2')!.map((f) => f.mnemonic)).toEqual(['cpuid']);
  });
  it('lists mnemonics sorted and unique', () => {
    expect(MNEMONICS).toEqual([...new Set(MNEMONICS)].sort());
    expect(MNEMONICS).toContain('vmcall');
    expect(MNEMONICS).toContain('cmovnle');
  });
});

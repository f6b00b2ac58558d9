/** Directives, expressions, labels, passes and the line map. */
import { describe, expect, it } from 'vitest';
import { assemble } from './index';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

function ok(src: string, bits: 16 | 32 | 64 = 32) {
  const r = assemble(src, { bits });
  expect(r.errors).toEqual([]);
  return r;
}

describe('data directives', () => {
  it('emits numbers, characters and strings', () => {
    expect(hex(ok("db 1, 0xff, -1, 'A', \"hi\", 0").bytes)).toBe('01 ff ff 41 68 69 00');
    expect(hex(ok('dw 0x1234, -2').bytes)).toBe('34 12 fe ff');
    expect(hex(ok('dd 0xdeadbeef').bytes)).toBe('ef be ad de');
    expect(hex(ok('dq -1').bytes)).toBe('ff ff ff ff ff ff ff ff');
  });
  it('pads strings to the data unit', () => {
    expect(hex(ok("dw 'abc'").bytes)).toBe('61 62 63 00');
    expect(hex(ok("dd 'ab'").bytes)).toBe('61 62 00 00');
  });
  it('treats a short string inside an expression as a little-endian number', () => {
    expect(hex(ok("dw 'ab'+1").bytes)).toBe('62 62');
    expect(hex(ok("mov eax, 'abcd'").bytes)).toBe('b8 61 62 63 64');
  });
  it('understands backquoted escapes', () => {
    expect(hex(ok('db `a\\n\\t\\x41\\0`').bytes)).toBe('61 0a 09 41 00');
  });
  it('reserves zeroed space', () => {
    expect(hex(ok('resb 2\nresw 1\nresd 1').bytes)).toBe('00 00 00 00 00 00 00 00');
  });
});

describe('numbers and expressions', () => {
  const value = (expr: string) => {
    const r = ok(`dq ${expr}`);
    return new DataView(r.bytes.buffer).getBigInt64(0, true);
  };
  it('reads every NASM number form', () => {
    expect(value('0x1F')).toBe(31n);
    expect(value('1Fh')).toBe(31n);
    expect(value('0FFh')).toBe(255n);
    expect(value('$1f')).toBe(31n);
    expect(value('0b1010')).toBe(10n);
    expect(value('1010b')).toBe(10n);
    expect(value('0o17')).toBe(15n);
    expect(value('17q')).toBe(15n);
    expect(value('1_000_000')).toBe(1000000n);
    expect(value('0d99')).toBe(99n);
  });
  it('applies precedence and all operators', () => {
    expect(value('1 + 2 * 3')).toBe(7n);
    expect(value('(1 + 2) * 3')).toBe(9n);
    expect(value('1 << 4 | 1')).toBe(17n);
    expect(value('0xff & ~0xf')).toBe(0xf0n);
    expect(value('6 ^ 3')).toBe(5n);
    expect(value('-7 // 2')).toBe(-3n);
    expect(value('-7 %% 2')).toBe(-1n);
    expect(value('17 % 5')).toBe(2n);
    expect(value('-1 >> 60')).toBe(15n);
    expect(value('-8 / 2')).toBe(0x7ffffffffffffffcn);
  });
  it('compares, combines logically and chooses like NASM', () => {
    expect(value('3 > 2')).toBe(1n);
    expect(value('3 < 2')).toBe(0n);
    expect(value('2 == 2 && 1 != 0')).toBe(1n);
    expect(value('0 || 0')).toBe(0n);
    expect(value('1 ^^ 1')).toBe(0n);
    expect(value('1 + 1 = 2')).toBe(1n);
    expect(value('5 > 3 ? 10 : 20')).toBe(10n);
    expect(value('-16 >>> 2')).toBe(-4n);
    expect(value('1 | 2 == 3')).toBe(1n);
  });
  it('uses conditions in TIMES', () => {
    expect(hex(ok('a: nop\nb:\ntimes (b - a > 0) * 2 db 7').bytes)).toBe('90 07 07');
  });
  it('does label arithmetic', () => {
    // `$` is the start of the line, as in NASM
    const r = ok('a: db 1, 2, 3\nb: db b - a, $ - a, $$');
    expect(hex(r.bytes)).toBe('01 02 03 03 03 00');
  });
});

describe('labels and symbols', () => {
  it('qualifies local labels with the last global label', () => {
    const r = ok('f: nop\n.loop: jmp .loop\ng: nop\n.loop: jmp f.loop');
    expect(r.symbols.get('f.loop')).toBe(1);
    expect(r.symbols.get('g.loop')).toBe(4);
    expect(hex(r.bytes)).toBe('90 eb fe 90 eb fb');
  });
  it('accepts labels without a colon before data and equ', () => {
    const r = ok('msg db "ok"\nlen equ $ - msg\nmov ecx, len');
    expect(r.symbols.get('len')).toBe(2);
    expect(hex(r.bytes)).toBe('6f 6b b9 02 00 00 00');
  });
  it('resolves forward equ and label references', () => {
    const r = ok('mov eax, K\nmov ebx, end\nK equ 2 * 21\nend:');
    expect(hex(r.bytes)).toBe('b8 2a 00 00 00 bb 0a 00 00 00');
  });
  it('accepts a label without a colon before an instruction', () => {
    expect(hex(ok('start jmp start').bytes)).toBe('eb fe');
  });
  it('escapes a label named like a register with $', () => {
    expect(hex(ok('jmp $eax\n$eax: nop').bytes)).toBe('eb 00 90');
  });
  it('keeps label-based immediates and displacements full size like NASM', () => {
    expect(hex(ok('x: add eax, x').bytes)).toBe('05 00 00 00 00');
    expect(hex(ok('x: mov eax, [ebx+x]').bytes)).toBe('8b 83 00 00 00 00');
    expect(hex(ok('x: mov rax, x', 64).bytes)).toBe('48 b8 00 00 00 00 00 00 00 00');
    expect(hex(ok('x: push x').bytes)).toBe('68 00 00 00 00');
  });
  it('treats label differences as constants that may shrink', () => {
    expect(hex(ok('a: nop\nb: add byte [ebx+b-a], 1').bytes)).toBe('90 80 43 01 01');
    expect(hex(ok('a: nop\nb: mov eax, [ebx+ecx*4+a-b]').bytes)).toBe('90 8b 44 8b ff');
    expect(hex(ok('a: nop\nb: add eax, (b - a) * 4').bytes)).toBe('90 83 c0 04');
  });
  it('returns every symbol with its address', () => {
    const r = ok('org 0x100\nstart: nop\nK equ 7\n.x: hlt');
    expect(Object.fromEntries(r.symbols)).toEqual({ start: 0x100, K: 7, 'start.x': 0x101 });
  });
});

describe('times, $, $$, org, align', () => {
  it('builds a boot sector', () => {
    const r = ok('org 0x7c00\nstart: jmp start\ntimes 510-($-$$) db 0\ndw 0xaa55', 16);
    expect(r.bytes.length).toBe(512);
    expect(r.origin).toBe(0x7c00);
    expect(hex(r.bytes.slice(0, 2))).toBe('eb fe');
    expect(hex(r.bytes.slice(510))).toBe('55 aa');
  });
  it('repeats a line with $ fixed at the start of the line, as NASM does', () => {
    expect(hex(ok('nop\ntimes 3 dw $').bytes)).toBe('90 01 00 01 00 01 00');
    // each repetition still measures its jump from its own address
    expect(hex(ok('times 2 jmp $').bytes)).toBe('eb fe eb fc');
  });
  it('handles large TIMES, RESB and data blocks compactly', () => {
    const r = ok('times 1000000 nop\nresb 3000000\ntimes 500000 dw 0x1234\ntimes 3 jmp $');
    expect(r.bytes.length).toBe(1000000 + 3000000 + 1000000 + 6);
    expect(r.bytes[999999]).toBe(0x90);
    expect(r.bytes[1000000]).toBe(0);
    expect(hex(r.bytes.slice(4000000, 4000004))).toBe('34 12 34 12');
    expect(hex(r.bytes.slice(-6))).toBe('eb fe eb fc eb fa');
  });
  it('aligns with nops or a given byte, relative to the origin', () => {
    expect(hex(ok('db 1\nalign 4\ndb 2').bytes)).toBe('01 90 90 90 02');
    expect(hex(ok('db 1\nalign 4, db 0\ndb 2').bytes)).toBe('01 00 00 00 02');
    expect(hex(ok('org 0x1001\ndb 1\nalign 2').bytes)).toBe('01 90');
  });
});

describe('single-line %define', () => {
  it('replaces defined names, keeping their columns for errors', () => {
    expect(hex(ok('%define COM1 0x3f8\n%define PORT dx\nmov PORT, COM1 ; serial\nout PORT, al').bytes)).toBe('66 ba f8 03 ee');
    const r = assemble('%define BIG 300\nmov al, BIG', { bits: 32 });
    expect(r.errors).toEqual([{ line: 2, column: 9, endColumn: 12, message: 'value 300 out of range for 8-bit operand' }]);
  });
  it('forgets a name after %undef', () => {
    const r = assemble('%define N 4\ntimes N nop\n%undef N\ndb N', { bits: 32 });
    expect(hex(r.bytes)).toBe('90 90 90 90');
    expect(r.errors.map((e) => e.message)).toEqual(["undefined symbol 'N'"]);
  });
});

describe('modes and directives', () => {
  it('switches bits mid-file and reports the starting mode', () => {
    const r = ok('mov eax, 1\nbits 16\nmov eax, 1\n[bits 64]\nmov rax, -1', 32);
    expect(r.bits).toBe(32);
    expect(hex(r.bytes)).toBe('b8 01 00 00 00 66 b8 01 00 00 00 48 c7 c0 ff ff ff ff');
  });
  it('defaults to 16-bit like NASM', () => {
    expect(assemble('mov ax, 1').bits).toBe(16);
    expect(hex(assemble('mov ax, 1').bytes)).toBe('b8 01 00');
  });
  it('switches between default rel and abs', () => {
    expect(hex(ok('default rel\nx: mov eax, [x]\ndefault abs\nmov eax, [abs x]\nmov eax, [x]', 64).bytes)).toBe(
      '8b 05 fa ff ff ff 8b 04 25 00 00 00 00 8b 04 25 00 00 00 00',
    );
  });
  it('accepts segment overrides and ignores section/global', () => {
    expect(hex(ok('section .text\nglobal _start\n_start: mov eax, [gs:ebx]').bytes)).toBe('65 8b 03');
  });
  it('ignores comments', () => {
    expect(hex(ok('nop ; a comment; with ; more\n; whole line\n  hlt').bytes)).toBe('90 f4');
  });
});

describe('line map', () => {
  it('maps each line to its address and length', () => {
    const r = ok('org 0x1000\nstart:\n  mov eax, 1 ; five bytes\n\n  nop\nK equ 3\n  times 2 db 0');
    expect(r.lineMap).toEqual([
      { line: 1, address: 0x1000, length: 0 },
      { line: 2, address: 0x1000, length: 0 },
      { line: 3, address: 0x1000, length: 5 },
      { line: 5, address: 0x1005, length: 1 },
      { line: 6, address: 0x1006, length: 0 },
      { line: 7, address: 0x1006, length: 2 },
    ]);
  });
});

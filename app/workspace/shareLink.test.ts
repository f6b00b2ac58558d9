import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeShareLink, encodeShareLink, isShareLink } from './shareLink';

/** Made by the v1 encoder on 2026-11-21. It must decode forever: never edit it. */
const PINNED_V1 =
  'v1:ZY5NTsMwEIWvMvKqlaqkSIhFG7hIXVnTZJKY-g97goiqnIItF-Ac3IST4BK1i3Y3-kbfe-8kDh5jIzbijeyg3nVkhRjr_ulRrIRF7fKrJ2N8kcbEZDNttaEkNrvd7aOarxfpAKoQPVPN2jvV-HMQOLT0LGdJCghR-6h5zOhhvZbiX5vFLqJV2mJHEJD7i1SQabNYzgXlXUPmVXndIPary8LXlNfRR_CRoaEWB8NwAkyjq0E7zQt7XGZgj0Vz6FQYOC1y5c93duH361NKJ8VyCxNM23PufvoD';

describe('share links', () => {
  it('keeps decoding the pinned v1 link', () => {
    expect(decodeShareLink('#' + PINNED_V1)).toEqual({
      board: 'qemu_virt_aarch64',
      main: 'hello.system',
      files: {
        'hello.system':
          '<system>\n  <protection_domain name="hello" priority="100">\n    <program_image path="hello.elf" />\n  </protection_domain>\n</system>\n',
        'hello.js': 'export default { async init(mk) { mk.dbg_puts("héllo ✓\\n"); } };\n',
      },
    });
  });

  it('round-trips any workspace, including non-ASCII text', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string({ unit: 'grapheme' })), fc.string(), (files, board) => {
        const ws = { files, board, main: Object.keys(files)[0] ?? 'a.system' };
        const link = encodeShareLink(ws);
        expect(isShareLink(link)).toBe(true);
        expect(link).toMatch(/^v1:[A-Za-z0-9_-]*$/);
        expect(decodeShareLink(link)).toEqual(ws);
      }),
      { numRuns: 50 },
    );
  });

  it('compresses a realistic workspace well below its size', () => {
    const text = '<protection_domain name="pd" priority="1"><program_image path="pd.elf" /></protection_domain>\n'.repeat(40);
    const link = encodeShareLink({ files: { 'a.system': text }, board: 'b', main: 'a.system' });
    expect(link.length).toBeLessThan(text.length / 5);
  });

  it('explains links from a newer version and damaged links', () => {
    expect(() => decodeShareLink('#v99:abc')).toThrow('newer version');
    expect(() => decodeShareLink('#v1:not-a-deflate-stream')).toThrow('damaged');
    expect(() => decodeShareLink('#hello')).toThrow('does not contain a workspace');
    expect(isShareLink('#section')).toBe(false);
  });
});

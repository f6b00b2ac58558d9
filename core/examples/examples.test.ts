import { describe, expect, it } from 'vitest';
import { findBoard } from '../boards';
import { DEFAULT_EXAMPLE_ID, EXAMPLES, defaultExample, findExample } from './index';

describe('examples', () => {
  it('lists every example folder with a title, a one-line description and a known board', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(3);
    for (const e of EXAMPLES) {
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.description).not.toContain('\n');
      expect(findBoard(e.board), `${e.id} board`).toBeDefined();
      expect(Object.keys(e.files)).toContain(e.main);
    }
  });

  it('loads file contents as text', () => {
    const e = defaultExample();
    expect(e.id).toBe(DEFAULT_EXAMPLE_ID);
    expect(e.files[e.main]).toMatch(/^<\?xml/);
    expect(e.files[e.main]).toContain('<virtual_machine');
  });

  it('backs every program_image with a PD program in the same folder', () => {
    for (const e of EXAMPLES) {
      for (const system of Object.keys(e.files).filter((f) => f.endsWith('.system'))) {
        for (const m of e.files[system]!.matchAll(/program_image path="([^"]+)\.elf"/g)) {
          expect(Object.keys(e.files), `${e.id}: ${m[1]}.js`).toContain(`${m[1]}.js`);
        }
      }
    }
  });

  it('has PD programs that are valid ES modules exporting the Microkit entry points', async () => {
    for (const e of EXAMPLES) {
      for (const [file, text] of Object.entries(e.files).filter(([f]) => f.endsWith('.js'))) {
        const mod = (await import(/* @vite-ignore */ `data:text/javascript,${encodeURIComponent(text)}`)) as { default: Record<string, unknown> };
        expect(typeof mod.default.init, `${e.id}/${file} init`).toBe('function');
        for (const entry of ['notified', 'protected', 'fault']) {
          if (entry in mod.default) expect(typeof mod.default[entry], `${e.id}/${file} ${entry}`).toBe('function');
        }
      }
    }
  });

  it('gives the default x86 example a guest program', () => {
    expect(Object.keys(defaultExample().files).some((f) => f.endsWith('.asm'))).toBe(true);
    expect(findExample('no-such-example')).toBeUndefined();
  });
});

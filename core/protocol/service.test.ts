import { describe, expect, it } from 'vitest';
import { defaultExample, EXAMPLES } from '../examples';
import { coreBackends } from './backends';
import type { CoreEvent, Diagnostic } from './index';
import { createCoreService } from './service';

const open = (files: Record<string, string>, board = 'x86_64_generic_vtx', main = Object.keys(files)[0]!) => {
  const service = createCoreService(coreBackends);
  const { events } = service.handle({ kind: 'workspace.open', workspace: { files, board, main } });
  return { service, events };
};
const diagnosticsOf = (events: CoreEvent[], path: string): Diagnostic[] | undefined =>
  events.flatMap((e) => (e.type === 'diagnostics' && e.path === path ? [e.diagnostics] : [])).at(-1);
const errors = (ds: Diagnostic[] | undefined) => (ds ?? []).filter((d) => d.severity === 'error');

describe('core service', () => {
  it('answers hello with the protocol version', () => {
    expect(createCoreService(coreBackends).handle({ kind: 'hello' }).result).toEqual({ protocol: 1 });
  });

  it('checks every example on its own board without errors and reports the main system', () => {
    for (const e of EXAMPLES) {
      const { events } = open(e.files, e.board, e.main);
      expect(errors(diagnosticsOf(events, e.main)), e.id).toEqual([]);
      for (const f of Object.keys(e.files).filter((p) => !p.endsWith('.system'))) expect(diagnosticsOf(events, f), `${e.id}/${f}`).toEqual([]);
      const sys = events.find((ev) => ev.type === 'system');
      expect(sys?.type === 'system' && sys.system?.protectionDomains.length, e.id).toBeGreaterThan(0);
    }
  });

  it('re-checks an edited system and reports the tool message at the attribute', () => {
    const e = defaultExample();
    const { service } = open(e.files, e.board, e.main);
    const text = e.files[e.main]!.replace('<protection_domain name="client" priority="160">', '<protection_domain name="client" priority="160" colour="red">');
    const { events } = service.handle({ kind: 'file.update', path: e.main, text });
    const [d] = errors(diagnosticsOf(events, e.main));
    expect(d?.message).toBe("invalid attribute 'colour' on element 'protection_domain'");
    const line = text.split('\n').findIndex((l) => l.includes('colour=')) + 1;
    expect(d?.line).toBe(line);
    expect(events.find((ev) => ev.type === 'system')).toEqual({ type: 'system', path: e.main, system: null });
  });

  it('re-checks on a board change (ioport is x86-only)', () => {
    const e = defaultExample();
    const { service } = open(e.files, e.board, e.main);
    const { events } = service.handle({ kind: 'board.set', board: 'qemu_virt_aarch64' });
    expect(errors(diagnosticsOf(events, e.main)).length).toBeGreaterThan(0);
    expect(() => service.handle({ kind: 'board.set', board: 'nope' })).toThrow("unknown board 'nope'");
  });

  it('keeps files through rename and delete, and follows the main file', () => {
    const e = defaultExample();
    const { service } = open(e.files, e.board, e.main);
    service.handle({ kind: 'file.rename', from: e.main, to: 'renamed.system' });
    service.handle({ kind: 'file.delete', path: 'client.js' });
    const ws = service.workspace();
    expect(ws.main).toBe('renamed.system');
    expect(ws.files['renamed.system']).toBe(e.files[e.main]);
    expect(ws.files['client.js']).toBeUndefined();
  });

  it('checks PD programs with the runtime loader, and rejects queries on missing files', () => {
    const { service, events } = open({ 'a.system': '<system/>', 'pd.js': 'export default {\n  async init(mk) { await; }\n};\n' });
    expect(diagnosticsOf(events, 'pd.js')).toMatchObject([{ line: 2, code: 'program', message: expect.stringContaining('SyntaxError') }]);
    const fixed = service.handle({ kind: 'file.update', path: 'pd.js', text: 'export default { async init(mk) {} };\n' }).events;
    expect(diagnosticsOf(fixed, 'pd.js')).toEqual([]);
    expect(() => service.handle({ kind: 'sdf.complete', path: 'x.system', line: 1, column: 1 })).toThrow("no such file 'x.system'");
  });

  it('reports malformed XML as a diagnostic, not an exception', () => {
    const { events } = open({ 'a.system': '<system><protection_domain name="x"' });
    expect(errors(diagnosticsOf(events, 'a.system'))).toHaveLength(1);
  });
});

describe('core service: guest assembly', () => {
  it('assembles the example guest cleanly and reports assembler errors at their line', () => {
    const e = defaultExample();
    const { service, events } = open(e.files, e.board, e.main);
    expect(diagnosticsOf(events, 'guest.asm')).toEqual([]);
    const { events: after } = service.handle({ kind: 'file.update', path: 'guest.asm', text: 'bits 64\nstart:\n    frobnicate rax\n' });
    const [d] = diagnosticsOf(after, 'guest.asm') ?? [];
    expect(d).toMatchObject({ line: 3, message: "unknown mnemonic 'frobnicate'", code: 'asm' });
  });

  it('answers completion and hover from the SDF schema', () => {
    const { service } = open({ 'a.system': '<system>\n  <protection_domain name="p" priority="1">\n    <\n  </protection_domain>\n</system>\n' });
    const labels = (service.handle({ kind: 'sdf.complete', path: 'a.system', line: 3, column: 6 }).result ?? []).map((c) => c.label);
    expect(labels).toContain('program_image');
    expect(labels).not.toContain('memory_region');
    const hover = service.handle({ kind: 'sdf.hover', path: 'a.system', line: 2, column: 35 }).result;
    expect(hover?.contents).toContain('priority');
  });
});

describe('core service: robustness', () => {
  it('turns a checker that throws into a diagnostic instead of failing the request', () => {
    const service = createCoreService({
      ...coreBackends,
      checkSdf: () => {
        throw new Error('boom');
      },
    });
    const { events } = service.handle({ kind: 'workspace.open', workspace: { files: { 'a.system': '<system/>' }, board: 'x86_64_generic_vtx', main: 'a.system' } });
    expect(diagnosticsOf(events, 'a.system')).toMatchObject([{ code: 'internal', message: 'internal error while checking this file: boom' }]);
    expect(events).toContainEqual({ type: 'system', path: 'a.system', system: null });
  });
});

import { describe, expect, it } from 'vitest';
import type { Diagnostic, SystemDescription } from '../../core/protocol';
import { allProblems, createProblemsStore } from './store';

const diag = (line: number, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
  severity,
  message: `m${line}`,
  toolMessage: `Error: m${line}`,
  line,
  column: 1,
  endLine: line,
  endColumn: 2,
  code: 'x',
});
const system = { fileName: 'a.system' } as SystemDescription;

describe('problems store', () => {
  it('replaces a file’s core diagnostics on each event and keeps editor ones apart', () => {
    const s = createProblemsStore();
    s.getState().applyEvent({ type: 'diagnostics', path: 'a.system', textLength: 1, diagnostics: [diag(3), diag(1)] });
    s.getState().setEditorDiagnostics('pd.js', [diag(2, 'warning')]);
    s.getState().applyEvent({ type: 'diagnostics', path: 'a.system', textLength: 1, diagnostics: [diag(5)] });
    expect(allProblems(s.getState().byFile).map((p) => `${p.path}:${p.line}:${p.source}`)).toEqual(['a.system:5:core', 'pd.js:2:editor']);
  });

  it('keeps the last good system while the text does not parse', () => {
    const s = createProblemsStore();
    s.getState().applyEvent({ type: 'system', path: 'a.system', system });
    s.getState().applyEvent({ type: 'system', path: 'a.system', system: null });
    expect(s.getState().system).toBe(system);
    expect(s.getState().systemStale).toBe(true);
    s.getState().applyEvent({ type: 'system', path: 'b.system', system: null });
    expect(s.getState().system).toBeNull();
  });

  it('leaves out the core’s duplicate of a syntax error the editor already reports', () => {
    const s = createProblemsStore();
    s.getState().applyEvent({ type: 'diagnostics', path: 'pd.js', textLength: 1, diagnostics: [{ ...diag(2), code: 'program' }] });
    expect(allProblems(s.getState().byFile).map((p) => p.source)).toEqual(['core']);
    s.getState().setEditorDiagnostics('pd.js', [diag(2)]);
    expect(allProblems(s.getState().byFile).map((p) => p.source)).toEqual(['editor']);
  });

  it('forgets a deleted file', () => {
    const s = createProblemsStore();
    s.getState().applyEvent({ type: 'diagnostics', path: 'a.system', textLength: 1, diagnostics: [diag(1)] });
    s.getState().forgetFile('a.system');
    expect(allProblems(s.getState().byFile)).toEqual([]);
  });
});

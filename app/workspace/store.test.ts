import { describe, expect, it } from 'vitest';
import { createWorkspaceStore } from './store';

const ws = () => ({ files: { 'a.system': '<system/>', 'pd.js': 'export default {}' }, board: 'x86_64_generic_vtx', main: 'a.system' });

describe('workspace store', () => {
  it('opens on the main file', () => {
    const s = createWorkspaceStore(ws());
    expect(s.getState().active).toBe('a.system');
  });

  it('creates files from a template and makes them active', () => {
    const s = createWorkspaceStore(ws());
    s.getState().createFile('serial.js');
    expect(s.getState().active).toBe('serial.js');
    expect(s.getState().files['serial.js']).toContain('async init(mk)');
  });

  it('refuses bad or duplicate names with a message', () => {
    const s = createWorkspaceStore(ws());
    expect(() => s.getState().createFile('pd.js')).toThrow("already exists");
    expect(() => s.getState().createFile('dir/x.js')).toThrow('no folders');
    expect(() => s.getState().createFile('notes.txt')).toThrow('must end in');
    expect(Object.keys(s.getState().files)).toHaveLength(2);
  });

  it('renames the main and active file and keeps its text', () => {
    const s = createWorkspaceStore(ws());
    s.getState().renameFile('a.system', 'b.system');
    expect(s.getState().main).toBe('b.system');
    expect(s.getState().active).toBe('b.system');
    expect(s.getState().files['b.system']).toBe('<system/>');
    expect(s.getState().files['a.system']).toBeUndefined();
  });

  it('deletes files but never the main system description', () => {
    const s = createWorkspaceStore(ws());
    s.getState().setActive('pd.js');
    s.getState().deleteFile('pd.js');
    expect(s.getState().files['pd.js']).toBeUndefined();
    expect(s.getState().active).toBe('a.system');
    expect(() => s.getState().deleteFile('a.system')).toThrow('main system description');
  });

  it('does not notify subscribers when text is unchanged', () => {
    const s = createWorkspaceStore(ws());
    let calls = 0;
    s.subscribe(() => calls++);
    s.getState().setText('pd.js', 'export default {}');
    s.getState().setText('pd.js', 'changed');
    expect(calls).toBe(1);
  });
});

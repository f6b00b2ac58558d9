/** Guest breakpoints in the editor: on a guest `.asm` file the glyph margin toggles a guest-line breakpoint (the
 * core maps the line through the assembler's line map and the image's load address), shows the breakpoint dots,
 * and highlights the line of the current guest instruction while the run is paused in the guest. */
import type * as monacoNs from 'monaco-editor';
import { ASM_LANGUAGE, languageOf, pathOfUri } from '../editor/languages';
import { runStore } from './install';
import './asmGutter.css';

type Monaco = typeof monacoNs;

export function attachGuestGutter(monaco: Monaco, editor: monacoNs.editor.IStandaloneCodeEditor): { dispose(): void } {
  let store: ReturnType<typeof runStore>;
  try {
    store = runStore();
  } catch {
    return { dispose: () => undefined }; // no run views in this shell
  }
  const decorations = editor.createDecorationsCollection();
  const asmPath = (): string | null => {
    const m = editor.getModel();
    const path = m && pathOfUri(m.uri);
    return path && languageOf(path) === ASM_LANGUAGE ? path : null;
  };

  const render = (): void => {
    const path = asmPath();
    editor.updateOptions({ glyphMargin: path !== null });
    if (!path) return decorations.clear();
    const st = store.getState();
    const bps = new Set(st.breakpoints.flatMap((b) => (b.kind === 'guest-line' && b.file === path ? [b.line] : [])));
    const cur = st.view && !st.view.position.running && st.view.guestLine?.file === path ? st.view.guestLine.line : null;
    const out: monacoNs.editor.IModelDeltaDecoration[] = [...bps].map((line) => ({
      range: new monaco.Range(line, 1, line, 1),
      options: { glyphMarginClassName: line === cur ? 'guest-bp-glyph guest-current-glyph' : 'guest-bp-glyph', glyphMarginHoverMessage: { value: 'Guest breakpoint (click to remove)' } },
    }));
    if (cur !== null) {
      out.push({ range: new monaco.Range(cur, 1, cur, 1), options: { isWholeLine: true, className: 'guest-current-line', ...(bps.has(cur) ? {} : { glyphMarginClassName: 'guest-current-glyph' }) } });
    }
    decorations.set(out);
  };

  const subs = [
    editor.onDidChangeModel(render),
    editor.onMouseDown((e) => {
      const path = asmPath();
      if (!path || e.target.type !== monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN || !e.target.position) return;
      void store.getState().toggleBreakpoint({ kind: 'guest-line', file: path, line: e.target.position.lineNumber });
    }),
    { dispose: store.subscribe((n, p) => (n.breakpoints !== p.breakpoints || n.view !== p.view) && render()) },
  ];
  render();
  return { dispose: () => subs.forEach((d) => d.dispose()) };
}

/** The code editor: one Monaco editor showing one model per workspace file. Models
 * follow the workspace store both ways (typing updates the store; opening an example
 * or importing a zip replaces model text), core diagnostics become markers, and
 * Monaco's own JavaScript markers flow back into the Problems list. */
import { useEffect, useRef, useState } from 'react';
import type * as monacoNs from 'monaco-editor';
import { allProblems, type Problem } from '../problems/store';
import { useServices, useUi, useWorkspace } from '../shell/hooks';
import type { Services } from '../shell/services';
import { languageOf, pathOfUri } from './languages';
import { attachGuestGutter } from '../run';
import { loadMonaco } from './loadMonaco';
import type { Monaco } from './monacoSetup';
import { EditorTabs } from './EditorTabs';

const MARKER_OWNER = 'microkit';

export function EditorPane() {
  const services = useServices();
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const theme = useUi((u) => u.theme);
  const monacoRef = useRef<Monaco | null>(null);

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    loadMonaco(services).then(
      (monaco) => {
        if (disposed || !host.current) return;
        monacoRef.current = monaco;
        cleanup = mountEditor(monaco, host.current, services);
        setReady(true);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      disposed = true;
      cleanup();
    };
  }, [services]);

  useEffect(() => {
    monacoRef.current?.editor.setTheme(theme === 'dark' ? 'studio-dark' : 'studio-light');
  }, [theme, ready]);

  return (
    <div className="editor-pane">
      <EditorTabs />
      <div className="editor-host" ref={host} data-testid="editor" data-ready={ready ? 'true' : 'false'}>
        {!ready && !error && <div className="editor-loading">Loading editor…</div>}
        {error && <div className="editor-loading error">The editor could not be loaded: {error}</div>}
      </div>
    </div>
  );
}

function mountEditor(monaco: Monaco, host: HTMLElement, s: Services): () => void {
  const models = new Map<string, monacoNs.editor.ITextModel>();
  const viewStates = new Map<string, monacoNs.editor.ICodeEditorViewState | null>();
  let applyingStore = false;
  const disposables: { dispose(): void }[] = [];

  const editor = monaco.editor.create(host, {
    automaticLayout: true,
    fontFamily: "'JetBrains Mono', 'Cascadia Code', 'Fira Code', Menlo, Consolas, monospace",
    fontSize: 13,
    lineHeight: 20,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    renderLineHighlight: 'all',
    tabSize: 4,
    padding: { top: 8 },
    fixedOverflowWidgets: true,
    wordBasedSuggestions: 'off',
    stickyScroll: { enabled: false },
    overviewRulerBorder: false,
    scrollbar: { verticalScrollbarSize: 10, horizontalScrollbarSize: 10, useShadows: false },
    theme: s.ui.getState().theme === 'dark' ? 'studio-dark' : 'studio-light',
  });
  disposables.push(editor);
  disposables.push(attachGuestGutter(monaco, editor));

  /** `prev` limits the text comparison to files whose text changed in the store. */
  const syncModels = (prev?: Record<string, string>) => {
    const files = s.workspace.getState().files;
    applyingStore = true;
    for (const [path, text] of Object.entries(files)) {
      if (prev && prev[path] === text && models.has(path)) continue;
      const model = models.get(path);
      if (!model) {
        const m = monaco.editor.createModel(text, languageOf(path), monaco.Uri.from({ scheme: 'file', path: `/${path}` }));
        m.onDidChangeContent(() => {
          if (!applyingStore) s.workspace.getState().setText(path, m.getValue());
        });
        models.set(path, m);
      } else if (model.getValue() !== text) {
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
      }
    }
    for (const [path, model] of models) {
      if (!(path in files)) {
        model.dispose();
        models.delete(path);
        viewStates.delete(path);
      }
    }
    applyingStore = false;
  };

  const showActive = () => {
    const active = s.workspace.getState().active;
    const model = models.get(active) ?? null;
    if (editor.getModel() === model) return;
    const current = editor.getModel();
    const currentPath = current && pathOfUri(current.uri);
    if (currentPath && models.has(currentPath)) viewStates.set(currentPath, editor.saveViewState());
    editor.setModel(model);
    const vs = viewStates.get(active);
    if (vs) editor.restoreViewState(vs);
  };

  const applyMarkers = () => {
    // allProblems drops the core's duplicates of errors Monaco already marks
    const core = allProblems(s.problems.getState().byFile).filter((p) => p.source === 'core');
    for (const [path, model] of models) {
      monaco.editor.setModelMarkers(model, MARKER_OWNER, core.filter((p) => p.path === path).map((p) => toMarker(monaco, p)));
    }
  };

  syncModels();
  showActive();
  applyMarkers();

  disposables.push({
    dispose: s.workspace.subscribe((next, prev) => {
      if (next.files !== prev.files) {
        syncModels(prev.files);
        applyMarkers();
      }
      if (next.active !== prev.active || next.files !== prev.files) showActive();
    }),
  });
  disposables.push({ dispose: s.problems.subscribe((n, p) => n.byFile !== p.byFile && applyMarkers()) });

  // Problems and graph clicks move the cursor here.
  disposables.push({
    dispose: s.ui.subscribe((next, prev) => {
      const r = next.reveal;
      if (!r || r === prev.reveal) return;
      if (s.workspace.getState().active !== r.path && r.path in s.workspace.getState().files) s.workspace.getState().setActive(r.path);
      showActive();
      editor.setPosition({ lineNumber: r.line, column: r.column });
      editor.revealPositionInCenterIfOutsideViewport({ lineNumber: r.line, column: r.column });
      editor.focus();
    }),
  });

  disposables.push(
    editor.onDidChangeCursorPosition((e) => {
      const model = editor.getModel();
      const path = model && pathOfUri(model.uri);
      if (path) s.ui.getState().setCursor({ path, line: e.position.lineNumber, column: e.position.column });
    }),
  );

  // JavaScript syntax errors from Monaco's own worker join the Problems list.
  disposables.push(
    monaco.editor.onDidChangeMarkers((uris) => {
      for (const uri of uris) {
        const path = pathOfUri(uri);
        if (!path || !models.has(path) || languageOf(path) !== 'javascript') continue;
        // Hints ("declared but never read") are editor decorations, not problems.
        const markers = monaco.editor.getModelMarkers({ resource: uri }).filter((m) => m.owner !== MARKER_OWNER && m.severity > monaco.MarkerSeverity.Hint);
        s.problems.getState().setEditorDiagnostics(
          path,
          markers.map((m) => ({
            severity: m.severity >= monaco.MarkerSeverity.Error ? 'error' : m.severity >= monaco.MarkerSeverity.Warning ? 'warning' : 'info',
            message: m.message,
            toolMessage: m.message,
            line: m.startLineNumber,
            column: m.startColumn,
            endLine: m.endLineNumber,
            endColumn: m.endColumn,
            code: `js${m.code ? `:${typeof m.code === 'string' ? m.code : m.code.value}` : ''}`,
          })),
        );
      }
    }),
  );

  (window as unknown as { __studioEditor?: unknown }).__studioEditor = editor;
  return () => {
    disposables.forEach((d) => d.dispose());
    models.forEach((m) => m.dispose());
  };
}

function toMarker(monaco: Monaco, p: Problem): monacoNs.editor.IMarkerData {
  const severity = p.severity === 'error' ? monaco.MarkerSeverity.Error : p.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info;
  const sameSpot = p.endLine === p.line && p.endColumn <= p.column;
  return {
    severity,
    message: p.message,
    source: 'microkit',
    code: p.code,
    startLineNumber: p.line,
    startColumn: p.column,
    endLineNumber: p.endLine,
    endColumn: sameSpot ? p.column + 1 : p.endColumn,
  };
}

/** The IDE shell: title bar, file tree, editor, graph, bottom dock, status bar. */
import { lazy, Suspense, useEffect } from 'react';
import { CommandPalette } from './CommandPalette';
import { Dialogs } from './Dialogs';
import { Dock } from './Dock';
import { isMac, useServices, useUi } from './hooks';
import { Notices } from './Notices';
import { Splitter } from './Splitter';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';

// Monaco is big: the shell paints first, the editor arrives when its chunk has loaded.
const EditorPane = lazy(() => import('../editor/EditorPane').then((m) => ({ default: m.EditorPane })));

export function App() {
  const services = useServices();
  const theme = useUi((u) => u.theme);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    try {
      localStorage.setItem('microkit-studio/theme', theme);
    } catch {
      /* private mode: the theme is simply not remembered */
    }
  }, [theme]);

  // Shortcuts are caught before Monaco sees them, so ours win inside the editor too.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = services.actions.forKey(e, services, isMac);
      if (!action) return;
      e.preventDefault();
      e.stopPropagation();
      services.actions.run(action.id, services, 'keyboard');
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [services]);

  return (
    <div className="app">
      <Toolbar />
      <main className="workbench">
        <Dock area="left" className="side" />
        <Splitter cssVar="--left-width" axis="x" min={160} max={480} />
        <div className="center">
          <Suspense fallback={<div className="editor-pane"><div className="editor-loading">Loading editor…</div></div>}>
            <EditorPane />
          </Suspense>
          <Splitter cssVar="--bottom-height" axis="y" min={90} max={600} invert />
          <Dock area="bottom" />
        </div>
        <Splitter cssVar="--right-width" axis="x" min={240} max={1200} invert />
        <Dock area="right" className="side" />
      </main>
      <StatusBar />
      <CommandPalette />
      <Dialogs />
      <Notices />
    </div>
  );
}

/** The examples gallery: every example in core/examples, with its one-line description. */
import { findBoard } from '../../core/boards';
import { EXAMPLES, type Example } from '../../core/examples';
import { useServices } from '../shell/hooks';

export function openExample(services: ReturnType<typeof useServices>, e: Example) {
  services.workspace.getState().open({ files: { ...e.files }, board: e.board, main: e.main });
  services.ui.getState().openDialog(null);
  services.ui.getState().notify('info', `Opened the example “${e.title}”.`);
}

export function GalleryDialog() {
  const services = useServices();
  return (
    <div className="gallery" data-testid="gallery">
      <p className="muted">Opening an example replaces the files in the workspace. Export a zip first to keep your work.</p>
      <div className="gallery-grid">
        {EXAMPLES.map((e) => (
          <button key={e.id} className="gallery-card" data-testid={`example-${e.id}`} onClick={() => openExample(services, e)}>
            <span className="title">{e.title}</span>
            <span className="description">{e.description}</span>
            <span className="meta">
              <span className="pill">{findBoard(e.board)?.kernel.arch ?? e.board}</span>
              <span>{Object.keys(e.files).length} files</span>
            </span>
          </button>
        ))}
      </div>
    </div>
  );
}

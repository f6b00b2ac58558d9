/** The workspace's files: the system description(s), PD programs and guest sources. */
import { fileKind } from '../../core/protocol';
import { allProblems } from '../problems/store';
import { useActionsVersion, useProblems, useServices, useWorkspace } from '../shell/hooks';
import { FileIcon, Icon } from '../theme/icons';
import { sortedPaths } from '../workspace/fileNames';

const GROUPS = [
  { kind: 'system', title: 'System' },
  { kind: 'program', title: 'PD programs' },
  { kind: 'asm', title: 'Guest code' },
  { kind: 'other', title: 'Other' },
] as const;

export function FilesView() {
  const services = useServices();
  useActionsVersion();
  const files = useWorkspace((w) => w.files);
  const active = useWorkspace((w) => w.active);
  const main = useWorkspace((w) => w.main);
  const byFile = useProblems((p) => p.byFile);
  const errors = new Map<string, number>();
  for (const p of allProblems(byFile)) if (p.severity === 'error') errors.set(p.path, (errors.get(p.path) ?? 0) + 1);
  const paths = sortedPaths(Object.keys(files));
  const run = (id: string) => services.actions.run(id, services, 'toolbar');

  return (
    <div className="files-view">
      <div className="view-toolbar">
        <span className="muted">Workspace</span>
        <span className="spacer" />
        <button className="icon-button" title="New file" aria-label="New file" onClick={() => run('file.new')}>
          <Icon name="newFile" />
        </button>
        <button className="icon-button" title="Rename file" aria-label="Rename file" onClick={() => run('file.rename')}>
          <Icon name="rename" />
        </button>
        <button className="icon-button" title="Delete file" aria-label="Delete file" disabled={!services.actions.isEnabled('file.delete', services)} onClick={() => run('file.delete')}>
          <Icon name="trash" />
        </button>
      </div>
      <div className="file-tree" role="tree" data-testid="file-tree">
        {GROUPS.map((g) => {
          const inGroup = paths.filter((p) => fileKind(p) === g.kind);
          if (inGroup.length === 0) return null;
          return (
            <div key={g.kind} className="file-group" role="group">
              <div className="file-group-title">{g.title}</div>
              {inGroup.map((p) => (
                <button
                  key={p}
                  role="treeitem"
                  aria-selected={p === active}
                  className={`file-item${p === active ? ' active' : ''}`}
                  data-testid={`file-${p}`}
                  onClick={() => services.workspace.getState().setActive(p)}
                  onDoubleClick={() => run('file.rename')}
                >
                  <FileIcon kind={fileKind(p)} />
                  <span className="name">{p}</span>
                  {p === main && <span className="tag" title="The system the graph and the build start from">main</span>}
                  {errors.get(p) ? <span className="count error">{errors.get(p)}</span> : null}
                </button>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}

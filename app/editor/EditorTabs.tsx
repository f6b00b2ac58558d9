/** The file name above the editor, with the file's problem count. */
import { fileKind } from '../../core/protocol';
import { allProblems } from '../problems/store';
import { useProblems, useWorkspace } from '../shell/hooks';
import { FileIcon } from '../theme/icons';

export function EditorTabs() {
  const active = useWorkspace((w) => w.active);
  const main = useWorkspace((w) => w.main);
  const count = useProblems((p) => allProblems(p.byFile).filter((x) => x.path === active && x.severity === 'error').length);
  return (
    <div className="editor-tabs" role="tablist">
      <div className="editor-tab active" role="tab" aria-selected="true" data-testid="editor-tab">
        <FileIcon kind={fileKind(active)} />
        <span>{active}</span>
        {active === main && <span className="tag">main</span>}
        {count > 0 && <span className="count error">{count}</span>}
      </div>
    </div>
  );
}

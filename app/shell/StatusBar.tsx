/** The status bar: core status, problem counts, cursor, board. */
import { findBoard } from '../../core/boards';
import { allProblems } from '../problems/store';
import { Icon } from '../theme/icons';
import { useProblems, useServices, useUi, useWorkspace } from './hooks';

const STATUS_TEXT = { starting: 'Core starting…', ready: 'Core ready', restarting: 'Core restarting…', failed: 'Core stopped' } as const;

const SAVE_TEXT = { saved: 'Saved in this browser', pending: 'Saving…', failed: 'Not saved' } as const;

export function StatusBar() {
  const services = useServices();
  const status = useProblems((p) => p.coreStatus);
  const detail = useProblems((p) => p.coreDetail);
  const byFile = useProblems((p) => p.byFile);
  const cursor = useUi((u) => u.cursor);
  const board = useWorkspace((w) => w.board);
  const saveState = useUi((u) => u.saveState);
  const problems = allProblems(byFile);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  return (
    <footer className="statusbar">
      <span className={`status-dot ${status}`} title={detail} data-testid="core-status" data-status={status}>
        {STATUS_TEXT[status]}
      </span>
      <button className="status-item" onClick={() => services.ui.getState().showView('bottom', 'problems')} data-testid="problem-counts">
        <Icon name="error" /> {errors} <Icon name="warning" /> {warnings}
      </button>
      <span className="status-item" data-testid="save-state" title="Your files are kept in this browser (IndexedDB)">
        {SAVE_TEXT[saveState]}
      </span>
      <span className="spacer" />
      {cursor && (
        <span className="status-item" data-testid="cursor-position">
          Ln {cursor.line}, Col {cursor.column}
        </span>
      )}
      <span className="status-item">{findBoard(board)?.kernel.arch ?? '?'}</span>
      <span className="status-item">{board}</span>
    </footer>
  );
}

/** The title bar: product name, board selector, and the toolbar actions. */
import { BOARDS } from '../../core/boards';
import { formatShortcut } from '../actions/registry';
import { Icon, type IconName } from '../theme/icons';
import { isMac, useActionsVersion, useServices, useUi, useWorkspace } from './hooks';

export function Toolbar() {
  const services = useServices();
  useActionsVersion();
  const board = useWorkspace((w) => w.board);
  const theme = useUi((u) => u.theme);
  const actions = services.actions.all().filter((a) => a.icon);
  return (
    <header className="titlebar">
      <div className="brand">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <rect x="2" y="2" width="20" height="20" rx="5" className="brand-bg" />
          <path d="M7 16V8l5 5 5-5v8" fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <span>Microkit Studio</span>
      </div>
      <label className="board-select" title="The board decides the architecture and the kernel configuration the system is checked against">
        <span>Board</span>
        <select value={board} data-testid="board-select" onChange={(e) => services.workspace.getState().setBoard(e.target.value)}>
          {BOARDS.map((b) => (
            <option key={b.name} value={b.name}>
              {b.name}
            </option>
          ))}
        </select>
      </label>
      <span className="spacer" />
      <nav className="toolbar" aria-label="Toolbar">
        {actions.map((a) => (
          <button
            key={a.id}
            className="tool-button"
            data-action={a.id}
            title={`${a.title ?? a.label}${a.shortcut ? ` (${formatShortcut(a.shortcut, isMac)})` : ''}`}
            aria-label={a.label}
            disabled={!services.actions.isEnabled(a.id, services)}
            onClick={() => services.actions.run(a.id, services, 'toolbar')}
          >
            <Icon name={a.icon as IconName} />
          </button>
        ))}
        <button
          className="tool-button"
          data-action="view.toggleTheme"
          title={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          aria-label="Toggle theme"
          onClick={() => services.actions.run('view.toggleTheme', services, 'toolbar')}
        >
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
        </button>
      </nav>
    </header>
  );
}

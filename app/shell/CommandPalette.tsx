/** The command palette (Mod+Shift+P): every registered action, filtered as you type. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatShortcut, matchesQuery } from '../actions/registry';
import { isMac, useActionsVersion, useServices, useUi } from './hooks';

export function CommandPalette() {
  const services = useServices();
  const open = useUi((u) => u.paletteOpen);
  useActionsVersion();
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  const items = useMemo(
    () => services.actions.all().filter((a) => matchesQuery(a, query) && services.actions.isEnabled(a.id, services)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [query, open, services],
  );

  useEffect(() => {
    if (open) {
      setQuery('');
      setIndex(0);
      input.current?.focus();
    }
  }, [open]);

  if (!open) return null;
  const close = () => services.ui.getState().setPaletteOpen(false);
  const run = (id: string) => {
    close();
    services.actions.run(id, services, 'palette');
  };

  return (
    <div className="overlay" onMouseDown={close}>
      <div className="palette" role="dialog" aria-label="Command palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          autoFocus
          className="palette-input"
          placeholder="Type a command…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
            else if (e.key === 'ArrowDown') setIndex((i) => Math.min(items.length - 1, i + 1));
            else if (e.key === 'ArrowUp') setIndex((i) => Math.max(0, i - 1));
            else if (e.key === 'Enter' && items[index]) run(items[index].id);
            else return;
            e.preventDefault();
          }}
        />
        <ul className="palette-list" role="listbox">
          {items.map((a, i) => (
            <li key={a.id} role="option" aria-selected={i === index} className={i === index ? 'active' : ''} onMouseEnter={() => setIndex(i)} onClick={() => run(a.id)}>
              <span className="category">{a.category}:</span> {a.label}
              {a.shortcut && <kbd>{formatShortcut(a.shortcut, isMac)}</kbd>}
            </li>
          ))}
          {items.length === 0 && <li className="muted">No matching commands</li>}
        </ul>
      </div>
    </div>
  );
}

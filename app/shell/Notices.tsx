/** Passing messages (a worker crash, an import error); info ones fade by themselves. */
import { useEffect } from 'react';
import { useServices, useUi } from './hooks';

export function Notices() {
  const services = useServices();
  const notices = useUi((u) => u.notices);
  useEffect(() => {
    const timers = notices.filter((n) => n.kind === 'info').map((n) => setTimeout(() => services.ui.getState().dismiss(n.id), 4000));
    return () => timers.forEach(clearTimeout);
  }, [notices, services]);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} data-testid={`notice-${n.kind}`}>
          <span>{n.text}</span>
          <button className="link-button" onClick={() => services.ui.getState().dismiss(n.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}

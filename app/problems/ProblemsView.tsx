/** Every diagnostic in the workspace; clicking one moves the editor cursor there. */
import { useMemo } from 'react';
import { useProblems, useServices } from '../shell/hooks';
import { Icon } from '../theme/icons';
import { allProblems } from './store';

export function ProblemsView() {
  const services = useServices();
  const byFile = useProblems((p) => p.byFile);
  const problems = useMemo(() => allProblems(byFile), [byFile]);
  if (problems.length === 0) return <div className="empty-state">No problems in the workspace.</div>;
  return (
    <ul className="problems" data-testid="problems">
      {problems.map((p, i) => (
        <li key={`${p.path}:${p.line}:${p.column}:${i}`}>
          <button
            className={`problem ${p.severity}`}
            data-testid="problem"
            title={p.toolMessage}
            onClick={() => services.ui.getState().revealLocation({ path: p.path, line: p.line, column: p.column })}
          >
            <Icon name={p.severity === 'info' ? 'info' : p.severity} className={`sev ${p.severity}`} />
            <span className="text">
              <span className="message">{p.message}</span>
              <span className="where">
                {p.path}:{p.line}:{p.column}
              </span>
              <span className="code">{p.code}</span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function problemsBadge(byFile: Parameters<typeof allProblems>[0]): string | null {
  const n = allProblems(byFile).length;
  return n ? String(n) : null;
}

/** The current position of the run, shown at the top of every run view so they all agree on "where". */
import { useMemo } from 'react';
import { positionLabel, runTroubles } from './format';
import { useRun } from './hooks';
import './run.css';

export function RunPosition() {
  const position = useRun((s) => s.view?.position);
  const busy = useRun((s) => s.busy);
  const running = useRun((s) => s.running);
  const error = useRun((s) => s.view?.error ?? s.error);
  const stale = useRun((s) => s.stale && s.view !== null);
  const label = error ? `Cannot run: ${error}` : positionLabel(position);
  const faults = useRun((s) => s.view?.faults);
  const counts = useRun((s) => s.view?.exitCounts);
  const troubles = useMemo(() => (faults && counts ? runTroubles({ faults, exitCounts: counts }) : []), [faults, counts]);
  return (
    <div className={`run-position${position?.stoppedBecause === 'breakpoint' ? ' at-breakpoint' : ''}`} data-testid="run-position">
      <span className={`run-dot${running ? ' running' : busy ? ' busy' : ''}`} aria-hidden="true" />
      <span className="run-where">{label}</span>
      {troubles.map((t) => (
        <span key={t} className="run-trouble" data-testid="run-trouble">{t}</span>
      ))}
      {stale && <span className="run-stale" title="The files changed since this run was loaded; Run or Build loads them again">edited since loaded</span>}
    </div>
  );
}

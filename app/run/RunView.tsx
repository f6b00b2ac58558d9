/** The Run panel: where the run is, what each thread is doing, and the breakpoints (add, remove). */
import { useState } from 'react';
import type { SimBreakpoint } from '../../core/protocol';
import { EXIT_REASONS } from '../../core/x86';
import type { SystemDescription } from '../../core/protocol';
import { useProblems, useServices } from '../shell/hooks';
import { breakpointLabel, faultSource, formatTime, parseNumber } from './format';
import { useRun } from './hooks';
import { pdChannels, pdIrqs } from './names';
import { runStore } from './install';
import { RunPosition } from './RunPosition';

/** reasons a Microkit VM meets most, listed first */
const COMMON_REASONS = [48, 30, 12, 10, 31, 32, 28, 52, 7, 1, 2, 18];
type Kind = 'vm-exit' | 'channel' | 'entry' | 'fault' | 'guest-rip' | 'irq';
type Condition = 'none' | 'port' | 'msr' | 'gpa';

export function RunView() {
  const view = useRun((s) => s.view);
  const breakpoints = useRun((s) => s.breakpoints);
  const system = useProblems((s) => s.system);
  const services = useServices();
  // PDs by name: from the run once loaded, else from the SDF (so breakpoints can be set before the first run)
  const pds = view?.loaded ? view.threads.map((t) => t.name).filter((n) => n !== 'monitor') : (system?.protectionDomains.map((p) => p.name) ?? []);
  return (
    <div className="run-view" data-testid="run-view">
      <RunPosition />
      <div className="run-panels">
        <section>
          <h3>Threads</h3>
          {!view?.loaded ? (
            <div className="run-empty">Press Run (F5) to build and start the system.</div>
          ) : (
            <table className="run-table">
              <thead>
                <tr><th>PD</th><th>state</th><th>prio</th><th>core</th></tr>
              </thead>
              <tbody>
                {view.threads.map((t) => (
                  <tr key={t.name} className={t.running ? 'current' : ''}>
                    <td>{t.name}</td><td>{t.state}</td><td className="num">{t.priority}</td><td className="num">{t.core}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {view && view.cores.length > 0 && (
            <div className="run-empty">{view.cores.map((c) => `core ${c.core}: ${c.current ?? 'idle'} at ${formatTime(c.time)}`).join(' · ')}</div>
          )}
          {view && view.faults.length > 0 && (
            <>
              <h3>Faults</h3>
              <ul className="bp-list">
                {view.faults.map((f, i) => {
                  // a PD program's exception names its source line: one click takes the editor there
                  const at = faultSource(f.text);
                  return (
                    <li key={i} data-testid="fault">
                      <span>
                        {formatTime(f.time)} {f.pd} → {f.handler}{f.text ? `: ${f.text}` : ''}
                        {at && (
                          <button className="small-button link fault-source" onClick={() => services.ui.getState().revealLocation(at)}>
                            go to {at.path}:{at.line}
                          </button>
                        )}
                      </span>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </section>
        <section>
          <h3>Breakpoints</h3>
          {breakpoints.length === 0 ? (
            <div className="run-empty">No breakpoints.</div>
          ) : (
            <ul className="bp-list" data-testid="breakpoints">
              {breakpoints.map((b, i) => (
                <li key={i}>
                  <span className="bp-dot" />
                  <span>{breakpointLabel(b, system)}</span>
                  <button className="small-button link" title="Remove" onClick={() => void runStore().getState().removeBreakpoint(i)}>✕</button>
                </li>
              ))}
            </ul>
          )}
          <BreakpointForm pds={pds} system={system} />
        </section>
      </div>
    </div>
  );
}

function BreakpointForm({ pds, system }: { pds: string[]; system: SystemDescription | null }) {
  const [kind, setKind] = useState<Kind>('vm-exit');
  const [reason, setReason] = useState(48);
  const [condition, setCondition] = useState<Condition>('none');
  const [value, setValue] = useState('');
  const [pd, setPd] = useState('');
  const [error, setError] = useState<string | null>(null);
  const reasons = [...COMMON_REASONS, ...Object.keys(EXIT_REASONS).map(Number).filter((r) => !COMMON_REASONS.includes(r))];
  const pdName = pds.includes(pd) ? pd : pds[0] || '';
  // channel and IRQ ids of the chosen PD with what they connect to, from the SDF; free text when it is unknown
  const irqs = kind === 'irq' ? pdIrqs(system, pdName) : [];
  const choices = kind === 'channel' ? pdChannels(system, pdName).map((c) => ({ value: String(c.id), text: `${c.id} — ${c.peer}` }))
    : irqs.length > 0 ? [{ value: '', text: 'any IRQ' }, ...irqs.map((i) => ({ value: String(i.id), text: `${i.id} — ${i.source}` }))]
    : [];
  const chosen = choices.length > 0 ? (choices.some((c) => c.value === value) ? value : choices[0].value) : value;

  function add() {
    const n = parseNumber(chosen);
    let b: SimBreakpoint;
    switch (kind) {
      case 'vm-exit':
        if (condition !== 'none' && n === null) return setError('Enter the condition as hex (0x…) or decimal.');
        b = { kind: 'vm-exit', reason, ...(condition === 'port' ? { port: n! } : condition === 'msr' ? { msr: n! } : condition === 'gpa' ? { gpa: n! } : {}) };
        break;
      case 'guest-rip':
        if (n === null) return setError('Enter the guest RIP as hex (0x…) or decimal.');
        b = { kind: 'guest-rip', rip: n };
        break;
      case 'channel':
        if (n === null || !pdName) return setError('Pick a PD and enter the channel id.');
        b = { kind: 'channel', pd: pdName, ch: n };
        break;
      case 'entry':
        if (!pdName) return setError('Pick a PD.');
        b = { kind: 'entry', pd: pdName };
        break;
      case 'irq':
        b = { kind: 'irq', ...(pdName ? { pd: pdName } : {}), ...(n !== null ? { id: n } : {}) };
        break;
      case 'fault':
        b = { kind: 'fault', ...(pdName ? { pd: pdName } : {}) };
        break;
    }
    setError(null);
    void runStore().getState().toggleBreakpoint(b);
  }

  const needsPd = kind === 'channel' || kind === 'entry' || kind === 'fault' || kind === 'irq';
  return (
    <div className="bp-form" data-testid="breakpoint-form">
      <select aria-label="Breakpoint kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
        <option value="vm-exit">VM exit</option>
        <option value="guest-rip">Guest RIP</option>
        <option value="channel">Channel</option>
        <option value="entry">PD entry point</option>
        <option value="irq">IRQ</option>
        <option value="fault">Fault</option>
      </select>
      {kind === 'vm-exit' && (
        <>
          <select aria-label="Exit reason" value={reason} onChange={(e) => setReason(Number(e.target.value))}>
            {reasons.map((r) => (
              <option key={r} value={r}>{EXIT_REASONS[r]}</option>
            ))}
          </select>
          <select aria-label="Condition" value={condition} onChange={(e) => setCondition(e.target.value as Condition)}>
            <option value="none">any</option>
            <option value="port">on port</option>
            <option value="msr">on MSR</option>
            <option value="gpa">at guest-physical</option>
          </select>
        </>
      )}
      {needsPd && (
        <select aria-label="Protection domain" value={pdName} onChange={(e) => setPd(e.target.value)}>
          {pds.length === 0 && <option value="">(run once to list PDs)</option>}
          {pds.map((p) => (
            <option key={p} value={p}>{p}</option>
          ))}
        </select>
      )}
      {choices.length > 0 ? (
        <select aria-label={kind === 'channel' ? 'Channel' : 'IRQ'} value={chosen} onChange={(e) => setValue(e.target.value)}>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>{c.text}</option>
          ))}
        </select>
      ) : ((kind === 'vm-exit' && condition !== 'none') || kind === 'guest-rip' || kind === 'channel' || kind === 'irq') && (
        <input aria-label="Value" placeholder={kind === 'channel' ? 'channel id' : kind === 'irq' ? 'irq id' : '0x…'} value={value} onChange={(e) => setValue(e.target.value)} />
      )}
      <button className="small-button" data-testid="add-breakpoint" onClick={add}>Add breakpoint</button>
      {error && <span style={{ color: 'var(--error)' }}>{error}</span>}
    </div>
  );
}

/** Each PD's debug output and each VM's serial console, interleaved in the order written or side by side. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { RunPosition, useRun } from '../run';
import { interleavedLines, isErrorLine, panes } from './model';
import './consoles.css';

const HUES = [212, 150, 28, 280, 340, 190, 90, 0];
const hueOf = (who: string, all: string[]): number => HUES[Math.max(0, all.indexOf(who)) % HUES.length];

export function ConsolesView() {
  const view = useRun((s) => s.view);
  const [mode, setMode] = useState<'interleaved' | 'apart'>('interleaved');
  const lines = useMemo(() => interleavedLines(view?.order ?? []), [view?.order]);
  const all = useMemo(() => panes(view ?? { output: {}, serial: {} }), [view]);
  const names = all.map((p) => p.who);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [lines.length, mode]);
  return (
    <div className="consoles" data-testid="consoles-view">
      <RunPosition />
      <div className="consoles-bar">
        <div className="segmented" role="radiogroup" aria-label="Layout">
          <button role="radio" aria-checked={mode === 'interleaved'} className={mode === 'interleaved' ? 'on' : ''} onClick={() => setMode('interleaved')}>Interleaved</button>
          <button role="radio" aria-checked={mode === 'apart'} className={mode === 'apart' ? 'on' : ''} onClick={() => setMode('apart')}>Apart</button>
        </div>
        <span className="consoles-legend">
          {all.map((p) => (
            <span key={p.who} style={{ ['--hue' as string]: hueOf(p.who, names) }} className="who-chip">{p.who}{p.vm ? ' (serial)' : ''}</span>
          ))}
        </span>
      </div>
      {mode === 'interleaved' ? (
        <div className="console-text" data-testid="console-interleaved">
          {lines.length === 0 && <div className="run-empty">No output yet.</div>}
          {lines.map((l, i) => (
            <div key={i} className={`console-line${l.vm ? ' vm' : ''}${isErrorLine(l.text) ? ' error' : ''}`} style={{ ['--hue' as string]: hueOf(l.who, names) }}>
              <span className="who">{l.who}</span>
              <span className="text">{l.text}</span>
            </div>
          ))}
          <div ref={end} />
        </div>
      ) : (
        <div className="console-panes">
          {all.map((p) => (
            <section key={p.who} className="console-pane" data-testid={`console-${p.who}`}>
              <header style={{ ['--hue' as string]: hueOf(p.who, names) }}>{p.who}{p.vm ? ' — serial console' : ' — debug output'}</header>
              <pre>{p.text}</pre>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}

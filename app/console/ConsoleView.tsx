/** The seL4 console: libsel4 invocations (the lab syntax of core/kernel/lab/README.md) typed against the
 * built system, run by the initialiser with its caps; the capability and memory views follow. */
import { useEffect, useRef, useState } from 'react';
import { buildStore, useBuild } from '../caps';
import { completeLine, historyStep } from './history';
import './console.css';

const EXAMPLES = [
  'bootinfo',
  'seL4_CNode_Revoke(seL4_CapInitThreadCNode, SLOT, 64)',
  'seL4_CNode_Delete(seL4_CapInitThreadCNode, SLOT, 64)',
  'seL4_Untyped_Retype(ram_untyped[0], seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, empty_start, 1)',
];

export function ConsoleView() {
  const log = useBuild((b) => b.log);
  const view = useBuild((b) => b.view);
  const selected = useBuild((b) => b.selectedCap);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [hist, setHist] = useState<{ at: number | null; draft: string }>({ at: null, draft: '' });
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // braces matter: newer Chromium returns a promise from scrollIntoView, which React would call as a cleanup
    end.current?.scrollIntoView({ block: 'end' });
  }, [log.length]);

  const cap = view && selected !== null ? view.caps[selected] : null;
  const capSlot = cap && cap.holder === 'initialiser' ? cap.index : null;
  const run = async (line: string) => {
    if (!line.trim() || busy) return;
    setBusy(true);
    try {
      await buildStore().getState().runLab(line);
      setText('');
      setHist({ at: null, draft: '' });
    } finally {
      setBusy(false);
    }
  };
  const inputs = log.map((l) => l.text);

  return (
    <div className="console-view" data-testid="console-view">
      <div className="console-log mono" data-testid="console-log">
        {log.length === 0 && (
          <div className="console-intro">
            Type libsel4 calls; they run as the initialiser (the root task) on the built kernel, with its CSpace (cptr = slot, depth 64). Try{' '}
            {EXAMPLES.map((e) => (
              <button key={e} className="chip" onClick={() => setText(completeLine(e, capSlot))}>
                {completeLine(e, capSlot)}
              </button>
            ))}
            {capSlot === null && <span className="muted"> (select a cap held by the initialiser to fill in SLOT)</span>}
          </div>
        )}
        {log.map((l, i) => (
          <div key={i} className={`console-entry${l.ok ? '' : ' failed'}`} data-testid="console-entry">
            <div className="in">› {l.text}</div>
            <div className="out">{l.output}</div>
            {l.notes.map((n, j) => (
              <div key={j} className="note">
                {n}
              </div>
            ))}
          </div>
        ))}
        <div ref={end} />
      </div>
      <form
        className="console-input"
        onSubmit={(e) => {
          e.preventDefault();
          void run(text);
        }}
      >
        <span className="prompt mono">seL4›</span>
        <input
          className="mono"
          data-testid="console-input"
          value={text}
          placeholder={capSlot !== null ? `e.g. seL4_CNode_Revoke(seL4_CapInitThreadCNode, ${capSlot}, 64)` : 'seL4_CNode_Revoke(seL4_CapInitThreadCNode, slot, 64)'}
          spellCheck={false}
          disabled={!view?.ok}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
            e.preventDefault();
            const next = historyStep(inputs, hist, text, e.key === 'ArrowUp' ? -1 : 1);
            setHist(next.state);
            setText(next.text);
          }}
        />
        <button className="small-button" type="submit" disabled={busy || !view?.ok} data-testid="console-run">
          Run
        </button>
      </form>
    </div>
  );
}

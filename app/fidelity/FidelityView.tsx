/** "What is simplified": every deliberate difference from seL4, Microkit, libvmm and the
 * hardware, area by area, from the same files the docs link to. */
import './fidelity.css';
import { useMemo, useState } from 'react';
import { fidelityNotes } from './sources';
import { Markdown } from './markdown';

export function FidelityView() {
  const notes = useMemo(() => fidelityNotes(), []);
  const [area, setArea] = useState(notes[0]?.area ?? '');
  const note = notes.find((n) => n.area === area);
  return (
    <div className="fidelity-view" data-testid="fidelity-view">
      <p className="muted small fidelity-intro">
        The simulator follows seL4, the Microkit tool and libmicrokit, libvmm and the Intel SDM. These are the places where it
        deliberately does something else, listed once per part.
      </p>
      <div className="fidelity-areas" role="tablist">
        {notes.map((n) => (
          <button key={n.area} role="tab" aria-selected={n.area === area} className={n.area === area ? 'chip active' : 'chip'} onClick={() => setArea(n.area)}>
            {n.area}
          </button>
        ))}
      </div>
      <article className="fidelity-body">{note ? <Markdown source={note.markdown} /> : null}</article>
    </div>
  );
}

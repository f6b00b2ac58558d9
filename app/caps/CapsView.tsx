/** A PD's CSpace as a table of slots, and the derivation tree of every cap from the untypeds down.
 * Selecting a cap highlights every other cap to the same object; the memory view shows the object. */
import { useEffect, useMemo, useState } from 'react';
import type { CapNode } from '../../core/protocol';
import { useProblems, useServices, useUi } from '../shell/hooks';
import { useBuild } from './hooks';
import { buildStore } from './install';
import { capsToSameObject, cspaceOwners, cspaceRows, expandTo, initialCollapsed, pdAtCursor, visibleTree, type CSpaceRow } from './model';
import { VirtualList } from './VirtualList';
import './caps.css';

const ROW = 22;

export function CapsView() {
  const view = useBuild((b) => b.view);
  const building = useBuild((b) => b.building);
  const error = useBuild((b) => b.error);
  const selected = useBuild((b) => b.selectedCap);
  const picked = useBuild((b) => b.pickedPd);
  const system = useProblems((p) => p.system);
  const cursor = useUi((u) => u.cursor);
  const services = useServices();

  useEffect(() => {
    if (!buildStore().getState().view && !buildStore().getState().building) void buildStore().getState().rebuild();
  }, []);

  const owners = useMemo(() => (view ? cspaceOwners(view) : []), [view]);
  const fromGraph = pdAtCursor(system, cursor);
  const pd = (fromGraph && owners.includes(fromGraph) ? fromGraph : null) ?? (picked && owners.includes(picked) ? picked : null) ?? owners[0] ?? null;
  const rows = useMemo(() => (view && pd ? cspaceRows(view, pd, system) : []), [view, pd, system]);
  const related = useMemo(() => (view && selected !== null ? capsToSameObject(view.caps, selected) : new Set<number>()), [view, selected]);

  if (!view) return <div className="empty-state">{error ? `The build failed to run: ${error}` : building ? 'Building the system…' : 'No build yet.'}</div>;
  if (!view.ok) return <div className="empty-state" data-testid="caps-failed">The system does not build; see the Problems list.</div>;

  const pick = (p: string) => {
    buildStore().getState().pickPd(p);
    // the graph's selection follows the cursor: park it on the chosen PD so both agree
    const pdPos = system?.protectionDomains.find((x) => x.name === p)?.pos;
    const path = services.problems.getState().systemPath;
    if (pdPos && fromGraph) services.ui.getState().setCursor({ path, line: pdPos.line, column: pdPos.column });
  };

  return (
    <div className="caps-view" data-testid="caps-view">
      <div className="view-toolbar">
        <label className="muted" htmlFor="cspace-pd">CSpace of</label>
        <select id="cspace-pd" data-testid="cspace-pd" value={pd ?? ''} onChange={(e) => pick(e.target.value)}>
          {owners.map((o) => (
            <option key={o} value={o}>{o}</option>
          ))}
        </select>
        <span className="muted">{rows.length} caps</span>
        {building && <span className="pill">building…</span>}
        <span className="spacer" />
        <span className="muted">{view.caps.length} caps in the system</span>
      </div>
      <CSpaceTable rows={rows} selected={selected} related={related} caps={view.caps} />
      <DerivationTree caps={view.caps} selected={selected} related={related} />
    </div>
  );
}

function CSpaceTable({ rows, selected, related, caps }: { rows: CSpaceRow[]; selected: number | null; related: Set<number>; caps: CapNode[] }) {
  return (
    <div className="cspace-table-wrap">
      <table className="cspace-table" data-testid="cspace-table">
        <thead>
          <tr>
            <th>Slot</th>
            <th>Meaning</th>
            <th>Cap</th>
            <th>Object</th>
            <th>Rights</th>
            <th>Badge</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={`${r.cnode}:${r.index}`}
              data-testid={`slot-${r.cnode}-${r.index}`}
              className={r.node === selected ? 'selected' : related.has(r.node) ? 'related' : ''}
              onClick={() => buildStore().getState().selectCap(r.node)}
              title={`${caps[r.node]?.holder}[${r.index}] — click to follow it into the derivation tree`}
            >
              <td className="mono">{r.cnode === 'root' ? `root ${r.index}` : r.index}</td>
              <td>{r.meaning ?? ''}</td>
              <td className="mono">{r.capType}</td>
              <td>{r.objectName ?? <span className="muted">—</span>}</td>
              <td className="mono">{r.rights}</td>
              <td className="mono">{r.badge ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DerivationTree({ caps, selected, related }: { caps: CapNode[]; selected: number | null; related: Set<number> }) {
  const services = useServices();
  const [collapsed, setCollapsed] = useState<Set<number>>(() => initialCollapsed(caps));
  const [query, setQuery] = useState('');
  const [lastCaps, setLastCaps] = useState(caps);
  if (lastCaps !== caps) {
    // a new tree: keep what the user opened if slots survive, else start folded again
    setLastCaps(caps);
    if (lastCaps.length !== caps.length && Math.abs(lastCaps.length - caps.length) > 50) setCollapsed(initialCollapsed(caps));
  }
  useEffect(() => {
    if (selected !== null) setCollapsed((c) => expandTo(caps, c, selected));
  }, [selected, caps]);
  const rows = useMemo(() => visibleTree(caps, collapsed, query), [caps, collapsed, query]);
  const selectedRow = useMemo(() => rows.findIndex((r) => r.node === selected), [rows, selected]);
  const toggle = (slot: number) =>
    setCollapsed((c) => {
      const n = new Set(c);
      if (n.has(slot)) n.delete(slot);
      else n.add(slot);
      return n;
    });
  const sel = selected !== null ? caps[selected] : null;

  return (
    <div className="derivation" data-testid="derivation-tree">
      <div className="view-toolbar">
        <strong>Derivation tree</strong>
        <input className="search" placeholder="Search caps (type, name, holder)…" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="tree-search" />
        <span className="muted">{rows.length} shown</span>
        {sel && (
          <>
            <span className="spacer" />
            <span className="muted" data-testid="related-count">{related.size} caps to {sel.objectName ?? 'this object'}</span>
            {sel.paddr && (
              <button className="small-button" data-testid="show-in-memory" onClick={() => services.ui.getState().showView('right', 'memory')}>
                Show in memory
              </button>
            )}
          </>
        )}
      </div>
      <VirtualList
        count={rows.length}
        rowHeight={ROW}
        scrollTo={selectedRow}
        testId="tree-rows"
        className="tree-list"
        render={(i) => {
          const r = rows[i];
          const c = caps[r.node];
          const cls = `tree-row${r.node === selected ? ' selected' : related.has(r.node) ? ' related' : ''}${r.match ? '' : ' dim'}`;
          return (
            <div className={cls} style={{ paddingLeft: 6 + r.depth * 14 }} onClick={() => buildStore().getState().selectCap(r.node)} data-testid="tree-row" data-slot={c.slot}>
              <span
                className="twisty"
                onClick={(e) => {
                  e.stopPropagation();
                  if (r.hasChildren) toggle(c.slot);
                }}
              >
                {r.hasChildren ? (r.collapsed ? '▸' : '▾') : ''}
              </span>
              <span className={`cap-type t-${c.capType}`}>{c.capType}</span>
              <span className="obj">{c.objectName ?? ''}</span>
              <span className="where mono">
                {c.holder}[{c.index}]
              </span>
              {c.badge && <span className="mono muted"> badge {c.badge}</span>}
              {c.rights && <span className="mono muted"> {c.rights}</span>}
            </div>
          );
        }}
      />
    </div>
  );
}

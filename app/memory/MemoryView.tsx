/** The memory views: the physical map (both boot modes), each address space with its names, a VM's
 * guest-physical map beside the VMM's view of it, tracker bookkeeping, and the allocation question. */
import { useMemo, useState } from 'react';
import type { AddressSpaceDesc, BuildDescription } from '../../core/build';
import { buildStore, useBuild } from '../caps';
import { useProblems, useServices, useUi } from '../shell/hooks';
import { bytesText, hexOf, num, parseSize, physicalSegments, spaceRows, trackerCost, vmmViews, whatText, type SpaceRow } from './model';
import { PhysicalMap, type Highlight } from './PhysicalMap';
import '../caps/caps.css';
import './memory.css';

export function MemoryView() {
  const view = useBuild((b) => b.view);
  const bootMode = useBuild((b) => b.bootMode);
  const building = useBuild((b) => b.building);
  const selectedCap = useBuild((b) => b.selectedCap);
  const theme = useUi((u) => u.theme);
  const [mode, setMode] = useState<'log' | 'linear'>('log');
  const [rowHighlight, setRowHighlight] = useState<Highlight | null>(null);
  const d = view?.description ?? null;
  const segments = useMemo(() => (d ? physicalSegments(d) : []), [d]);

  const cap = view && selectedCap !== null ? view.caps[selectedCap] : null;
  const capHighlight: Highlight | null = cap?.paddr && cap.sizeBits > 0 ? { start: num(cap.paddr), end: num(cap.paddr) + 2 ** cap.sizeBits, label: `${cap.capType} ${cap.objectName ?? ''}` } : null;
  const highlight = rowHighlight ?? capHighlight;

  if (!view) return <div className="empty-state">{building ? 'Building the system…' : 'No build yet.'}</div>;
  return (
    <div className="memory-view" data-testid="memory-view">
      <div className="view-toolbar">
        <span className="muted">Boot mode</span>
        <div className="seg-buttons" role="group" aria-label="Boot mode">
          {(['current', 'legacy'] as const).map((m) => (
            <button
              key={m}
              className={`small-button${bootMode === m ? ' active' : ''}`}
              data-testid={`boot-${m}`}
              title={m === 'current' ? 'PD images travel inside the initialiser (capDL) image' : 'PD images are loaded into their own region before boot'}
              onClick={() => void buildStore().getState().setBootMode(m)}
            >
              {m}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <span className="muted">axis</span>
        <select value={mode} onChange={(e) => setMode(e.target.value as 'log' | 'linear')} data-testid="axis-mode">
          <option value="log">log-compressed</option>
          <option value="linear">linear</option>
        </select>
        {building && <span className="pill">building…</span>}
      </div>
      {!d ? (
        <div className="empty-state">The system does not build; see the Problems list.</div>
      ) : (
        <>
          <PhysicalMap segments={segments} mode={mode} highlight={highlight} dark={theme === 'dark'} />
          <AddressSpaces d={d} onPick={setRowHighlight} />
          <Allocation d={d} />
          <RegionList d={d} onPick={(h) => setRowHighlight(h)} />
        </>
      )}
    </div>
  );
}

function RegionList({ d, onPick }: { d: BuildDescription; onPick(h: Highlight): void }) {
  const [open, setOpen] = useState(false);
  const shown = open ? d.physicalMemory : d.physicalMemory.filter((r) => r.kind !== 'allocated' && r.kind !== 'free');
  return (
    <section className="mem-section">
      <h4>
        Physical memory map <span className="muted">({d.bootMode} boot mode, {d.physicalMemory.length} ranges)</span>
        <button className="link-button" onClick={() => setOpen(!open)}>{open ? 'hide untyped ranges' : 'show untyped ranges'}</button>
      </h4>
      <table className="mem-table" data-testid="phys-regions">
        <tbody>
          {shown.map((r, i) => (
            <tr key={i} className={`k-${r.kind}`} data-kind={r.kind} onClick={() => onPick({ start: num(r.start), end: num(r.end), label: r.label })}>
              <td className="mono">{r.start}</td>
              <td className="mono">{r.end}</td>
              <td className="mono right">{bytesText(num(r.end) - num(r.start))}</td>
              <td><span className={`swatch k-${r.kind}`} /> {r.kind}</td>
              <td>{r.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Allocation({ d }: { d: BuildDescription }) {
  const [size, setSize] = useState('2M');
  const [align, setAlign] = useState('2M');
  const [answer, setAnswer] = useState<{ ok: boolean; reason: string } | null>(null);
  const services = useServices();
  const ask = async () => {
    const b = parseSize(size);
    const a = parseSize(align);
    if (b === null || a === null) return setAnswer({ ok: false, reason: 'sizes are numbers with an optional unit: 4096, 0x1000, 4K, 2M, 1G' });
    if ((a & (a - 1)) !== 0) return setAnswer({ ok: false, reason: 'the alignment must be a power of two' });
    try {
      setAnswer(await services.core.request('build.canAllocate', { bytes: String(b), align: String(a), bootMode: d.bootMode }));
    } catch (e) {
      setAnswer({ ok: false, reason: e instanceof Error ? e.message : String(e) });
    }
  };
  const lf = d.largestFreeBlock;
  return (
    <section className="mem-section">
      <h4>Free memory after boot</h4>
      <p data-testid="largest-free">
        Largest contiguous free block: {lf ? <strong className="mono">{bytesText(num(lf.size))} at {lf.paddr}</strong> : 'none'}
      </p>
      <form
        className="alloc-form"
        onSubmit={(e) => {
          e.preventDefault();
          void ask();
        }}
      >
        Can I allocate <input value={size} onChange={(e) => setSize(e.target.value)} size={8} data-testid="alloc-size" aria-label="bytes" /> contiguous bytes aligned to{' '}
        <input value={align} onChange={(e) => setAlign(e.target.value)} size={8} data-testid="alloc-align" aria-label="alignment" />?{' '}
        <button className="small-button" type="submit" data-testid="alloc-ask">Ask</button>
      </form>
      {answer && (
        <p className={answer.ok ? 'answer ok' : 'answer no'} data-testid="alloc-answer">
          {answer.reason}
        </p>
      )}
    </section>
  );
}

function AddressSpaces({ d, onPick }: { d: BuildDescription; onPick(h: Highlight): void }) {
  const spaces = d.addressSpaces;
  const [chosen, setChosen] = useState<string>(() => d.pds[0]?.name ?? spaces[0]?.name ?? '');
  const as = spaces.find((a) => a.name === chosen) ?? spaces[0];
  if (!as) return null;
  return (
    <section className="mem-section">
      <h4>
        Address space{' '}
        <select value={as.name} onChange={(e) => setChosen(e.target.value)} data-testid="as-pick">
          {spaces.map((a) => (
            <option key={`${a.kind}:${a.name}`} value={a.name}>
              {a.name} ({a.kind === 'ept' ? 'VM guest-physical' : a.kind === 'iospace' ? 'IOMMU' : 'virtual'})
            </option>
          ))}
        </select>
      </h4>
      <SpaceTable d={d} as={as} onPick={onPick} />
      <Tracker as={as} />
    </section>
  );
}

function SpaceTable({ d, as, onPick }: { d: BuildDescription; as: AddressSpaceDesc; onPick(h: Highlight): void }) {
  const services = useServices();
  const system = useProblems((p) => p.system);
  const rows = useMemo(() => spaceRows(as), [as]);
  const vmm = useMemo(() => (as.kind === 'ept' ? vmmViews(d, as, system) : null), [d, as, system]);
  const reveal = (r: SpaceRow) => {
    onPick({ start: r.paddr, end: r.paddr + r.pageSize, label: `${as.name} ${r.mr ?? whatText(r.what)} (first page)` });
    const mr = r.mr && system?.memoryRegions.find((m) => m.name === r.mr);
    if (mr) services.ui.getState().revealLocation({ path: services.problems.getState().systemPath, line: mr.pos.line, column: mr.pos.column });
  };
  return (
    <div className="as-wrap">
    <table className="mem-table as-table" data-testid="as-table">
      <thead>
        <tr>
          <th>{as.kind === 'ept' ? 'Guest-physical' : 'Virtual'} range</th>
          <th className="right">Size</th>
          <th>What</th>
          <th>Memory region</th>
          <th>Rights</th>
          <th>Pages</th>
          <th>Physical (first)</th>
          {vmm && <th>VMM sees it at</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const v = vmm?.get(r.mr ?? '');
          return (
            <tr key={r.start} data-testid="mapping-row" data-mr={r.mr ?? ''} onClick={() => reveal(r)} title={r.mr ? 'show the memory region in the editor and its frames on the map' : 'show its frames on the map'}>
              <td className="mono">
                {hexOf(r.start)}–{hexOf(r.end)}
              </td>
              <td className="mono right">{bytesText(r.end - r.start)}</td>
              <td>{whatText(r.what)}</td>
              <td>{r.mr ?? <span className="muted">—</span>}</td>
              <td className="mono">
                {r.rights}
                {r.cached ? '' : ' uncached'}
              </td>
              <td className="mono">
                {r.pages} × {bytesText(r.pageSize)}
              </td>
              <td className="mono">{hexOf(r.paddr)}</td>
              {vmm && <td className="mono">{v ? `${v.vmm} @ ${hexOf(v.vaddr)}` : '—'}</td>}
            </tr>
          );
        })}
        {rows.length === 0 && (
          <tr>
            <td colSpan={8} className="muted">No mappings.</td>
          </tr>
        )}
      </tbody>
    </table>
    </div>
  );
}

function Tracker({ as }: { as: AddressSpaceDesc }) {
  const c = useMemo(() => trackerCost(as.mappings), [as]);
  return (
    <div className="tracker" data-testid="tracker">
      <strong>Bookkeeping for {as.name}:</strong> {c.mappings} mappings ({c.bySize.map((s) => `${s.count} × ${bytesText(s.size)}`).join(', ') || 'none'}). A per-4 KiB tracker (like sel4utils'
      vspace) needs <strong className="mono" data-testid="tracker-4k">{c.perPageEntries.toLocaleString('en')} entries = {bytesText(c.perPageBytes)}</strong>; a large-page-aware one needs{' '}
      <strong className="mono" data-testid="tracker-large">{c.largePageEntries.toLocaleString('en')} entries = {bytesText(c.largePageBytes)}</strong>. (512 entries per 2 MiB mapping; 1 GiB of 4 KiB entries is 4 MiB.)
    </div>
  );
}

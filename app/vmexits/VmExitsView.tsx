/** The VM-exit log: every exit (time, VCPU, reason, decoded qualification, guest-physical address, RIP, the
 * instruction, what the VMM did and how long it took), filterable by reason, with counts and the rate over time.
 * The list is virtualised and pages rows from the core, so a million exits scroll like ten. Selecting an exit
 * moves the run there (replay) and the VCPU view shows that moment. */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ExitPage, ExitRow } from '../../core/protocol';
import { EXIT_REASONS } from '../../core/x86';
import { RunPosition, runStore, useRun } from '../run';
import { useServices } from '../shell/hooks';
import { countRows, exitCells, logScroll, PAGE, pagesFor, ROW_HEIGHT, visibleRange } from './model';
import { RateChart } from './RateChart';
import './vmexits.css';

const FETCH_GAP_MS = 250;
const REASON_BY_NAME = new Map(Object.entries(EXIT_REASONS).map(([k, v]) => [v, Number(k)]));

export function VmExitsView() {
  const services = useServices();
  const view = useRun((s) => s.view);
  const revision = useRun((s) => s.revision);
  const selected = useRun((s) => s.selectedExit);
  const [reason, setReason] = useState<number | undefined>(undefined);
  const [total, setTotal] = useState(0);
  const [rate, setRate] = useState<ExitPage['rate'] | null>(null);
  /** rows fetched, by position among the exits matching the filter */
  const [fetched, setFetched] = useState<Map<number, ExitRow>>(new Map());
  const [scroll, setScroll] = useState({ top: 0, height: 300 });
  const box = useRef<HTMLDivElement>(null);
  /** the list follows the newest exit until the user scrolls up (a hit is shown where it is instead) */
  const follow = useRef(true);
  const hitExit = view?.position.hitExit ?? null;
  /** asking for the last rows (following) or for the pages in the window; leaving the tail must fetch the pages even
   * when the window's pages are the ones it already had (a short log is one page) */
  const tailing = follow.current && hitExit === null;
  // the rows' window: the scroll box less its sticky header row
  const rowsHeight = Math.max(ROW_HEIGHT, scroll.height - ROW_HEIGHT);
  const range = visibleRange(scroll.top, rowsHeight, total);
  const geometry = logScroll(total, rowsHeight);
  const wanted = pagesFor(range.first, range.last).join(',');
  const tailRows = Math.ceil(scroll.height / ROW_HEIGHT) + 24;

  // fresh rows whenever the run moved, the filter changed or the window scrolled to other pages; while running,
  // at most a few times a second (the worker's time is the simulation's)
  const lastFetch = useRef(0);
  const [tick, setTick] = useState(0);
  const running = view?.position.running ?? false;
  useEffect(() => {
    if (!running) return;
    const wait = FETCH_GAP_MS - (performance.now() - lastFetch.current);
    if (wait <= 0) return;
    const t = setTimeout(() => setTick((n) => n + 1), wait);
    return () => clearTimeout(t);
  }, [running, revision, tick]);
  useEffect(() => {
    if (running && performance.now() - lastFetch.current < FETCH_GAP_MS) return;
    lastFetch.current = performance.now();
    let live = true;
    // following: the last rows as the worker has them now (pages asked for by the last scroll position would
    // already be behind the end of a log that grows by thousands of rows between two fetches)
    const asks = tailing
      ? [{ from: 0, count: tailRows, reason, tail: true }]
      : (wanted ? wanted.split(',').map(Number) : [0]).map((p) => ({ from: p * PAGE, count: PAGE, reason }));
    void Promise.all(asks.map((a) => services.core.request('sim.exits', a))).then((got) => {
      if (!live) return;
      const next = new Map<number, ExitRow>();
      for (const r of got) {
        r.rows.forEach((row, k) => next.set(r.from + k, row));
        setTotal(r.total);
        setRate(r.rate);
      }
      setFetched(next);
    }, () => {});
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [services, revision, reason, wanted, tick, hitExit, tailing]);

  // keep the newest exit in sight (unless the user scrolled up); show a hit
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    if (hitExit !== null && reason === undefined) {
      const rows = Math.max(ROW_HEIGHT, el.clientHeight - ROW_HEIGHT);
      el.scrollTop = logScroll(total, rows).scrollTopFor(hitExit - rows / ROW_HEIGHT / 2);
    } else if (follow.current) el.scrollTop = el.scrollHeight;
  }, [total, hitExit, reason]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setScroll({ top: el.scrollTop, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const rows: { n: number; r: ExitRow }[] = [];
  for (let n = range.first; n < range.last; n++) {
    const r = fetched.get(n);
    if (r) rows.push({ n, r });
  }
  const counts = useMemo(() => countRows(view?.exitCounts ?? {}), [view?.exitCounts]);

  function pick(r: ExitRow) {
    runStore().getState().selectExit(r.index);
    void runStore().getState().goTo(r.step, r.index);
    services.ui.getState().showView('right', 'vcpu');
  }

  return (
    <div className="vmexits" data-testid="vmexits-view">
      <RunPosition />
      <div className="vmexits-body">
        <aside className="vmexits-side">
          <div className="vmexits-filter">
            <select aria-label="Filter by exit reason" data-testid="exit-filter" value={reason ?? ''} onChange={(e) => setReason(e.target.value === '' ? undefined : Number(e.target.value))}>
              <option value="">All reasons ({(view?.exitTotal ?? 0).toLocaleString('en')})</option>
              {counts.map((c) => (
                <option key={c.name} value={REASON_BY_NAME.get(c.name)}>{c.name} ({c.count.toLocaleString('en')})</option>
              ))}
            </select>
          </div>
          <table className="vmexits-counts" data-testid="exit-counts">
            <tbody>
              {counts.map((c) => (
                <tr key={c.name} className={REASON_BY_NAME.get(c.name) === reason ? 'active' : ''} onClick={() => setReason(REASON_BY_NAME.get(c.name) === reason ? undefined : REASON_BY_NAME.get(c.name))}>
                  <td className="name">{c.name}</td>
                  <td className="num" data-reason={c.name}>{c.count.toLocaleString('en')}</td>
                  <td className="bar"><span style={{ width: `${Math.max(2, c.share * 100)}%` }} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          {rate && (view?.exitTotal ?? 0) > 0 && <RateChart rate={rate} />}
        </aside>
        <div className="vmexits-log">
          <div
            className="vmexits-scroll"
            ref={box}
            data-testid="exit-list"
            onScroll={(e) => {
              const el = e.currentTarget;
              follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
              setScroll({ top: el.scrollTop, height: el.clientHeight });
            }}
          >
            <div className="vmexits-head exit-row">
              <span>time</span><span>VCPU</span><span>reason</span><span>qualification</span><span>guest-physical</span><span>RIP</span><span>instruction</span><span>VMM</span>
            </div>
            {total === 0 && (
              <div className="run-empty vmexits-empty" data-testid="exits-empty">
                {view?.loaded && view.vms.length === 0 ? 'This system has no virtual machine, so there are no VM exits.' : 'No VM exits yet. Run a system with a virtual machine (F5).'}
              </div>
            )}
            <div className="vmexits-rows" style={{ height: geometry.height }}>
              {rows.map(({ n, r }) => {
                const c = exitCells(r);
                return (
                  <div
                    key={r.index}
                    className={`exit-row${r.index === selected ? ' selected' : ''}${r.index === hitExit ? ' hit' : ''}`}
                    style={{ top: geometry.rowTop(n, scroll.top) }}
                    data-exit={r.index}
                    onClick={() => pick(r)}
                  >
                    <span className="num">{c.time}</span><span>{c.vcpu}</span><span className={`reason r${r.reason}`}>{c.reason}</span>
                    <span title={c.detail}>{c.detail}</span><span className="num">{c.gpa}</span><span className="num">{c.rip}</span>
                    <span className="mono" title={c.instruction}>{c.instruction}</span><span title={c.handled}>{c.handled}</span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}

/** What ran on each core over simulated time (PDs, guest mode, kernel) with notifications, PPCs, IRQs, faults and
 * VM exits as marks. Zoom and pan with the wheel and drag (d3-zoom); clicking a mark moves the run to it. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { scaleLinear, select, zoom, zoomIdentity, type ZoomTransform } from 'd3';
import type { ThreadRow, TimelineView as Timeline } from '../../core/protocol';
import { formatTime, RunPosition, runStore, useRun } from '../run';
import { useServices } from '../shell/hooks';
import { laneLabel, switches, visibleMarks, visibleSegments } from './model';
import './timeline.css';

const LANE_H = 34, TOP = 20, LEFT = 64, MARK_KINDS = ['notify', 'ppc', 'irq', 'vm-exit', 'fault'] as const;
const HUES = [212, 150, 28, 280, 340, 190, 90, 0];
/** one empty list: a selector must return the same value while nothing changed, or React renders for ever */
const NO_THREADS: ThreadRow[] = [];

export function TimelineView() {
  const services = useServices();
  const revision = useRun((s) => s.revision);
  const threads = useRun((s) => s.view?.threads ?? NO_THREADS);
  const now = useRun((s) => s.view?.position.time ?? 0);
  const [data, setData] = useState<Timeline | null>(null);
  const [width, setWidth] = useState(800);
  const [t, setT] = useState<ZoomTransform>(zoomIdentity);
  const [hover, setHover] = useState<string | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<ReturnType<typeof zoom<SVGSVGElement, unknown>> | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    void services.core.request('sim.timeline', {}).then((d) => live && setData(d), () => {});
    return () => {
      live = false;
    };
  }, [services, revision]);

  // the box exists only once there is something to draw: observe it from then on
  const drawn = data !== null && data.segments.length > 0;
  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [drawn]);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const z = zoom<SVGSVGElement, unknown>().scaleExtent([1, 1e6]).on('zoom', (e) => setT(e.transform));
    select(svg).call(z);
    zoomRef.current = z;
    return () => {
      select(svg).on('.zoom', null);
    };
  }, [drawn]);

  const priority = useMemo(() => Object.fromEntries(threads.map((th) => [th.name, th.priority])), [threads]);
  const whoList = useMemo(() => [...new Set((data?.segments ?? []).map((s) => s.who))], [data]);
  if (!data || data.segments.length === 0) {
    return (
      <div className="timeline" data-testid="timeline-view">
        <RunPosition />
        <div className="run-empty" style={{ padding: 10 }}>Nothing has run yet. Run (F5) or step (F10) to fill the timeline.</div>
      </div>
    );
  }
  const end = Math.max(data.end, 1);
  const base = scaleLinear().domain([0, end]).range([LEFT, width - 10]);
  const x = t.rescaleX(base);
  const [t0, t1] = x.domain();
  const nsPerPx = (t1 - t0) / Math.max(1, width - LEFT - 10);
  const segs = visibleSegments(data.segments, t0, t1, nsPerPx);
  const marks = visibleMarks(data.marks, t0, t1);
  const sw = switches(data.segments, priority, data.marks);
  const preemptions = sw.filter((s) => s.preemption);
  const height = TOP + data.cores * LANE_H + 16;
  const ticks = x.ticks(Math.max(2, Math.floor(width / 120)));
  const hue = (who: string) => HUES[whoList.indexOf(who) % HUES.length];
  const fit = () => svgRef.current && zoomRef.current && select(svgRef.current).call(zoomRef.current.transform, zoomIdentity);
  return (
    <div className="timeline" data-testid="timeline-view">
      <RunPosition />
      <div className="timeline-bar">
        <span>{sw.length} switches, <b data-testid="preemptions">{preemptions.length}</b> preemption{preemptions.length === 1 ? '' : 's'}</span>
        <span className="legend">
          {whoList.slice(0, 12).map((w) => (
            <span key={w} className={`who-chip${w === 'kernel' ? ' kernel' : ''}`} style={{ ['--hue' as string]: hue(w) }}>{w}</span>
          ))}
          {MARK_KINDS.map((k) => (
            <span key={k} className={`mark-key ${k}`}>{k}</span>
          ))}
        </span>
        <span className="hover" title={hover ?? undefined}>{hover ?? 'wheel to zoom, drag to pan, click a mark to go there'}</span>
        {t.k !== 1 && <button className="small-button" data-testid="timeline-fit" onClick={fit} title="Show the whole run">Fit</button>}
      </div>
      <div className="timeline-box" ref={boxRef}>
        <svg ref={svgRef} width={width} height={height} data-testid="timeline-svg">
          <rect x={0} y={0} width={width} height={height} className="bg" />
          {ticks.map((v) => (
            <g key={v}>
              <line x1={x(v)} x2={x(v)} y1={TOP - 4} y2={height - 14} className="grid" />
              <text x={x(v)} y={TOP - 8} className="tick" textAnchor="middle">{formatTime(v)}</text>
            </g>
          ))}
          {Array.from({ length: data.cores }, (_, c) => (
            <text key={c} x={8} y={TOP + c * LANE_H + LANE_H / 2 + 4} className="lane-label">{laneLabel(c)}</text>
          ))}
          {segs.map((s, i) => {
            const x0 = Math.max(LEFT, x(s.start));
            const x1 = Math.min(width - 10, x(Math.max(s.end, s.start + nsPerPx)));
            const y = TOP + s.core * LANE_H + (s.mode === 'guest' ? 10 : 4);
            const h = s.mode === 'guest' ? LANE_H - 16 : LANE_H - 8;
            // the name inside the bar when it fits (colours alone do not say who ran)
            const named = x1 - x0 > s.who.length * 6.5 + 10;
            return (
              <g key={i}>
                <rect
                  x={x0}
                  y={y}
                  width={Math.max(1, x1 - x0)}
                  height={h}
                  className={`seg ${s.mode}`}
                  style={{ ['--hue' as string]: hue(s.who) }}
                  onMouseEnter={() => setHover(`${s.who}${s.mode === 'guest' ? ' (guest mode)' : ''}: ${formatTime(s.start)} – ${formatTime(s.end)}`)}
                >
                  <title>{s.who}</title>
                </rect>
                {named && <text x={x0 + 5} y={y + h / 2 + 4} className="seg-label">{s.who}</text>}
              </g>
            );
          })}
          {preemptions.filter((p) => p.time >= t0 && p.time <= t1).map((p, i) => (
            <path key={`p${i}`} d={`M${x(p.time)},${TOP + p.core * LANE_H + 1} l-4,-5 h8 z`} className="preempt" data-testid="preemption-mark">
              <title>{`${p.to} preempts ${p.from}`}</title>
            </path>
          ))}
          {marks.map((m, i) => (
            <line
              key={`m${i}`}
              x1={x(m.time)}
              x2={x(m.time)}
              y1={TOP + m.core * LANE_H + 2}
              y2={TOP + m.core * LANE_H + LANE_H - 2}
              className={`mark ${m.kind}`}
              onMouseEnter={() => setHover(`${m.label} at ${formatTime(m.time)} (step ${m.step})`)}
              onClick={() => void runStore().getState().goTo(m.step)}
            >
              <title>{m.label}</title>
            </line>
          ))}
          <line x1={x(now)} x2={x(now)} y1={TOP - 4} y2={height - 14} className="now" />
        </svg>
      </div>
    </div>
  );
}

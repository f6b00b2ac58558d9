/** The physical memory map on a canvas: lanes for the memory map, untypeds (with watermarks), kernel
 * objects and frames, on a log-compressed (or linear) address axis with d3 zoom down to single pages. */
import { select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { fromAxis, hexOf, LANE_TITLES, LANES, makeAxis, toAxis, type Segment } from './model';

const LANE_H = 26;
const TOP = 4;
const LABEL_W = 104;
const AXIS_H = 26;
export const MAP_HEIGHT = TOP + LANES.length * LANE_H + AXIS_H;

const COLORS: Record<string, string> = {
  kernel: '#d1344b', 'initial-task': '#e07b39', 'pd-images': '#c2417a', 'rootserver-objects': '#b7791f', allocated: '#3b6fd8', free: '#9fd3b0',
  device: '#a0a7b4', 'device-frames': '#6c5fc7', 'low-memory': '#cfd3da', ram: '#9fd3b0',
  TCB: '#8a4fd1', CNode: '#b7791f', Endpoint: '#2f80c0', Notification: '#2f80c0', Reply: '#5b8fd6', SchedContext: '#a765d6', PageTable: '#7d8796', VCPU: '#c2417a',
};
const color = (s: Segment): string => (s.lane === 'frame' ? (s.kind.includes('2 MiB') ? '#1f7a44' : '#2e9d5a') : COLORS[s.kind] ?? '#7d8796');

export interface Highlight {
  start: number;
  end: number;
  label: string;
}

interface Props {
  segments: Segment[];
  mode: 'log' | 'linear';
  highlight: Highlight | null;
  dark: boolean;
}

export function PhysicalMap({ segments, mode, highlight, dark }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const zoomRef = useRef<ZoomBehavior<HTMLCanvasElement, unknown> | null>(null);
  const [t, setT] = useState<ZoomTransform>(zoomIdentity);
  const [width, setWidth] = useState(600);
  const [hover, setHover] = useState<{ addr: number; lane: Segment['lane'] | null } | null>(null);
  // breakpoints from the memory map only: device untypeds would otherwise crowd RAM into a corner
  const axis = useMemo(() => makeAxis(segments.filter((s) => s.lane === 'region'), mode), [segments, mode]);
  const byLane = useMemo(() => LANES.map((l) => segments.filter((s) => s.lane === l)), [segments]);
  const plotW = Math.max(50, width - LABEL_W);
  const unit = plotW / axis.width;
  /** address → x in CSS pixels */
  const xOf = (addr: number): number => LABEL_W + t.applyX(toAxis(axis, addr) * unit);
  const addrAt = (x: number): number => fromAxis(axis, t.invertX(x - LABEL_W) / unit);

  useEffect(() => {
    const el = canvas.current!;
    // the canvas fills its box's content width (clientWidth includes the padding)
    const measure = () => {
      const p = el.parentElement!;
      const cs = getComputedStyle(p);
      setWidth(Math.max(200, p.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)));
    };
    const ro = new ResizeObserver(measure);
    ro.observe(el.parentElement!);
    measure();
    const z = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, 1e9])
      .on('zoom', (e: { transform: ZoomTransform }) => setT(e.transform));
    zoomRef.current = z;
    select(el).call(z).on('dblclick.zoom', null);
    return () => {
      ro.disconnect();
      select(el).on('.zoom', null);
    };
  }, []);

  useEffect(() => {
    const z = zoomRef.current;
    if (z) z.translateExtent([[0, 0], [plotW, MAP_HEIGHT]]).extent([[0, 0], [plotW, MAP_HEIGHT]]);
  }, [plotW]);

  // a new map (other build or boot mode, other axis) starts whole, unless something is selected
  useEffect(() => {
    const z = zoomRef.current;
    if (z && canvas.current && !highlight) select(canvas.current).call(z.transform, zoomIdentity);
  }, [axis]); // eslint-disable-line react-hooks/exhaustive-deps

  // follow the selection: zoom so the highlighted object fills about a third of the plot
  useEffect(() => {
    const z = zoomRef.current;
    if (!z || !highlight || !canvas.current) return;
    const a = toAxis(axis, highlight.start) * unit;
    const b = toAxis(axis, highlight.end) * unit;
    const k = Math.min(1e9, Math.max(1, plotW / 3 / Math.max(b - a, 1e-9)));
    select(canvas.current).transition().duration(350).call(z.transform, zoomIdentity.translate(plotW / 2 - ((a + b) / 2) * k, 0).scale(k));
  }, [highlight?.start, highlight?.end, axis, plotW]); // eslint-disable-line react-hooks/exhaustive-deps

  // draw
  useEffect(() => {
    const el = canvas.current!;
    const dpr = window.devicePixelRatio || 1;
    el.width = Math.round(width * dpr);
    el.height = Math.round(MAP_HEIGHT * dpr);
    el.style.width = `${width}px`;
    el.style.height = `${MAP_HEIGHT}px`;
    const g = el.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const fg = dark ? '#d6dae1' : '#1f2329';
    const muted = dark ? '#8b94a3' : '#68707c';
    g.clearRect(0, 0, width, MAP_HEIGHT);
    g.font = '11px Inter, system-ui, sans-serif';
    const lo = addrAt(LABEL_W);
    const hi = addrAt(width);
    LANES.forEach((lane, li) => {
      const y = TOP + li * LANE_H;
      g.fillStyle = muted;
      g.textBaseline = 'middle';
      g.fillText(LANE_TITLES[lane], 6, y + LANE_H / 2);
      g.save();
      g.beginPath();
      g.rect(LABEL_W, y, width - LABEL_W, LANE_H);
      g.clip();
      let lastX = -1;
      for (const s of byLane[li]) {
        if (s.end <= lo || s.start >= hi) continue;
        const x0 = xOf(s.start);
        const x1 = xOf(s.end);
        // thousands of objects share a pixel when zoomed out: draw one per pixel column
        if (x1 - x0 < 1 && Math.floor(x0) === lastX) continue;
        lastX = Math.floor(x0);
        g.fillStyle = color(s);
        g.globalAlpha = s.lane === 'untyped' ? 0.35 : 0.9;
        g.fillRect(x0, y + 3, Math.max(1, x1 - x0 - (x1 - x0 > 4 ? 1 : 0)), LANE_H - 6);
        if (s.used !== undefined && s.used > 0) {
          g.globalAlpha = 0.95;
          g.fillStyle = '#3b6fd8';
          g.fillRect(x0, y + 3, Math.max(1, xOf(s.start + s.used) - x0), LANE_H - 6);
        }
        g.globalAlpha = 1;
        if (x1 - x0 > 60) {
          g.fillStyle = s.lane === 'untyped' || s.kind === 'free' || s.kind === 'low-memory' ? fg : '#fff';
          const label = s.label.length * 6 > x1 - x0 - 8 ? s.label.slice(0, Math.max(0, Math.floor((x1 - x0 - 8) / 6))) : s.label;
          g.fillText(label, Math.max(x0, LABEL_W) + 4, y + LANE_H / 2);
        }
      }
      g.restore();
    });
    if (highlight) {
      const x0 = xOf(highlight.start);
      const x1 = Math.max(x0 + 2, xOf(highlight.end));
      g.strokeStyle = '#f5a623';
      g.lineWidth = 2;
      g.strokeRect(x0 - 1, TOP, x1 - x0 + 2, LANES.length * LANE_H);
    }
    // axis ticks: addresses at even pixel spacing, read back through the compressed axis
    const ay = TOP + LANES.length * LANE_H;
    g.strokeStyle = muted;
    g.fillStyle = muted;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(LABEL_W, ay + 0.5);
    g.lineTo(width, ay + 0.5);
    g.stroke();
    const n = Math.max(2, Math.floor((width - LABEL_W) / 130));
    // label granularity: a power of two near the span between ticks (4 KiB pages when zoomed out)
    const span = Math.max(1, (hi - lo) / n);
    const gran = Math.min(4096, 2 ** Math.floor(Math.log2(span)));
    g.font = '10.5px "JetBrains Mono", Menlo, monospace';
    for (let i = 0; i <= n; i++) {
      const x = LABEL_W + ((width - LABEL_W - 2) * i) / n;
      const a = Math.floor(addrAt(x) / gran) * gran;
      g.beginPath();
      g.moveTo(x + 0.5, ay);
      g.lineTo(x + 0.5, ay + 5);
      g.stroke();
      g.textAlign = i === n ? 'right' : i === 0 ? 'left' : 'center';
      g.fillText(hexOf(a), x, ay + 15);
    }
    g.textAlign = 'left';
    if (hover) {
      const x = xOf(hover.addr);
      g.strokeStyle = fg;
      g.setLineDash([3, 3]);
      g.beginPath();
      g.moveTo(x + 0.5, TOP);
      g.lineTo(x + 0.5, ay);
      g.stroke();
      g.setLineDash([]);
    }
  });

  const hoverInfo = hover ? describeAt(byLane, hover.addr) : null;
  return (
    <div className="phys-map">
      <canvas
        ref={canvas}
        data-testid="phys-map"
        onMouseMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const x = e.clientX - r.left;
          if (x < LABEL_W) return setHover(null);
          const li = Math.floor((e.clientY - r.top - TOP) / LANE_H);
          setHover({ addr: addrAt(x), lane: LANES[li] ?? null });
        }}
        onMouseLeave={() => setHover(null)}
      />
      <div className="phys-hover mono" data-testid="phys-hover">
        {hoverInfo ?? (highlight ? `selected: ${highlight.label} [${hexOf(highlight.start)}..${hexOf(highlight.end)})` : `scroll to zoom (×${t.k < 10 ? t.k.toFixed(1) : Math.round(t.k)}), drag to pan; hover for names`)}
      </div>
    </div>
  );
}

function describeAt(byLane: Segment[][], addr: number): string {
  const parts: string[] = [hexOf(Math.floor(addr))];
  for (const lane of byLane) {
    let best: Segment | null = null;
    for (const s of lane) if (s.start <= addr && addr < s.end && (!best || s.end - s.start < best.end - best.start)) best = s;
    if (best) parts.push(best.label);
  }
  return parts.join(' · ');
}

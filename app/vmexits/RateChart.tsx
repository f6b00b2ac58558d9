/** Exits per simulated millisecond over the run: a small d3 area chart. */
import { area, line, max, scaleLinear } from 'd3';
import { formatTime } from '../run';
import { ratePoints } from './model';

const W = 220, H = 70, M = { l: 28, r: 4, t: 6, b: 16 };

export function RateChart({ rate }: { rate: { bucketNs: number; counts: number[] } }) {
  const pts = ratePoints(rate);
  if (pts.length === 0) return null;
  const end = rate.bucketNs * rate.counts.length;
  const x = scaleLinear().domain([0, end]).range([M.l, W - M.r]);
  const y = scaleLinear().domain([0, Math.max(1, max(pts, (p) => p.perMs) ?? 1)]).nice().range([H - M.b, M.t]);
  const a = area<(typeof pts)[number]>().x((p) => x(p.t)).y0(y(0)).y1((p) => y(p.perMs))(pts) ?? '';
  const l = line<(typeof pts)[number]>().x((p) => x(p.t)).y((p) => y(p.perMs))(pts) ?? '';
  const top = y.domain()[1];
  return (
    <figure className="rate-chart" data-testid="exit-rate">
      <figcaption>exits per ms (simulated)</figcaption>
      <svg width={W} height={H} role="img" aria-label="VM exit rate over simulated time">
        <line x1={M.l} x2={W - M.r} y1={y(0)} y2={y(0)} className="axis" />
        <text x={M.l - 3} y={y(top) + 4} className="tick" textAnchor="end">{top}</text>
        <text x={M.l - 3} y={y(0)} className="tick" textAnchor="end">0</text>
        <text x={W - M.r} y={H - 3} className="tick" textAnchor="end">{formatTime(end)}</text>
        <path d={a} className="area" />
        <path d={l} className="line" />
      </svg>
    </figure>
  );
}

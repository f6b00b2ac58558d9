/** The system graph: laid out by ELK, drawn as SVG, zoomed and panned with d3-zoom.
 * Clicking an element moves the editor cursor to it; moving the cursor in the
 * system description highlights the element here. */
import { select, zoom, zoomIdentity, type ZoomBehavior } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useProblems, useServices, useUi } from '../shell/hooks';
import { Icon } from '../theme/icons';
import { buildGraph, elementAt, type SystemGraph } from './buildGraph';
import { layoutGraph, pointAlong, type GraphLayout, type PlacedEdge, type PlacedNode } from './layout';

/** room kept free for the legend when fitting */
const LEGEND_SPACE = 56;
const MAX_FIT_SCALE = 1.25;
/** below this, node names are too small to read */
const MIN_FIT_SCALE = 0.6;

export function GraphView() {
  const services = useServices();
  const system = useProblems((p) => p.system);
  const systemPath = useProblems((p) => p.systemPath);
  const stale = useProblems((p) => p.systemStale);
  const cursor = useUi((u) => u.cursor);
  const graph = useMemo<SystemGraph | null>(() => (system ? buildGraph(system) : null), [system]);
  const [layout, setLayout] = useState<GraphLayout | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const [transform, setTransform] = useState('');

  useEffect(() => {
    let live = true;
    if (!graph) {
      setLayout(null);
      return;
    }
    layoutGraph(graph).then((l) => live && setLayout(l), (e: unknown) => console.error('graph layout failed', e));
    return () => {
      live = false;
    };
  }, [graph]);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.2, 4])
      .on('zoom', (e) => setTransform(e.transform.toString()));
    select(svg).call(z).on('dblclick.zoom', null);
    zoomRef.current = z;
    return () => {
      select(svg).on('.zoom', null);
    };
  }, []);

  /** Show the whole graph if that keeps the text readable; otherwise show the top middle
   * at a readable zoom and let the user pan. */
  const fit = () => {
    const svg = svgRef.current;
    if (!svg || !layout || !zoomRef.current) return;
    const { width } = svg.getBoundingClientRect();
    const height = svg.getBoundingClientRect().height - LEGEND_SPACE;
    const whole = Math.min(MAX_FIT_SCALE, width / Math.max(layout.width, 1), height / Math.max(layout.height, 1));
    const k = Math.max(MIN_FIT_SCALE, whole);
    const x = (width - layout.width * k) / 2;
    const y = layout.height * k <= height ? (height - layout.height * k) / 2 : 0;
    select(svg).call(zoomRef.current.transform, zoomIdentity.translate(x, y).scale(k));
  };

  // Fit whenever a new layout arrives.
  useEffect(fit, [layout]);

  const selected = graph && cursor && cursor.path === systemPath ? elementAt(graph, cursor.line, cursor.column) : null;
  const reveal = (pos: { line: number; column: number }) => services.ui.getState().revealLocation({ path: systemPath, ...pos });

  return (
    <div className="graph-view">
      <div className="view-toolbar">
        <span className="muted">{systemPath || 'no system'}</span>
        {stale && <span className="pill warn" title="The graph shows the last version of the file without errors">showing last valid version</span>}
        <span className="spacer" />
        <button className="icon-button" title="Fit to view" onClick={fit} aria-label="Fit to view">
          <Icon name="fit" />
        </button>
      </div>
      <svg ref={svgRef} className="graph-canvas" data-testid="graph" role="img" aria-label="System graph">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0L10 5L0 10z" className="arrow-head" />
          </marker>
        </defs>
        <g transform={transform}>
          {layout?.edges.map((e) => <Edge key={e.id} edge={e} selected={selected === e.id} onClick={() => reveal(e.pos)} />)}
          {layout?.nodes.map((n) => <Node key={n.id} node={n} selected={selected === n.id} onClick={() => reveal(n.pos)} />)}
        </g>
      </svg>
      {layout && <Legend />}
      {!system && <div className="graph-empty">{stale ? 'Fix the errors in the system description to see its graph.' : 'No system to show yet.'}</div>}
    </div>
  );
}

const LEGEND: [cls: string, text: string][] = [
  ['pd', 'protection domain'],
  ['vm', 'virtual machine'],
  ['mr', 'memory region'],
  ['irq', 'IRQ'],
  ['ioport', 'I/O ports'],
];

function Legend() {
  return (
    <div className="graph-legend" aria-label="Legend">
      {LEGEND.map(([cls, text]) => (
        <span key={cls}>
          <i className={`swatch ${cls}`} />
          {text}
        </span>
      ))}
      <span>
        <i className="line channel" />
        channel (arrow: PPC caller → callee)
      </span>
      <span>
        <i className="line map" />
        mapping (rights)
      </span>
    </div>
  );
}

function Node({ node, selected, onClick }: { node: PlacedNode; selected: boolean; onClick: () => void }) {
  return (
    <g
      className={`node ${node.kind}${selected ? ' selected' : ''}`}
      transform={`translate(${node.x},${node.y})`}
      onClick={onClick}
      data-testid={`node-${node.id}`}
      data-selected={selected ? 'true' : undefined}
    >
      <title>{`${node.label} — ${node.detail}`}</title>
      <rect width={node.width} height={node.height} rx={node.kind === 'mr' ? 3 : 8} />
      <rect className="kind-bar" width={4} height={node.height} rx={2} />
      <text className="label" x={14} y={node.height / 2 - 3}>
        {node.label}
      </text>
      <text className="detail" x={14} y={node.height / 2 + 12}>
        {node.detail}
      </text>
    </g>
  );
}

function Edge({ edge, selected, onClick }: { edge: PlacedEdge; selected: boolean; onClick: () => void }) {
  if (edge.points.length < 2) return null;
  const d = `M${edge.points.map((p) => `${p.x},${p.y}`).join('L')}`;
  const start = pointAlong(edge.points, 14);
  const end = pointAlong([...edge.points].reverse(), 16);
  const mid = pointAlong(edge.points, polylineLength(edge.points) / 2);
  return (
    <g className={`edge ${edge.kind}${selected ? ' selected' : ''}`} onClick={onClick} data-testid={`edge-${edge.id}`}>
      <title>{edge.title}</title>
      <path className="hit" d={d} />
      <path className="line" d={d} markerEnd={edge.directed ? 'url(#arrow)' : undefined} />
      {edge.sourceLabel && <EdgeLabel p={start} text={edge.sourceLabel} cls="end-label" />}
      {edge.targetLabel && <EdgeLabel p={end} text={edge.targetLabel} cls="end-label" />}
      {edge.label && <EdgeLabel p={mid} text={edge.label} cls="mid-label" />}
    </g>
  );
}

function EdgeLabel({ p, text, cls }: { p: { x: number; y: number }; text: string; cls: string }) {
  const w = text.length * 6.2 + 8;
  return (
    <g className={cls} transform={`translate(${p.x},${p.y})`}>
      <rect x={-w / 2} y={-8} width={w} height={16} rx={8} />
      <text textAnchor="middle" y={4}>
        {text}
      </text>
    </g>
  );
}

function polylineLength(points: { x: number; y: number }[]): number {
  let len = 0;
  for (let i = 1; i < points.length; i++) len += Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
  return len;
}

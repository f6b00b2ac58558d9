/** Automatic layout with ELK's layered algorithm (loaded on first use). */
import type { GraphEdge, GraphNode, SystemGraph } from './buildGraph';

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge extends GraphEdge {
  points: Point[];
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

const CHAR_LABEL = 7.4;
const CHAR_DETAIL = 6.3;

export function nodeSize(n: GraphNode): { width: number; height: number } {
  const small = n.kind === 'irq' || n.kind === 'ioport';
  const width = Math.max(small ? 96 : 120, Math.ceil(Math.max(n.label.length * CHAR_LABEL, n.detail.length * CHAR_DETAIL)) + 28);
  return { width, height: small ? 40 : 48 };
}

type Elk = { layout(graph: unknown): Promise<ElkOut> };
interface ElkOut {
  width?: number;
  height?: number;
  children?: { id: string; x?: number; y?: number; width?: number; height?: number }[];
  edges?: { id: string; sections?: { startPoint: Point; endPoint: Point; bendPoints?: Point[] }[] }[];
}

let elk: Promise<Elk> | null = null;

export async function layoutGraph(graph: SystemGraph): Promise<GraphLayout> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default() as unknown as Elk);
  const engine = await elk;
  const out = await engine.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '32',
      'elk.layered.spacing.nodeNodeBetweenLayers': '64',
      'elk.spacing.edgeNode': '20',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.padding': '[top=24,left=24,bottom=24,right=24]',
    },
    children: graph.nodes.map((n) => ({ id: n.id, ...nodeSize(n) })),
    edges: graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const placed = new Map((out.children ?? []).map((c) => [c.id, c]));
  const routes = new Map((out.edges ?? []).map((e) => [e.id, e.sections?.[0]]));
  return {
    nodes: graph.nodes.map((n) => {
      const p = placed.get(n.id);
      return { ...n, x: p?.x ?? 0, y: p?.y ?? 0, ...nodeSize(n) };
    }),
    edges: graph.edges.map((e) => {
      const s = routes.get(e.id);
      return { ...e, points: s ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint] : [] };
    }),
    width: out.width ?? 0,
    height: out.height ?? 0,
  };
}

/** A point `dist` along a polyline from its start (for end labels). */
export function pointAlong(points: Point[], dist: number): Point {
  let left = dist;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len >= left && len > 0) return { x: a.x + ((b.x - a.x) * left) / len, y: a.y + ((b.y - a.y) * left) / len };
    left -= len;
  }
  return points[points.length - 1] ?? { x: 0, y: 0 };
}

/** View models for the capability views: pure functions from a BuildView to table rows and tree rows. */
import type { BuildView, CapNode, SystemDescription } from '../../core/protocol';
import { slotMeaning } from './slotMeaning';

export interface CSpaceRow {
  /** index of the cap in `BuildView.caps` */
  node: number;
  index: number;
  /** which CNode: the Microkit CNode (512 slots) or the PD's root CNode (64 slots) */
  cnode: 'microkit' | 'root';
  meaning: string | null;
  capType: string;
  objectName: string | null;
  objectKey: string | null;
  rights: string;
  badge: string | null;
}

/** Every PD (and the monitor) that has a CSpace in the build. */
export function cspaceOwners(view: BuildView): string[] {
  const d = view.description;
  return d ? [...d.pds.map((p) => p.name), d.monitor.name] : [];
}

/** One PD's CSpace, slot by slot, read from the live kernel's caps. */
export function cspaceRows(view: BuildView, pd: string, system: SystemDescription | null): CSpaceRow[] {
  const rows: CSpaceRow[] = [];
  view.caps.forEach((c, i) => {
    if (c.pd !== pd) return;
    const cnode = c.holder === `cnode_${pd}_root` ? 'root' : c.holder === `cnode_${pd}` ? 'microkit' : null;
    if (!cnode) return;
    const meaning = cnode === 'root' ? (c.index === 0 ? '0: the Microkit CNode' : `${c.index}: <cspace> cap`) : pd === 'monitor' ? null : slotMeaning(c.index, pd, system);
    rows.push({ node: i, index: c.index, cnode, meaning, capType: c.capType, objectName: c.objectName, objectKey: c.objectKey, rights: c.rights, badge: c.badge });
  });
  return rows.sort((a, b) => (a.cnode === b.cnode ? a.index - b.index : a.cnode === 'microkit' ? -1 : 1));
}

export interface TreeRow {
  node: number;
  depth: number;
  hasChildren: boolean;
  collapsed: boolean;
  /** matches the search (rows shown only as ancestors of a match are dimmed) */
  match: boolean;
}

/** Per node: index of its last descendant (nodes are in MDB order, so a subtree is contiguous). */
export function subtreeEnds(caps: CapNode[]): Int32Array {
  const end = new Int32Array(caps.length);
  for (let i = caps.length - 1; i >= 0; i--) {
    if (end[i] < i) end[i] = i;
    const p = caps[i].parent;
    if (p >= 0 && end[p] < end[i]) end[p] = end[i];
  }
  return end;
}

export function capLabel(c: CapNode): string {
  const where = c.holder === 'initialiser' ? `initialiser[${c.index}]` : `${c.holder}[${c.index}]`;
  return `${c.capType} ${c.objectName ?? ''} ${where}`;
}

/** The visible rows of the derivation tree: collapsed subtrees hidden; with a query, only matches and
 * their ancestors (collapsing is ignored while searching, so every match is reachable). */
export function visibleTree(caps: CapNode[], collapsed: ReadonlySet<number>, query: string): TreeRow[] {
  const ends = subtreeEnds(caps);
  const rows: TreeRow[] = [];
  const q = query.trim().toLowerCase();
  if (q) {
    const keep = new Uint8Array(caps.length);
    const match = new Uint8Array(caps.length);
    for (let i = 0; i < caps.length; i++) {
      if (!capLabel(caps[i]).toLowerCase().includes(q)) continue;
      match[i] = 1;
      for (let p = i; p >= 0 && !keep[p]; p = caps[p].parent) keep[p] = 1;
    }
    for (let i = 0; i < caps.length; i++) if (keep[i]) rows.push({ node: i, depth: caps[i].depth, hasChildren: ends[i] > i, collapsed: false, match: !!match[i] });
    return rows;
  }
  for (let i = 0; i < caps.length; ) {
    const isCollapsed = collapsed.has(caps[i].slot);
    rows.push({ node: i, depth: caps[i].depth, hasChildren: ends[i] > i, collapsed: isCollapsed, match: true });
    i = isCollapsed ? ends[i] + 1 : i + 1;
  }
  return rows;
}

/** Every cap to the same object as `node` (selecting a cap highlights them all). */
export function capsToSameObject(caps: CapNode[], node: number): Set<number> {
  const key = caps[node]?.objectKey;
  const out = new Set<number>();
  if (!key) return out;
  caps.forEach((c, i) => c.objectKey === key && out.add(i));
  return out;
}

/** The collapsed set that shows `node`: its ancestors are open. */
export function expandTo(caps: CapNode[], collapsed: ReadonlySet<number>, node: number): Set<number> {
  const next = new Set(collapsed);
  for (let p = caps[node]?.parent ?? -1; p >= 0; p = caps[p].parent) next.delete(caps[p].slot);
  return next;
}

/** Start with every untyped collapsed when the tree is big (thousands of caps stay navigable). */
export function initialCollapsed(caps: CapNode[], limit = 400): Set<number> {
  const out = new Set<number>();
  if (caps.length <= limit) return out;
  const ends = subtreeEnds(caps);
  caps.forEach((c, i) => c.depth === 0 && ends[i] > i && out.add(c.slot));
  return out;
}

/** The PD whose element holds the editor cursor (the graph selects by moving the cursor). */
export function pdAtCursor(system: SystemDescription | null, cursor: { line: number; column: number } | null): string | null {
  if (!system || !cursor) return null;
  let found: string | null = null;
  let best = -1;
  for (const pd of system.protectionDomains) {
    const at = pd.pos.line * 1e6 + pd.pos.column;
    const cur = cursor.line * 1e6 + cursor.column;
    if (at <= cur && at > best) {
      best = at;
      found = pd.name;
    }
  }
  if (found === null) return null;
  // a top-level element (region, channel) between the PD and the cursor means the cursor left the PD
  const cur = cursor.line * 1e6 + cursor.column;
  const others = [...system.memoryRegions, ...system.channels].map((e) => e.pos.line * 1e6 + e.pos.column);
  return others.some((at) => at > best && at <= cur) ? null : found;
}

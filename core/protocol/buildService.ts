/** The core side of the build requests: builds the main system on demand, keeps the built kernel and a
 * LabSession on it (acting as the initialiser, with its caps), and turns kernel state into the
 * serialisable BuildView the capability and memory views draw. */
import { findBoard } from '../boards';
import { buildSystem, canAllocate, type BootMode, type BuildResult } from '../build';
import { CAP_KIND_NAMES, CapKind, InitialCap, LabSession, ThreadState, isChildOf, listMappings, type Cap, type Kernel } from '../kernel';
import type { BuildRequests, BuildView, CapNode, LabLine } from './buildMessages';
import type { Diagnostic, LanguageBackends } from './languages';
import type { CoreEvent, WorkspaceSnapshot } from './messages';

export type BuildRequestKind = keyof BuildRequests;
export type BuildRequest = { [K in BuildRequestKind]: { kind: K } & BuildRequests[K]['payload'] }[BuildRequestKind];

export interface BuildService {
  handle(req: BuildRequest, ws: WorkspaceSnapshot): { result: unknown; events: CoreEvent[] };
  /** the workspace changed: the built system no longer matches it */
  invalidate(): void;
}

const NO_SLOT = -1;
const hex = (x: bigint): string => `0x${x.toString(16)}`;

export function createBuildService(backends: LanguageBackends): BuildService {
  let built: { result: BuildResult; lab: LabSession | null; bootMode: BootMode; board: string; diagnostics: Diagnostic[] } | null = null;
  let revision = 0;

  function build(ws: WorkspaceSnapshot, bootMode: BootMode): CoreEvent[] {
    const board = findBoard(ws.board);
    if (!board) throw new Error(`unknown board '${ws.board}'`);
    const source = ws.files[ws.main];
    if (source === undefined) throw new Error(`no such file '${ws.main}'`);
    const checked = backends.checkSdf(source, {
      fileName: ws.main,
      kernel: board.kernel,
      readFile: (p) => (ws.files[p] === undefined ? undefined : new TextEncoder().encode(ws.files[p])),
    });
    const diagnostics = [...checked.diagnostics];
    let result: BuildResult | null = null;
    if (checked.system && !diagnostics.some((d) => d.severity === 'error')) {
      result = buildSystem(checked.system, { board, bootMode });
      diagnostics.push(...result.diagnostics);
    }
    const empty: BuildResult = { ok: false, diagnostics: [], kernel: null, booted: null, spec: null, plan: null, realised: null, image: null, description: null, setvars: [] };
    const r = result ?? empty;
    // the initialiser suspends itself when done; the console resumes it to act as the root task
    if (r.booted) r.booted.rootTcb.state = ThreadState.Running;
    built = { result: r, lab: r.booted ? new LabSession({ board, booted: r.booted }) : null, bootMode, board: ws.board, diagnostics };
    revision = 0;
    return [{ type: 'diagnostics', path: ws.main, textLength: source.length, diagnostics }];
  }

  function view(): BuildView {
    const b = built!;
    const r = b.result;
    const k = r.kernel;
    const description = r.description && k ? { ...r.description, addressSpaces: liveAddressSpaces(r, k) } : r.description;
    return {
      ok: r.ok, board: b.board, bootMode: b.bootMode, description, diagnostics: b.diagnostics,
      caps: k && r.ok ? capTree(r, k) : [], revision, rootCNodeBits: r.booted?.rootCNode.radix ?? 0,
    };
  }

  return {
    invalidate: () => {
      built = null;
    },
    handle(req, ws) {
      switch (req.kind) {
        case 'build.run': {
          const events = build(ws, req.bootMode);
          return { result: view(), events };
        }
        case 'build.lab': {
          const events = built ? [] : build(ws, req.bootMode);
          if (!built) throw new Error('no build');
          if (!built.lab) return { result: { line: { text: req.line, ok: false, output: 'error: the system did not build, so there is no kernel to run on', notes: [] }, view: view() }, events };
          let line: LabLine | null;
          try {
            const res = built.lab.exec(req.line);
            line = res && { text: res.text, ok: res.ok, output: res.output, notes: res.notes };
          } catch (e) {
            line = { text: req.line, ok: false, output: `error: ${e instanceof Error ? e.message : String(e)}`, notes: [] };
          }
          if (line) revision++;
          return { result: { line, view: view() }, events };
        }
        case 'build.canAllocate': {
          const events = built ? [] : build(ws, req.bootMode);
          const a = canAllocate(built!.result, BigInt(req.bytes), BigInt(req.align));
          return { result: { ok: a.ok, reason: a.reason, paddr: a.paddr === undefined ? null : hex(a.paddr) }, events };
        }
      }
    },
  };
}

/** The description's mappings that the kernel still has (a revoked frame cap unmaps its copies). */
function liveAddressSpaces(r: BuildResult, k: Kernel) {
  const desc = r.description!;
  const kid = new Map(desc.objects.map((o) => [o.name, o.kernelId]));
  return desc.addressSpaces.map((as) => {
    const rootId = kid.get(as.root);
    if (as.kind === 'iospace' || rootId == null || !k.objects[rootId]) return as;
    const live = new Set(listMappings(k, rootId).map((m) => `${hex(m.vaddr)}/${hex(m.paddr)}`));
    return { ...as, mappings: as.mappings.filter((m) => live.has(`${m.addr}/${m.paddr}`)) };
  });
}

/** Every cap in the kernel as a forest in MDB order, named from the build. */
export function capTree(r: BuildResult, k: Kernel): CapNode[] {
  const desc = r.description!;
  const byKernelId = new Map<number, string>();
  for (const o of desc.objects) if (o.kernelId !== null) byKernelId.set(o.kernelId, o.name);
  const irqName = new Map(desc.irqs.map((i) => [i.kernelIrq, i.name]));
  const rootCNode = r.booted!.rootCNode.id;
  const rootTcb = r.booted!.rootTcb.id;
  // the initialiser's own boot caps carry seL4's names (seL4_CapInitThreadTCB, ...)
  const initialName = new Map<number, string>(Object.entries(InitialCap).map(([name, slot]) => [slot as number, name]));
  const pdOfCNode = new Map<string, string>();
  for (const pd of [desc.monitor, ...desc.pds]) {
    pdOfCNode.set(`cnode_${pd.name}`, pd.name);
    pdOfCNode.set(`cnode_${pd.name}_root`, pd.name);
  }
  const untypedNames = new Map(desc.untypeds.map((u) => [BigInt(u.paddr), `untyped ${u.index}${u.isDevice ? ' (device)' : ''}`]));

  const s = k.slots;
  const nodes: CapNode[] = [];
  const indexOf = new Map<number, number>();
  const node = (slot: number, parent: number, depth: number): CapNode => {
    const c = s.caps[slot]!;
    const owner = s.owner[slot];
    const holder = owner === rootCNode ? 'initialiser' : owner === rootTcb ? 'initialiser TCB' : owner === -2 ? 'IRQ table' : byKernelId.get(owner) ?? `object ${owner}`;
    const { key, paddr, sizeBits, name: objName } = objectOf(c, k, byKernelId, irqName, untypedNames);
    const name = objName ?? (owner === rootCNode ? initialName.get(s.index[slot]) ?? null : null);
    const badged = c.kind === CapKind.Endpoint || c.kind === CapKind.Notification;
    return {
      slot, parent, depth, capType: capTypeName(c), objectKey: key, objectName: name, holder, pd: pdOfCNode.get(holder) ?? null,
      index: s.index[slot], rights: rightsOf(c), badge: badged && c.badge !== 0n ? hex(c.badge) : null, paddr, sizeBits,
    };
  };
  for (let head = 0; head < s.size; head++) {
    const c = s.caps[head];
    if (!c || c.kind === CapKind.Null || s.owner[head] === -3 || s.prev[head] !== NO_SLOT) continue;
    // walk one MDB list: the stack holds the chain of ancestors of the current entry
    const stack: number[] = [];
    for (let n = head; n !== NO_SLOT; n = s.next[n]) {
      while (stack.length && !isChildOf(k, stack[stack.length - 1], n)) stack.pop();
      const parent = stack.length ? indexOf.get(stack[stack.length - 1])! : -1;
      indexOf.set(n, nodes.length);
      nodes.push(node(n, parent, stack.length));
      stack.push(n);
    }
  }
  // copies of a boot cap (the initialiser TCB's bound slots) take the name of another cap to the object
  const named = new Map<string, string>();
  for (const n of nodes) if (n.objectKey && n.objectName) named.set(n.objectKey, n.objectName);
  for (const n of nodes) if (n.objectKey && !n.objectName) n.objectName = named.get(n.objectKey) ?? null;
  return nodes;
}

function capTypeName(c: Cap): string {
  return CAP_KIND_NAMES[c.kind] ?? `cap ${c.kind}`;
}

function rightsOf(c: Cap): string {
  if (c.kind === CapKind.Frame) return ['', 'kernel-only', 'R', 'RW'][c.vmRights] ?? '';
  if (c.kind !== CapKind.Endpoint && c.kind !== CapKind.Notification && c.kind !== CapKind.Reply) return '';
  return `${c.rights & 2 ? 'R' : ''}${c.rights & 1 ? 'W' : ''}${c.rights & 4 ? 'G' : ''}${c.rights & 8 ? 'GR' : ''}`;
}

function objectOf(c: Cap, k: Kernel, names: Map<number, string>, irqs: Map<number, string>, untypeds: Map<bigint, string>) {
  if (c.kind === CapKind.Untyped) return { key: `ut:${hex(c.paddr)}:${c.sizeBits}`, name: untypeds.get(c.paddr) ?? `untyped @ ${hex(c.paddr)}`, paddr: hex(c.paddr), sizeBits: c.sizeBits };
  if (c.kind === CapKind.IRQHandler) return { key: `irq:${c.irq}`, name: irqs.get(c.irq) ?? `IRQ ${c.irq}`, paddr: null, sizeBits: 0 };
  if (c.obj >= 0) {
    const o = k.objects[c.obj];
    return { key: `k:${c.obj}`, name: names.get(c.obj) ?? null, paddr: o ? hex(BigInt(o.paddr)) : null, sizeBits: o?.sizeBits ?? 0 };
  }
  return { key: null, name: null, paddr: null, sizeBits: 0 };
}

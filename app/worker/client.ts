/** The UI's typed, promise-based handle on the core worker. If the worker dies
 * (an uncaught error, or no answer within the watchdog time) it is restarted and
 * the current workspace, which lives in the UI store, is sent again; queries that
 * were in flight are asked again. Nothing the user typed is ever lost. */
import {
  PROTOCOL_VERSION,
  isEventEnvelope,
  type CoreEvent,
  type FromCore,
  type RequestEnvelope,
  type RequestKind,
  type RequestMap,
  type RequestOf,
  type ResultOf,
  type WorkspaceSnapshot,
} from '../../core/protocol';

/** The part of `Worker` the client uses, so tests can run the core in-process. */
export interface WorkerLike {
  postMessage(message: RequestEnvelope): void;
  terminate(): void;
  onmessage: ((e: { data: FromCore }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
}

export type CoreStatus = 'starting' | 'ready' | 'restarting' | 'failed';

export interface CoreClientOptions {
  spawn: () => WorkerLike;
  /** the workspace to (re)send after a start */
  workspace: () => WorkspaceSnapshot;
  onEvent: (event: CoreEvent) => void;
  onStatus?: (status: CoreStatus, detail?: string) => void;
  /** a request unanswered this long counts as a hung worker */
  watchdogMs?: number;
  /** give up after this many restarts without a single answer in between */
  maxRestarts?: number;
}

/** Requests whose effect is carried by the workspace re-sent after a restart. */
const STATE_REQUESTS = new Set<RequestKind>(['workspace.open', 'file.update', 'file.delete', 'file.rename', 'workspace.setMain', 'board.set', 'debug.crash']);

interface Pending {
  request: RequestOf<RequestKind>;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface CoreClient {
  request<K extends RequestKind>(kind: K, payload: RequestMap[K]['payload']): Promise<ResultOf<K>>;
  /** how many times the worker was restarted */
  restarts(): number;
  dispose(): void;
}

export function createCoreClient(opts: CoreClientOptions): CoreClient {
  const watchdogMs = opts.watchdogMs ?? 20_000;
  const maxRestarts = opts.maxRestarts ?? 5;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let worker: WorkerLike | null = null;
  let restarts = 0;
  let failedInARow = 0;
  let disposed = false;

  const status = (s: CoreStatus, detail?: string) => opts.onStatus?.(s, detail);

  function send(id: number, p: Pending) {
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => crashed('The core stopped answering.'), watchdogMs);
    worker!.postMessage({ id, request: p.request });
  }

  function settle(id: number, fn: (p: Pending) => void) {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    fn(p);
  }

  function onMessage(data: FromCore) {
    if (isEventEnvelope(data)) {
      // a core that sends events is alive: a long simulation run must not trip the watchdog
      for (const p of pending.values()) {
        if (!p.timer) continue;
        clearTimeout(p.timer);
        p.timer = setTimeout(() => crashed('The core stopped answering.'), watchdogMs);
      }
      opts.onEvent(data.event);
      return;
    }
    failedInARow = 0;
    if (data.ok) settle(data.id, (p) => p.resolve(data.result));
    else settle(data.id, (p) => p.reject(new Error(data.error)));
  }

  function enqueue(request: RequestOf<RequestKind>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      const p: Pending = { request, resolve, reject, timer: undefined };
      pending.set(id, p);
      if (worker) send(id, p);
    });
  }

  function start() {
    const w = opts.spawn();
    worker = w;
    w.onmessage = (e) => {
      if (worker === w) onMessage(e.data);
    };
    w.onerror = (e) => {
      if (worker === w) crashed(e.message || 'The core crashed.');
    };
    const ws = opts.workspace();
    const hello = enqueue({ kind: 'hello' }) as Promise<ResultOf<'hello'>>;
    const open = enqueue({ kind: 'workspace.open', workspace: ws });
    Promise.all([hello, open]).then(
      ([h]) => {
        if (h && h.protocol !== PROTOCOL_VERSION) status('failed', `core speaks protocol ${h.protocol}, UI ${PROTOCOL_VERSION}`);
        else if (worker === w) status('ready');
      },
      () => {},
    );
  }

  function crashed(reason: string) {
    if (disposed || !worker) return;
    worker.onmessage = null;
    worker.onerror = null;
    worker.terminate();
    worker = null;
    restarts++;
    failedInARow++;
    // Requests about state are covered by the workspace we re-send; queries are asked again.
    const retry: [number, Pending][] = [];
    for (const [id, p] of pending) {
      if (p.timer) clearTimeout(p.timer);
      if (STATE_REQUESTS.has(p.request.kind)) {
        pending.delete(id);
        p.resolve(null);
      } else retry.push([id, p]);
    }
    if (failedInARow > maxRestarts) {
      for (const [id, p] of retry) {
        pending.delete(id);
        p.reject(new Error(reason));
      }
      status('failed', reason);
      return;
    }
    status('restarting', reason);
    start();
    for (const [id, p] of retry) send(id, p);
  }

  status('starting');
  start();

  return {
    request: <K extends RequestKind>(kind: K, payload: RequestMap[K]['payload']) =>
      enqueue({ kind, ...payload } as unknown as RequestOf<RequestKind>) as Promise<ResultOf<K>>,
    restarts: () => restarts,
    dispose() {
      disposed = true;
      worker?.terminate();
      worker = null;
      for (const [id, p] of pending) settle(id, () => p.reject(new Error('core client disposed')));
    },
  };
}

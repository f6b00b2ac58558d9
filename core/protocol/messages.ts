/** The one protocol between the UI and the core running in a Web Worker.
 * Requests carry an id and get exactly one response; events flow from the core to
 * the UI unasked (diagnostics, the parsed system, later simulation events). Every
 * message is plain structured-cloneable data. */
import type { CompletionItem, Diagnostic, HoverInfo, SystemDescription } from './languages';
import type { BuildRequests } from './buildMessages';
import type { SimEvent, SimRequests } from './simMessages';

/** Bumped when a message changes shape; the client refuses a core that disagrees. */
export const PROTOCOL_VERSION = 1;

/** Everything the core needs to rebuild its state after a (re)start. */
export interface WorkspaceSnapshot {
  /** workspace-relative path -> text */
  files: Record<string, string>;
  /** board name as in core/boards */
  board: string;
  /** the `.system` file the graph and the build start from */
  main: string;
}

/** Each request kind with its payload and the result it resolves to. */
export interface RequestMap extends BuildRequests, SimRequests {
  hello: { payload: Record<never, never>; result: { protocol: number } };
  'workspace.open': { payload: { workspace: WorkspaceSnapshot }; result: null };
  'file.update': { payload: { path: string; text: string }; result: null };
  'file.delete': { payload: { path: string }; result: null };
  'file.rename': { payload: { from: string; to: string }; result: null };
  'workspace.setMain': { payload: { path: string }; result: null };
  'board.set': { payload: { board: string }; result: null };
  'sdf.complete': { payload: Position; result: CompletionItem[] };
  'sdf.hover': { payload: Position; result: HoverInfo | null };
  /** test hook: the worker shell throws outside any handler, as a real bug would */
  'debug.crash': { payload: Record<never, never>; result: null };
}

export interface Position {
  path: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export type RequestKind = keyof RequestMap;
export type CoreRequest = { [K in RequestKind]: { kind: K } & RequestMap[K]['payload'] }[RequestKind];
export type RequestOf<K extends RequestKind> = Extract<CoreRequest, { kind: K }>;
export type ResultOf<K extends RequestKind> = RequestMap[K]['result'];

/** Unasked messages from the core. */
export type CoreEvent =
  | {
      type: 'diagnostics';
      path: string;
      /** the text the diagnostics were computed from, so the UI can drop stale ones */
      textLength: number;
      diagnostics: Diagnostic[];
    }
  | {
      type: 'system';
      path: string;
      /** null while the file does not parse */
      system: SystemDescription | null;
    }
  | SimEvent;

export type CoreEventType = CoreEvent['type'];

/** Wire envelopes. */
export interface RequestEnvelope {
  id: number;
  request: CoreRequest;
}
export type ResponseEnvelope = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
export interface EventEnvelope {
  event: CoreEvent;
}
export type FromCore = ResponseEnvelope | EventEnvelope;

export function isEventEnvelope(m: FromCore): m is EventEnvelope {
  return 'event' in m;
}

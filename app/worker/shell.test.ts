import { describe, expect, it } from 'vitest';
import type { CoreService, FromCore, RequestOf, RequestKind } from '../../core/protocol';
import { serve } from './shell';

/** A service whose hover answer is a promise, as long-running requests are. */
function service(result: unknown): CoreService {
  return {
    handle: (req: RequestOf<RequestKind>) => {
      if (req.kind === 'hello') return { result: { protocol: 1 }, events: [] };
      return { result, events: [{ type: 'system', path: 'a.system', system: null }] } as never;
    },
    workspace: () => ({ files: {}, board: 'b', main: 'a.system' }),
  };
}

describe('worker shell', () => {
  it('answers at once, then sends the events', () => {
    const out: FromCore[] = [];
    serve(service(null), (m) => out.push(m))({ id: 1, request: { kind: 'sdf.hover', path: 'a.system', line: 1, column: 1 } });
    expect(out).toEqual([{ id: 1, ok: true, result: null }, { event: { type: 'system', path: 'a.system', system: null } }]);
  });

  it('awaits a promised result and keeps serving meanwhile', async () => {
    const out: FromCore[] = [];
    let resolve: (v: unknown) => void = () => {};
    const handle = serve(service(new Promise((r) => (resolve = r))), (m) => out.push(m));
    handle({ id: 1, request: { kind: 'sdf.hover', path: 'a.system', line: 1, column: 1 } });
    handle({ id: 2, request: { kind: 'hello' } });
    expect(out.filter((m) => 'id' in m).map((m) => 'id' in m && m.id)).toEqual([2]);
    resolve('done');
    await Promise.resolve();
    await Promise.resolve();
    expect(out).toContainEqual({ id: 1, ok: true, result: 'done' });
  });

  it('reports a rejected promise as an error response', async () => {
    const out: FromCore[] = [];
    serve(service(Promise.reject(new Error('run failed'))), (m) => out.push(m))({ id: 3, request: { kind: 'sdf.hover', path: 'a.system', line: 1, column: 1 } });
    await new Promise((r) => setTimeout(r, 0));
    expect(out).toContainEqual({ id: 3, ok: false, error: 'run failed' });
  });
});

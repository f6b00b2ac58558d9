/** Moves messages between a port and the core service: the body of the worker,
 * kept apart from the `self` global so tests can run it in-process. A result may be
 * a promise (long-running requests such as a simulation run); it is awaited and
 * answered when it settles, while other requests keep being served. */
import type { CoreEvent, CoreService, EventEnvelope, FromCore, RequestEnvelope } from '../../core/protocol';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const isThenable = (v: unknown): v is PromiseLike<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';

export function serve(service: CoreService, post: (m: FromCore) => void): (envelope: RequestEnvelope) => void {
  return ({ id, request }) => {
    if (request.kind === 'debug.crash') {
      // Fail the way a real bug would: outside any handler, so the worker's error event fires.
      setTimeout(() => {
        throw new Error('crash requested');
      });
      return;
    }
    let events: CoreEvent[] = [];
    try {
      const handled = service.handle(request);
      events = handled.events;
      const result: unknown = handled.result;
      if (isThenable(result)) {
        result.then(
          (r) => post({ id, ok: true, result: r }),
          (e: unknown) => post({ id, ok: false, error: message(e) }),
        );
      } else post({ id, ok: true, result });
    } catch (e) {
      post({ id, ok: false, error: message(e) });
    }
    for (const event of events) post({ event } satisfies EventEnvelope);
  };
}

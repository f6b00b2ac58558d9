/** Moves messages between a port and the core service: the body of the worker,
 * kept apart from the `self` global so tests can run it in-process. */
import type { CoreEvent, CoreService, EventEnvelope, FromCore, RequestEnvelope } from '../../core/protocol';

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
      post({ id, ok: true, result: handled.result });
    } catch (e) {
      post({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
    for (const event of events) post({ event } satisfies EventEnvelope);
  };
}

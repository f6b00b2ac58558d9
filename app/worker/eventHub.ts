/** Typed fan-out of core events to whoever listens (Compiler Explorer's event map):
 * `on('diagnostics', e => ...)` gets exactly the diagnostics events, typed. Later
 * views subscribe to simulation events the same way. */
import type { CoreEvent, CoreEventType } from '../../core/protocol';

export type EventOf<T extends CoreEventType> = Extract<CoreEvent, { type: T }>;

export interface EventHub {
  on<T extends CoreEventType>(type: T, listener: (event: EventOf<T>) => void): () => void;
  emit(event: CoreEvent): void;
}

export function createEventHub(): EventHub {
  const listeners = new Map<CoreEventType, Set<(e: CoreEvent) => void>>();
  return {
    on(type, listener) {
      const set = listeners.get(type) ?? new Set();
      listeners.set(type, set);
      const l = listener as (e: CoreEvent) => void;
      set.add(l);
      return () => set.delete(l);
    },
    emit(event) {
      for (const l of listeners.get(event.type) ?? []) {
        try {
          l(event);
        } catch (e) {
          console.error(`listener for core event '${event.type}' failed`, e);
        }
      }
    },
  };
}

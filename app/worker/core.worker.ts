/// <reference lib="webworker" />
/** The core's Web Worker: a thin shell around core/protocol's service. */
import { createCoreService } from '../../core/protocol';
import { coreBackends } from '../../core/protocol/backends';
import { serve } from './shell';

declare const self: DedicatedWorkerGlobalScope;

/** a macrotask without setTimeout's clamping, so a running simulation loses little speed when it yields */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = (): Promise<void> =>
  new Promise((r) => {
    waiting.push(r);
    channel.port2.postMessage(null);
  });

const service = createCoreService(coreBackends, { emit: (event) => self.postMessage({ event }), clock: () => performance.now(), yieldNow });
const handle = serve(service, (m) => self.postMessage(m));
self.onmessage = (e: MessageEvent) => handle(e.data);

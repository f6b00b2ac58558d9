/// <reference lib="webworker" />
/** The core's Web Worker: a thin shell around core/protocol's service. */
import { createCoreService } from '../../core/protocol';
import { coreBackends } from '../../core/protocol/backends';
import { serve } from './shell';

declare const self: DedicatedWorkerGlobalScope;

const handle = serve(createCoreService(coreBackends), (m) => self.postMessage(m));
self.onmessage = (e: MessageEvent) => handle(e.data);

/** Loads Monaco on first use, wired to the core through the services. */
import type { Services } from '../shell/services';
import { declarationOf } from './declarations';
import type { Monaco } from './monacoSetup';

let loading: Promise<Monaco> | null = null;

export function loadMonaco(services: Services): Promise<Monaco> {
  loading ??= import('./monacoSetup').then((m) =>
    m.setupMonaco({
      complete: (path, line, column) => {
        services.sync.flush();
        return services.core.request('sdf.complete', { path, line, column });
      },
      hover: (path, line, column) => {
        services.sync.flush();
        return services.core.request('sdf.hover', { path, line, column });
      },
      definition: (path, name) => {
        const { system, systemPath } = services.problems.getState();
        return system && systemPath === path ? declarationOf(system, name) : null;
      },
    }),
  );
  return loading;
}

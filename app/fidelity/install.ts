import { lazy } from 'react';
import type { Services } from '../shell/services';

const FidelityView = lazy(() => import('./FidelityView').then((m) => ({ default: m.FidelityView })));

/** The "Simplified" tab and the palette action that opens it. */
export function installFidelityView(services: Services): void {
  services.views.register({ id: 'fidelity', title: 'Simplified', area: 'right', order: 90, component: FidelityView });
  services.actions.register({
    id: 'help.fidelity',
    label: 'What does the simulator simplify?',
    category: 'Help',
    keywords: ['fidelity', 'simplifications', 'differences', 'faithful'],
    run: (s) => s.ui.getState().showView('right', 'fidelity'),
  });
}

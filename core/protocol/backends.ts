/** The real language services, as the worker uses them. */
import * as sdf from '../sdf';
import type { LanguageBackends } from './languages';

// Completion and hover are still being written in core/sdf; until they are exported
// the editor offers none.
const pending = sdf as Partial<Pick<LanguageBackends, 'completionsAt' | 'hoverAt'>>;

export const coreBackends: LanguageBackends = {
  checkSdf: sdf.checkSdf,
  completionsAt: (...args) => pending.completionsAt?.(...args) ?? [],
  hoverAt: (...args) => pending.hoverAt?.(...args) ?? null,
};

/** The real language services, as the worker uses them. */
import type { LanguageBackends } from './languages';

// core/sdf and core/x86's assembler are being written; until their index modules
// exist the worker answers with no diagnostics, completions or hovers.
export const coreBackends: LanguageBackends = {
  checkSdf: () => ({ system: null, diagnostics: [] }),
  completionsAt: () => [],
  hoverAt: () => null,
};

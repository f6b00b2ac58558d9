/** The real language services, as the worker uses them. */
import { checkProgram } from '../microkit';
import { checkSdf, completionsAt, hoverAt } from '../sdf';
import { assemble } from '../x86/asm';
import type { LanguageBackends } from './languages';

export const coreBackends: LanguageBackends = {
  checkSdf,
  completionsAt,
  hoverAt,
  checkProgram,
  // Guests start in long mode in the simulator (see core/examples/SIMPLIFICATIONS.md),
  // so sources without a `bits` directive are 64-bit code.
  assemble: (source, fileName) => assemble(source, { fileName, bits: 64 }),
};

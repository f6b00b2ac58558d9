/** Bundle entry for A/B timing: one build of the maximal system per call. */
import { findBoard } from '../../core/boards';
import { checkSdf } from '../../core/sdf';
import { maximalSystem } from '../../core/sdf/maximal';
import { buildSystem } from '../../core/build';

const board = findBoard('x86_64_generic_vtx')!;
const system = checkSdf(maximalSystem(), { fileName: 'bench.system', kernel: board.kernel }).system!;
export const buildOnce = (): unknown => buildSystem(system, { board });

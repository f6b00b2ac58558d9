/** The build and capability-lab requests (issue 8): the views ask the core to build the main system and
 * get back a serialisable picture of it; the console runs libsel4 lines against the built kernel. */
import type { BootMode, BuildDescription } from '../build';
import type { Diagnostic } from './languages';

/** One cap in the kernel's derivation tree (MDB order: parents before their children). */
export interface CapNode {
  /** kernel slot id (stable while the build lives) */
  slot: number;
  /** index of the parent node in `BuildView.caps`, -1 for a root */
  parent: number;
  depth: number;
  capType: string;
  /** caps to the same object share this key (kernel object id, IRQ number or untyped address) */
  objectKey: string | null;
  /** the object's name from the build (SDF names), null when unknown */
  objectName: string | null;
  /** who holds the slot: 'initialiser', a CNode's name (cnode_<pd>), a TCB's bound slots, 'IRQ table' */
  holder: string;
  /** the PD whose CSpace holds it (null: the initialiser or kernel tables) */
  pd: string | null;
  /** slot index inside the holder */
  index: number;
  rights: string;
  badge: string | null;
  /** physical address of the object (frames, untypeds), hex */
  paddr: string | null;
  sizeBits: number;
}

export interface BuildView {
  ok: boolean;
  board: string;
  bootMode: BootMode;
  /** with the address spaces' mappings read back from the live kernel (the console can change them) */
  description: BuildDescription | null;
  diagnostics: Diagnostic[];
  caps: CapNode[];
  /** counts the console lines that ran on this build, so views can tell a fresh picture */
  revision: number;
  /** the radix of the initialiser's CNode: cptrs in the console are slot indices in it */
  rootCNodeBits: number;
}

export interface LabLine {
  text: string;
  ok: boolean;
  output: string;
  notes: string[];
}

export interface BuildRequests {
  /** build the main system (the diagnostics also go out as a `diagnostics` event on the main file) */
  'build.run': { payload: { bootMode: BootMode }; result: BuildView };
  /** run one lab line as the initialiser; returns the line's result and the changed picture */
  /** `bootMode` builds first when the core has no build (e.g. after a worker restart) */
  'build.lab': { payload: { line: string; bootMode: BootMode }; result: { line: LabLine | null; view: BuildView } };
  'build.canAllocate': { payload: { bytes: string; align: string; bootMode: BootMode }; result: { ok: boolean; reason: string; paddr: string | null } };
}

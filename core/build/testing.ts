/** Test helpers: load an SDF (text or conformance example) and build it. Used by tests and the bench. */
import { findBoard, type Board } from '../boards';
import { checkSdf, type SystemDescription } from '../sdf';
import { buildSystem, type BuildResult } from './build';
import type { BootMode } from './bootImage';

export function parseFor(text: string, boardName: string, fileName = 'test.system', readFile?: (p: string) => Uint8Array | undefined): { system: SystemDescription; board: Board } {
  const board = findBoard(boardName);
  if (!board) throw new Error(`unknown board ${boardName}`);
  const r = checkSdf(text, { fileName, kernel: board.kernel, readFile: readFile ?? (() => new Uint8Array(64)) });
  if (!r.system) throw new Error(`SDF rejected: ${r.diagnostics.map((d) => d.toolMessage).join('\n')}`);
  return { system: r.system, board };
}

export function buildText(text: string, boardName: string, bootMode: BootMode = 'current', images?: Record<string, number>): BuildResult {
  const { system, board } = parseFor(text, boardName);
  return buildSystem(system, { board, bootMode, images });
}

/** The board the examples are meant for: x86 systems name it or use x86-only elements. */
export function exampleBoard(fileName: string, text: string): string {
  const x86 = /x86/.test(fileName) || /<ioport|pcidev=|<io_address_space/.test(text);
  return x86 ? 'x86_64_generic_vtx' : 'qemu_virt_aarch64';
}

/** Build-stage diagnostics: problems only the build can see (memory, physical addresses, page-table
 * conflicts), worded like the tool where the tool has a message, and tied to the SDF element. */
import type { Diagnostic, SourcePos } from '../sdf';

export class BuildFail extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.toolMessage);
  }
}

export function buildDiag(code: string, toolMessage: string, pos: SourcePos | null, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  const line = pos?.line ?? 1;
  const column = pos?.column ?? 1;
  const message = toolMessage.replace(/^(Error|ERROR|warning): /, '');
  return { severity, message, toolMessage, line, column, endLine: line, endColumn: column + 1, code };
}

/** The tool's `human_size_strict`: exact sizes as "4 KiB", inexact ones with two decimals. */
export function humanSize(size: bigint): string {
  const units: [bigint, string][] = [[60n, 'EiB'], [50n, 'PiB'], [40n, 'TiB'], [30n, 'GiB'], [20n, 'MiB'], [10n, 'KiB'], [0n, 'bytes']];
  for (const [bits, label] of units) {
    const base = 1n << bits;
    if (size > base) {
      if (base > 1n && size % base !== 0n) return `${(Number(size) / Number(base)).toFixed(2)} ${label}`;
      return `${(size / base).toLocaleString('en-US')} ${label}`;
    }
  }
  return `${size} bytes`;
}

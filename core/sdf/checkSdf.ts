/** The language service's validator: the microkit tool's verdict on an SDF, with its
 * first error first and the further independent errors after it. Pure and synchronous. */
import type { KernelConfig } from '../boards';
import type { Diagnostic } from './api';
import type { Ctx } from './context';
import { crossChecks } from './crossChecks';
import { Reporter } from './diag';
import { finalChecks } from './finalChecks';
import type { SystemDescription } from './model';
import { parseSystem } from './parseSystem';
import { parseXml } from './xml';

export interface CheckOptions {
  fileName: string;
  kernel: KernelConfig;
  /** resolves `prefill_path` (relative to the SDF); undefined when the file does not exist */
  readFile?: (path: string) => Uint8Array | undefined;
}

export interface CheckResult {
  system: SystemDescription | null;
  diagnostics: Diagnostic[];
}

export function checkSdf(text: string, opts: CheckOptions): CheckResult {
  const r = new Reporter(opts.fileName, text);
  const ctx: Ctx = { kernel: opts.kernel, r, readFile: opts.readFile };
  const doc = parseXml(text);
  if (doc.error || !doc.root) {
    const e = doc.error ?? { message: 'no root element', line: 1, column: 1 };
    const tool = `Could not parse '${opts.fileName}': ${e.message} at ${e.line}:${e.column}`;
    r.push(r.make('B.1.xml', tool, tool, { line: e.line, column: e.column }));
    return { system: null, diagnostics: r.diagnostics };
  }
  if (doc.root.name !== 'system') {
    // the tool panics here
    r.push(r.bare('B.1.root', `Error: the root element must be 'system', not '${doc.root.name}'`, doc.root).diagnostic);
    return { system: null, diagnostics: r.diagnostics };
  }
  let parsed;
  try {
    parsed = parseSystem(ctx, doc.root);
    crossChecks(ctx, parsed);
    finalChecks(ctx, parsed);
  } catch (e) {
    // a bug here must not take the editor down with it: report it where it can be seen
    const why = e instanceof Error ? e.message : String(e);
    r.push(r.make('internal', `Error: internal error in the SDF checker: ${why}`, `internal error in the SDF checker: ${why}`, doc.root));
    return { system: null, diagnostics: r.diagnostics };
  }
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  const others = r.diagnostics.filter((d) => d.severity !== 'error');
  const diagnostics = [...errors, ...others];
  if (errors.length > 0) return { system: null, diagnostics };
  const system: SystemDescription = {
    fileName: opts.fileName,
    arch: opts.kernel.arch,
    protectionDomains: parsed.pds,
    memoryRegions: parsed.mrs,
    channels: parsed.channels,
    ioAddressSpaces: parsed.ioSpaces,
    domains: parsed.domains.schedule,
    pos: { line: doc.root.line, column: doc.root.column },
  };
  return { system, diagnostics };
}

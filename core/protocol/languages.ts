/** The language services the core answers with: the SDF service from core/sdf and
 * the x86 assembler from core/x86. Injected into the service so it can be tested
 * with the real ones and run in the worker without knowing where they come from. */
import type { KernelConfig } from '../boards';
import type { CheckOptions, CheckResult, CompletionItem, Diagnostic, HoverInfo, SystemDescription } from '../sdf';

export type { CompletionItem, Diagnostic, HoverInfo, SystemDescription };
export type SdfCheckOptions = CheckOptions;

export interface AsmError {
  line: number;
  column: number;
  endColumn?: number;
  message: string;
}

export interface LanguageBackends {
  checkSdf(text: string, options: CheckOptions): CheckResult;
  completionsAt(text: string, line: number, column: number, kernel: KernelConfig): CompletionItem[];
  hoverAt(text: string, line: number, column: number, kernel: KernelConfig): HoverInfo | null;
  /** the PD-program loader's syntax check (what the runtime will accept), for `*.js` */
  checkProgram(source: string): { line: number; column: number; message: string } | null;
  /** the x86 assembler, for guest sources */
  assemble(source: string, fileName: string): { errors: AsmError[] };
}

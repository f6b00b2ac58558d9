/** Everything Monaco needs, loaded lazily (the shell paints first): the editor, its
 * web workers (bundled by Vite, no CDN), JavaScript syntax checking for PD programs,
 * an x86 assembly tokenizer, the SDF completion and hover providers (answered by
 * the core worker) and the two themes. */
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import type { CompletionItem, HoverInfo } from '../../core/protocol';
import { ASM_LANGUAGE, SDF_LANGUAGE, pathOfUri } from './languages';
import { x86AsmLanguage } from './x86asm';

export type Monaco = typeof monaco;

export interface SdfProviders {
  complete(path: string, line: number, column: number): Promise<CompletionItem[]>;
  hover(path: string, line: number, column: number): Promise<HoverInfo | null>;
  /** where the PD, VM or memory region called `name` is declared */
  definition(path: string, name: string): { line: number; column: number } | null;
}

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
};

let configured = false;

export function setupMonaco(providers: SdfProviders): Monaco {
  if (configured) return monaco;
  configured = true;

  // PD programs: syntax errors only; the `mk` API has no type declarations yet.
  monaco.typescript.javascriptDefaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false });
  monaco.typescript.javascriptDefaults.setCompilerOptions({
    target: monaco.typescript.ScriptTarget.ES2020,
    module: monaco.typescript.ModuleKind.ESNext,
    allowNonTsExtensions: true,
    allowJs: true,
  });

  monaco.languages.register({ id: ASM_LANGUAGE, extensions: ['.asm'], aliases: ['x86 assembly'] });
  monaco.languages.setMonarchTokensProvider(ASM_LANGUAGE, x86AsmLanguage);
  monaco.languages.setLanguageConfiguration(ASM_LANGUAGE, { comments: { lineComment: ';' } });

  const kinds: Record<CompletionItem['kind'], monaco.languages.CompletionItemKind> = {
    element: monaco.languages.CompletionItemKind.Module,
    attribute: monaco.languages.CompletionItemKind.Property,
    value: monaco.languages.CompletionItemKind.EnumMember,
  };

  monaco.languages.registerCompletionItemProvider(SDF_LANGUAGE, {
    triggerCharacters: ['<', ' ', '"'],
    async provideCompletionItems(model, position) {
      const path = pathOfUri(model.uri);
      if (!path) return { suggestions: [] };
      const items = await providers.complete(path, position.lineNumber, position.column).catch(() => []);
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      return {
        suggestions: items.map((it, i) => ({
          label: it.label,
          kind: kinds[it.kind],
          insertText: it.insertText,
          insertTextRules: it.isSnippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
          detail: it.detail,
          documentation: { value: it.documentation },
          sortText: String(i).padStart(4, '0'),
          range,
        })),
      };
    },
  });

  monaco.languages.registerHoverProvider(SDF_LANGUAGE, {
    async provideHover(model, position) {
      const path = pathOfUri(model.uri);
      if (!path) return null;
      const h = await providers.hover(path, position.lineNumber, position.column).catch(() => null);
      if (!h) return null;
      return { contents: [{ value: h.contents }], range: new monaco.Range(h.line, h.column, h.endLine, h.endColumn) };
    },
  });

  // Go to definition (F12, Ctrl+click) on a name: pd="serial" jumps to the serial PD.
  monaco.languages.registerDefinitionProvider(SDF_LANGUAGE, {
    provideDefinition(model, position) {
      const path = pathOfUri(model.uri);
      const word = model.getWordAtPosition(position);
      if (!path || !word) return null;
      const target = providers.definition(path, word.word);
      if (!target || target.line === position.lineNumber) return null; // already at the declaration
      return { uri: model.uri, range: new monaco.Range(target.line, target.column, target.line, target.column) };
    },
  });

  monaco.editor.defineTheme('studio-light', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#9aa3ad', 'editor.lineHighlightBackground': '#f4f6f9' },
  });
  monaco.editor.defineTheme('studio-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#1b1e24', 'editorLineNumber.foreground': '#5c6370', 'editor.lineHighlightBackground': '#22262e' },
  });
  return monaco;
}

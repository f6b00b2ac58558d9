/** A Monarch tokenizer for Intel-syntax x86 assembly (NASM flavour), for colouring only. */
import type { languages } from 'monaco-editor';

export const x86AsmLanguage: languages.IMonarchLanguage = {
  ignoreCase: true,
  registers:
    /\b(?:[re]?(?:ax|bx|cx|dx|si|di|sp|bp|ip)|[abcd][lh]|(?:si|di|sp|bp)l|r(?:8|9|1[0-5])[dwb]?|[cdefgs]s|cr[0-8]|dr[0-7]|[xyz]mm\d+)\b/,
  directives: /\b(?:bits|org|section|segment|global|extern|align|times|equ|db|dw|dd|dq|resb|resw|resd|resq|byte|word|dword|qword|ptr|rel)\b/,
  tokenizer: {
    root: [
      [/;.*$/, 'comment'],
      [/^\s*[.A-Za-z_$][\w.$]*:/, 'type.identifier'],
      [/"([^"\\]|\\.)*"|'([^'\\]|\\.)*'/, 'string'],
      [/\b0x[0-9a-f_]+\b|\b[0-9][0-9a-f_]*h\b|\b\d+\b/, 'number'],
      [/@registers/, 'variable.predefined'],
      [/@directives/, 'keyword.directive'],
      [/^\s*[a-z][a-z0-9]*\b/, 'keyword'],
      [/[[\]+\-*,:]/, 'delimiter'],
    ],
  },
};

/** Every diagnostic the assembler can give, worded in one place. Columns are 1-based. */
export interface AsmError {
  line: number;
  column: number;
  endColumn?: number;
  message: string;
}

/** Thrown inside the assembler for one statement and caught by the driver; it never
 * leaves `assemble()`. Line is filled in by the driver. Deliberately not an Error:
 * trying a form that does not fit is routine, and capturing stack traces is costly. */
export class StatementError {
  constructor(
    readonly message: string,
    readonly column: number,
    readonly endColumn?: number,
  ) {}
}

export const MSG = {
  unknownMnemonic: (m: string) => `unknown mnemonic '${m}'`,
  badCombination: (m: string) => `invalid combination of opcode and operands for '${m}'`,
  sizeNotSpecified: () => 'operation size not specified',
  outOfRange: (v: bigint, bits: number) => `value ${v} out of range for ${bits}-bit operand`,
  dataOutOfRange: (v: bigint, bits: number) => `value ${v} does not fit in ${bits} bits`,
  undefinedSymbol: (s: string) => `undefined symbol '${s}'`,
  duplicateLabel: (s: string, line: number) => `duplicate label '${s}' (first defined on line ${line})`,
  shortJumpOutOfRange: (d: bigint) => `short jump is out of range (distance ${d})`,
  nearJumpOutOfRange: () => 'near jump target is out of range',
  divisionByZero: () => 'division by zero',
  expectedExpression: () => 'expression expected',
  unexpected: (t: string) => `unexpected '${t}'`,
  invalidNumber: (t: string) => `invalid number '${t}'`,
  unterminatedString: () => 'unterminated string',
  unbalanced: (c: string) => `missing '${c}'`,
  timesNegative: (v: bigint) => `TIMES value ${v} is negative`,
  timesTooLarge: (v: bigint) => `TIMES value ${v} is too large`,
  outputTooLarge: () => 'output exceeds the 64 MiB limit',
  notConstant: (what: string) => `${what} must be a constant known in the first pass`,
  registerNeeds64: (r: string) => `register '${r}' is only available in 64-bit mode`,
  highByteWithRex: (r: string) => `'${r}' cannot be used in an instruction that needs a REX prefix`,
  invalidAddress: (why: string) => `invalid effective address: ${why}`,
  dispOutOfRange: (v: bigint) => `displacement ${v} does not fit in a sign-extended 32-bit field`,
  notIn64: (m: string) => `'${m}' is not valid in 64-bit mode`,
  only64: (m: string) => `'${m}' is only valid in 64-bit mode`,
  badBits: () => "'bits' must be 16, 32 or 64",
  alignPower: () => 'alignment must be a power of two',
  originRedefined: () => 'program origin redefined (org must come before any code or data)',
  labelExpected: (d: string) => `'${d}' needs a label before it`,
  notConverged: () => 'could not settle instruction sizes (circular dependency between labels and sizes?)',
  registerInExpression: (r: string) => `register '${r}' is not allowed here`,
  unsupportedDirective: (d: string) => `unsupported directive '${d}'`,
  preprocessor: (d: string) => `preprocessor directives like '${d}' are not supported (only %define and %undef)`,
  defineName: () => '%define needs a name',
  defineLoop: () => '%define expands into itself',
  lockNotAllowed: (m: string) => `'lock' is not allowed with '${m}'`,
} as const;

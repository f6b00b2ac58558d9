/** A small argument parser shared by every command: positionals, `--flag`, `--opt VALUE`, `-o VALUE`. */
export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  options: Map<string, string>;
}

export class UsageError extends Error {}

export function parseArgs(args: string[], spec: { flags?: string[]; options?: string[] }): ParsedArgs {
  const flags = new Set<string>();
  const options = new Map<string, string>();
  const positionals: string[] = [];
  const knownFlags = new Set(spec.flags ?? []);
  const knownOptions = new Set(spec.options ?? []);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-') && a !== '-') {
      const eq = a.indexOf('=');
      const key = eq >= 0 ? a.slice(0, eq) : a;
      if (knownFlags.has(key)) {
        flags.add(key);
      } else if (knownOptions.has(key)) {
        const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined) throw new UsageError(`option ${key} needs a value`);
        options.set(key, value);
      } else {
        throw new UsageError(`unknown option '${key}'`);
      }
    } else {
      positionals.push(a);
    }
  }
  return { positionals, flags, options };
}

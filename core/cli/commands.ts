import type { CliCommand } from './io';

/** Every CLI command, loaded on demand so `check` does not pay for the x86 CPU. */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  check: { summary: 'check FILE.system [--board NAME] [--json]   validate a system description', load: async () => (await import('./commands/check')).default },
  sel4: { summary: 'sel4 SCRIPT [--board NAME] [--json]         run libsel4 invocations against a booted kernel', load: async () => (await import('./commands/sel4')).default },
  build: { summary: 'build FILE.system [--board NAME] [--boot-mode current|legacy] [--report] [--json]', load: async () => (await import('./commands/build')).default },
  run: { summary: 'run FILE.system [--board NAME] [--max-events N] [--json] [--trace OUT.jsonl]', load: async () => (await import('./commands/run')).default },
  asm: { summary: 'asm FILE.asm [-o OUT.bin]                   assemble x86 (Intel syntax)', load: async () => (await import('./commands/asm')).default },
  x86: { summary: 'x86 FILE.asm|FILE.bin [--mode 16|32|64] [--max-instructions N] [--json]', load: async () => (await import('./commands/x86')).default },
};

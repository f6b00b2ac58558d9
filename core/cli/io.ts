/** What a CLI command may touch: its arguments and these streams and files.
 * Keeping it an interface lets tests run commands in-process. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Uint8Array;
  readText(path: string): string;
  writeFile(path: string, data: Uint8Array | string): void;
  exists(path: string): boolean;
  /** the names in a folder, or undefined when the path is not a folder */
  listDir?(path: string): string[] | undefined;
  cwd: string;
}

export type CliCommand = (args: string[], io: CliIO) => Promise<number> | number;

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

/** `npm run bench`: runs every `bench/*.bench.ts` (or those named on the command line)
 * and prints their figures. Each bench module default-exports an async function that
 * returns rows of figures; nothing here is a pass/fail test. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** the target from the issue, e.g. "< 30 ms" */
  target?: string;
  note?: string;
}

export type Bench = () => Promise<BenchRow[]>;

const dir = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

function fmt(v: number): string {
  if (Math.abs(v) >= 1000) return v.toLocaleString('en-US', { maximumFractionDigits: 0 });
  return v.toPrecision(4);
}

for (const f of files) {
  const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default: Bench };
  console.log(`\n## ${f.replace('.bench.ts', '')}`);
  try {
    const rows = await mod.default();
    for (const r of rows) {
      const target = r.target ? `  (target ${r.target})` : '';
      const note = r.note ? `  ${r.note}` : '';
      console.log(`  ${r.name.padEnd(60)} ${fmt(r.value).padStart(12)} ${r.unit}${target}${note}`);
    }
  } catch (e) {
    console.log(`  failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

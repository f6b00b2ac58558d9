/** Writes docs/sdf-reference.md from the SDF schema table. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSdfReference } from '../core/sdf';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'docs', 'sdf-reference.md');
writeFileSync(out, renderSdfReference());
console.log(`wrote ${path.relative(root, out)}`);

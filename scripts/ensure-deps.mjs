// Installs npm dependencies when they are missing or older than the lockfile,
// so that `npm start`, `npm test` and `npm run cli` work on a fresh clone.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function ensureDeps() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const manifest = path.join(root, 'package.json');
  const stale =
    !existsSync(marker) ||
    (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000) ||
    statSync(manifest).mtimeMs > statSync(marker).mtimeMs + 1000;
  if (!stale) return;
  const useCi = existsSync(lock) && !existsSync(path.join(root, 'node_modules'));
  const args = useCi ? ['ci'] : ['install'];
  process.stderr.write(`[microkit-studio] installing dependencies (npm ${args[0]})...\n`);
  const res = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: root,
    stdio: ['ignore', process.stderr, 'inherit'],
  });
  if (res.status !== 0) {
    process.stderr.write('[microkit-studio] npm install failed\n');
    process.exit(res.status ?? 1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureDeps();

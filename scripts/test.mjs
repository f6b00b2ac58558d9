// `npm test`: install what is missing, then run every test: Vitest (unit, conformance,
// headless simulations) and Playwright end-to-end tests against the production build.
import { spawnSync } from 'node:child_process';
import { ensureDeps } from './ensure-deps.mjs';

ensureDeps();
function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { stdio: 'inherit' });
  return res.status ?? 1;
}
let failed = 0;
if (run('npx', ['vitest', 'run']) !== 0) failed++;
if (run('npx', ['vite', 'build', '--logLevel', 'warn']) !== 0) failed++;
else if (run('npx', ['playwright', 'test']) !== 0) failed++;
process.exit(failed ? 1 : 0);

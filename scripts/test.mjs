// `npm test`: install what is missing, then run every test: Vitest (unit, conformance,
// headless simulations) and Playwright end-to-end tests against the production build.
// Ends with one plain line "tests: N passed, N failed" summed over both runners.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { ensureDeps } from './ensure-deps.mjs';

ensureDeps();
mkdirSync('test-results', { recursive: true });
const VITEST_JSON = 'test-results/vitest.json';
const PLAYWRIGHT_JSON = 'test-results/playwright.json';

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return res.status ?? 1;
}

function readJson(path) {
  try {
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
  } catch {
    return null;
  }
}

let failedSteps = 0;
let passed = 0;
let failed = 0;

if (run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_JSON}`]) !== 0) failedSteps++;
const vitest = readJson(VITEST_JSON);
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += (vitest.numFailedTests ?? 0) + (vitest.numFailedTestSuites ?? 0);
}

if (run('npx', ['vite', 'build', '--logLevel', 'warn']) !== 0) {
  failedSteps++;
} else {
  if (run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: PLAYWRIGHT_JSON }) !== 0) failedSteps++;
  const pw = readJson(PLAYWRIGHT_JSON);
  if (pw?.stats) {
    passed += (pw.stats.expected ?? 0) + (pw.stats.flaky ?? 0);
    failed += pw.stats.unexpected ?? 0;
  }
}

if (failedSteps && !failed) failed = failedSteps;
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps ? 1 : 0);

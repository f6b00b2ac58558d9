/** Issue 9, VM exits live: open the IOAPIC/LAPIC-timer guest, break on the first EPT violation, read the decoded
 * exit, step back and forward, then run to the end and compare the log's counts with the CLI's `run --json`. */
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { Studio } from './helpers';

const EXAMPLE = 'x86-vm-timer';

/** The expectation: the CLI's `run --json` on the same example (the same core, headless in Node, no UI involved). */
function cliCounts(): Record<string, number> {
  // playwright runs from the repo root
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'run', `core/examples/${EXAMPLE}`, '--json'], { encoding: 'utf8' });
  if (cli.status !== 0) throw new Error(`the CLI failed: ${cli.stderr}`);
  const out = JSON.parse(cli.stdout) as { vms: { name: string; exitCounts: Record<string, number> }[] };
  return out.vms.find((v) => v.name === 'guest')!.exitCounts;
}

async function openExample(page: Page, id: string) {
  await page.locator('[data-action="examples.open"]').click();
  await page.getByTestId(`example-${id}`).click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
}

const ripOf = (page: Page) => page.locator('[data-testid="vcpu-registers"] [data-reg="rip"] .reg-value').textContent();

test('break on the first EPT violation at the IOAPIC, step back and forward, counts match the CLI\'s --json', async ({ page }) => {
  const studio = new Studio(page);
  await studio.reset();
  await page.setViewportSize({ width: 1600, height: 1000 });
  await studio.open();
  await openExample(page, EXAMPLE);
  // a taller bottom dock, as a user would drag it, so the log reads well in the screenshots
  await page.evaluate(() => document.documentElement.style.setProperty('--bottom-height', '380px'));
  await page.getByText('Dismiss').click();

  await page.getByTestId('tab-run').click();
  await page.getByLabel('Breakpoint kind').selectOption('vm-exit');
  await page.getByLabel('Exit reason').selectOption({ label: 'EPT violation' });
  await page.getByTestId('add-breakpoint').click();
  await expect(page.getByTestId('breakpoints')).toContainText('VM exit: EPT violation');

  await page.keyboard.press('F5');
  const position = page.getByTestId('run-position').first();
  await expect(position).toContainText('breakpoint: VM exit EPT violation in guest');

  await page.getByTestId('tab-vm-exits').click();
  const hit = page.locator('.exit-row.hit');
  await expect(hit).toContainText('EPT violation');
  await expect(hit).toContainText('0xfec00000');
  await expect(hit).toContainText('(IOAPIC)');
  await expect(hit.locator('.mono')).toHaveText(/^mov /);

  await page.getByTestId('tab-vcpu').click();
  const hitRip = await hit.locator('.num').nth(2).textContent();
  await expect.poll(() => ripOf(page)).toBe(hitRip);
  await expect(page.getByTestId('vcpu-disasm').locator('tr.current')).toContainText('mov');
  await studio.screenshot('30-vmexit-ept-breakpoint');

  // step back one event: the run moves to the previous exit's step and RIP moves with it
  const stepsAtHit = Number((await position.textContent())!.match(/Step (\d+)/)![1]);
  await page.keyboard.press('Shift+F11');
  await expect(position).toContainText(`Step ${stepsAtHit - 1} `);
  await expect.poll(() => ripOf(page)).not.toBe(hitRip);
  await studio.screenshot('31-step-back');
  await page.keyboard.press('F10');
  await expect(position).toContainText(`Step ${stepsAtHit} `);

  // run to the end without the breakpoint; the counts by reason are those of the headless run
  await page.getByTestId('tab-run').click();
  await page.getByTestId('breakpoints').getByTitle('Remove').click();
  await page.keyboard.press('F5');
  await expect(position).toContainText('finished', { timeout: 60_000 });
  await page.getByTestId('tab-vm-exits').click();
  const expected = cliCounts();
  for (const [name, n] of Object.entries(expected)) {
    await expect(page.getByTestId('exit-counts').locator(`td[data-reason="${name}"]`)).toHaveText(n.toLocaleString('en'));
  }
  await expect(page.getByTestId('exit-counts').locator('tr')).toHaveCount(Object.keys(expected).length);
  // the log follows the run: its newest exit is in sight
  const all = Object.values(expected).reduce((a, b) => a + b, 0);
  await expect(page.locator('.vmexits-rows .exit-row').last()).toHaveAttribute('data-exit', String(all - 1));
  await expect(page.locator('.vmexits-rows .exit-row').last()).toBeInViewport();
  await studio.screenshot('32-vmexit-log');

  // filter by reason: only EPT violations are listed
  await page.getByTestId('exit-filter').selectOption({ index: Object.keys(expected).sort((a, b) => expected[b] - expected[a]).indexOf('EPT violation') + 1 });
  await expect(page.locator('.vmexits-rows .exit-row')).toHaveCount(expected['EPT violation']);
  await expect(page.locator('.vmexits-rows .exit-row .reason').first()).toHaveText('EPT violation');
});

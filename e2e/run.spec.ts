/** Issue 9, run controls: ping-pong to a channel breakpoint, the timeline shows pong preempting ping; step and
 * step back move every view; consoles show the PDs' output. */
import { expect, test, type Page } from '@playwright/test';
import { Studio } from './helpers';

async function openExample(page: Page, id: string) {
  await page.locator('[data-action="examples.open"]').click();
  await page.getByTestId(`example-${id}`).click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
}

/** a taller bottom dock, as a user would drag it, so the run views read well in the screenshots */
const tallBottom = (page: Page) => page.evaluate(() => document.documentElement.style.setProperty('--bottom-height', '380px'));

test('ping-pong runs to a channel breakpoint and the timeline shows the preemption', async ({ page }) => {
  const studio = new Studio(page);
  await studio.reset();
  await page.setViewportSize({ width: 1600, height: 1000 });
  await studio.open();
  await openExample(page, 'notify-pingpong');
  await tallBottom(page);

  // build first so the breakpoint form lists the PDs by name
  await page.locator('[data-action="sim.build"]').click();
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('run-view')).toContainText('pong');
  await page.getByLabel('Breakpoint kind').selectOption('channel');
  await page.getByLabel('Protection domain').selectOption('pong');
  // the channel is picked by the PD at its other end (names over numbers, from the SDF)
  await page.getByLabel('Channel').selectOption({ label: '0 — ping' });
  await page.getByTestId('add-breakpoint').click();
  await expect(page.getByTestId('breakpoints')).toContainText('pong: channel 0 (ping)');

  await page.locator('[data-action="sim.run"]').click();
  const position = page.getByTestId('run-position').first();
  await expect(position).toContainText('breakpoint:');
  await expect(position).toContainText('pong');
  await studio.screenshot('33-run-breakpoint');

  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId('timeline-svg')).toBeVisible();
  await expect(page.getByTestId('preemptions')).not.toHaveText('0');
  await expect(page.getByTestId('preemption-mark').first()).toBeAttached();
  await expect(page.locator('.timeline-bar')).toContainText('ping');
  await expect(page.locator('.timeline-bar')).toContainText('pong');
  await studio.screenshot('34-timeline-preemption');

  // step forward and back: the position moves in every view
  const steps = async () => Number((await position.textContent())!.match(/Step (\d+)/)![1]);
  const at = await steps();
  await page.keyboard.press('F10');
  await expect(position).toContainText(`Step ${at + 1} `);
  await page.keyboard.press('Shift+F11');
  await expect(position).toContainText(`Step ${at} `);

  // continue to the end: the consoles hold both PDs' output, interleaved and apart
  await page.getByTestId('tab-run').click();
  await page.getByTestId('breakpoints').getByTitle('Remove').click();
  await page.keyboard.press('F5');
  await expect(position).toContainText('finished', { timeout: 30_000 });
  await page.getByTestId('tab-consoles').click();
  await expect(page.getByTestId('console-interleaved')).toContainText('ping');
  await expect(page.getByTestId('console-interleaved')).toContainText('pong');
  await studio.screenshot('35-consoles');
  await page.getByRole('radio', { name: 'Apart' }).click();
  await expect(page.getByTestId('console-ping')).toBeVisible();
  await expect(page.getByTestId('console-pong')).toBeVisible();
});

test('the serial guest: console output and the run actions in the command palette', async ({ page }) => {
  const studio = new Studio(page);
  await studio.reset();
  await page.setViewportSize({ width: 1600, height: 1000 });
  await studio.open();
  await openExample(page, 'x86-vm-serial');
  await tallBottom(page);
  await page.getByTestId('tab-run').click();
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type('run to the next vm exit');
  await page.keyboard.press('Enter');
  const position = page.getByTestId('run-position').first();
  await expect(position).toContainText('next VM exit');
  await page.keyboard.press('F5');
  await expect(position).toContainText('finished', { timeout: 60_000 });
  await page.getByTestId('tab-consoles').click();
  await expect(page.locator('.console-line.vm').first()).toBeVisible();
  await studio.screenshot('36-serial-console');
});

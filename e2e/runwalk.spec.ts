/** Issue 9, walked as a person would at a small laptop size: what the run views show at 1280x720, with bad input,
 * with a system that has no VM, and names over numbers in the breakpoint form. */
import { expect, test, type Page } from '@playwright/test';
import { Studio } from './helpers';

async function openExample(page: Page, id: string) {
  await page.locator('[data-action="examples.open"]').click();
  await page.getByTestId(`example-${id}`).click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
}

async function start(page: Page, id: string) {
  const studio = new Studio(page);
  await studio.reset();
  await page.setViewportSize({ width: 1280, height: 720 });
  await studio.open();
  await openExample(page, id);
  return studio;
}

const position = (page: Page) => page.getByTestId('run-position').first();

test('the timeline fills its dock and a PPC into a higher-priority server is not a preemption', async ({ page }) => {
  const studio = await start(page, 'ppc-client-server');
  await page.getByTestId('tab-timeline').click();
  await page.keyboard.press('F5');
  await expect(position(page)).toContainText('finished');
  const svg = page.getByTestId('timeline-svg');
  await expect(svg).toBeVisible();
  const boxWidth = await page.locator('.timeline-box').evaluate((e) => e.clientWidth);
  await expect(svg).toHaveAttribute('width', String(boxWidth));
  await expect(page.locator('.timeline-bar')).toContainText('client');
  await expect(page.getByTestId('preemptions')).toHaveText('0');
  await expect(page.getByTestId('preemption-mark')).toHaveCount(0);
  await studio.screenshot('40-timeline-ppc-1280');
});

test('guest memory: bad input is refused, an unmapped address is explained, a mapped one named', async ({ page }) => {
  const studio = await start(page, 'x86-vm-timer');
  await page.getByTestId('tab-run').click();
  await page.keyboard.press('F5');
  await expect(position(page)).toContainText('finished', { timeout: 30_000 });
  await page.getByTestId('tab-vcpu').click();
  const address = page.getByLabel('Guest-physical address');
  await address.fill('0x1000');
  await expect(page.getByTestId('vcpu-memory-note')).toHaveText('guest_ram+0x1000 (rwx)');
  await expect(page.getByTestId('vcpu-memory').locator('tr').first()).toContainText('0x00001000');

  await address.fill('zzz');
  await expect(page.getByTestId('vcpu-memory-error')).toContainText('not an address');
  await expect(page.getByTestId('vcpu-memory')).toHaveCount(0);
  await address.fill('0xffffffffffffffff');
  await expect(page.getByTestId('vcpu-memory-error')).toContainText('past the largest guest-physical address');
  await expect(page.getByTestId('vcpu-memory')).toHaveCount(0);

  await address.fill('0x300000');
  await expect(page.getByTestId('vcpu-memory-note')).toContainText('Nothing is mapped at 0x300000');
  await expect(page.getByTestId('vcpu-memory-note')).toContainText('guest_ram 0x0–0x200000');
  await expect(page.getByTestId('vcpu-memory').locator('tr').first()).toContainText('0x00300000');
  await studio.screenshot('41-guest-memory-unmapped');
});

test('a system without a VM: no guest stepping, the VM views say why they are empty, IRQ breakpoints by name', async ({ page }) => {
  const studio = await start(page, 'timer-driver');
  await page.locator('[data-action="sim.build"]').click();
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('run-view')).toContainText('client');
  await expect(position(page)).toContainText('ready to run');
  await expect(page.locator('[data-action="sim.stepInstruction"]')).toBeDisabled();

  // the IRQ is picked by what it is wired to, and the breakpoint says so
  await page.getByLabel('Breakpoint kind').selectOption('irq');
  await page.getByLabel('Protection domain').selectOption('timer');
  await page.getByLabel('IRQ').selectOption({ label: '1 — IOAPIC pin 8, vector 40' });
  await page.getByTestId('add-breakpoint').click();
  await expect(page.getByTestId('breakpoints')).toContainText('IRQ 1 of timer (IOAPIC pin 8, vector 40)');
  await page.keyboard.press('F5');
  await expect(position(page)).toContainText('breakpoint:');

  await page.getByTestId('tab-vm-exits').click();
  await expect(page.getByTestId('exits-empty')).toHaveText('This system has no virtual machine, so there are no VM exits.');
  await expect(page.getByTestId('exit-rate')).toHaveCount(0);
  await page.getByTestId('tab-vcpu').click();
  await expect(page.getByTestId('vcpu-view')).toContainText('This system has no virtual machine');
  await studio.screenshot('42-no-vm');
});

test('choosing an exit in the log says the run is at that exit; the palette finds a label typed as written', async ({ page }) => {
  const studio = await start(page, 'x86-vm-serial');
  await page.getByTestId('tab-vm-exits').click();
  await page.keyboard.press('F5');
  await expect(position(page)).toContainText('finished', { timeout: 30_000 });
  await page.getByTestId('tab-vm-exits').click();
  await page.getByTestId('exit-list').evaluate((e) => (e.scrollTop = 0));
  const row = page.locator('.vmexits-rows .exit-row[data-exit="2"]');
  await row.click();
  await expect(position(page)).toContainText('at VM exit 3');
  await expect(row).toHaveClass(/selected/);
  await studio.screenshot('43-at-exit');

  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type('Toggle light/dark');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('a PD program that throws: the fault names its line and one click takes the editor there', async ({ page }) => {
  const studio = await start(page, 'hello');
  await page.getByTestId('file-tree').getByText('hello.js').click();
  await expect.poll(() => page.evaluate(() => (window as any).__studioEditor.getModel()?.uri.path)).toBe('/hello.js');
  const line = await page.evaluate(() => {
    const ed = (window as any).__studioEditor;
    ed.setValue(ed.getValue().replace('mk.dbg_puts(`hello', 'const x = null; x.boom(); mk.dbg_puts(`hello'));
    return ed.getValue().split('\n').findIndex((l: string) => l.includes('x.boom()')) + 1;
  });
  // open the system file, as a user would before running
  await page.getByTestId('file-tree').getByText('hello.system').click();
  await page.getByTestId('tab-run').click();
  await page.keyboard.press('F5');
  await expect(position(page)).toContainText('finished');
  await expect(page.getByTestId('run-trouble').first()).toHaveText('fault in hello');
  const fault = page.getByTestId('fault');
  await expect(fault).toContainText("TypeError: Cannot read properties of null (reading 'boom')");
  await fault.getByRole('button', { name: `go to hello.js:${line}` }).click();
  await expect.poll(() => page.evaluate(() => (window as any).__studioEditor.getModel()?.uri.path)).toBe('/hello.js');
  await expect.poll(async () => (await studio.cursor()).lineNumber).toBe(line);
  await studio.screenshot('44-fault-source');
});

test('a guest that triple-faults: every run view says so beside the position', async ({ page }) => {
  const studio = await start(page, 'x86-vm-triple-fault');
  await page.getByTestId('tab-vm-exits').click();
  await page.keyboard.press('F5');
  await expect(position(page)).toContainText('finished');
  await expect(page.getByTestId('run-trouble').first()).toHaveText('a guest triple-faulted');
  await expect(page.locator('.vmexits-rows .exit-row').last().locator('.reason')).toHaveText('Triple fault');
  await page.getByTestId('tab-vcpu').click();
  await expect(page.getByTestId('vcpu-view').getByTestId('run-trouble')).toHaveText('a guest triple-faulted');
  await studio.screenshot('45-triple-fault');
});

test('the timeline and VCPU views open before the first run stay up while it runs (they re-rendered for ever)', async ({ page }) => {
  const studio = await start(page, 'x86-vm-timer');
  await page.getByTestId('tab-vcpu').click();
  await page.getByTestId('tab-timeline').click();
  await page.keyboard.press('F5');
  await expect(position(page)).toContainText('finished', { timeout: 30_000 });
  await expect(page.getByTestId('timeline-svg')).toBeVisible();
  await expect(page.getByTestId('vcpu-registers')).toBeVisible();
  await expect(page.locator('.timeline-box .seg-label').first()).toHaveText('guest');
  await studio.screenshot('46-timeline-open-while-running');
});

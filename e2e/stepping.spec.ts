/** Guest instruction stepping (issue 9): break on the IOAPIC guest's first EPT violation, step back two guest
 * instructions and forward one, with RIP moving by the decoded instruction's length and the change highlighted. */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { assemble, decode, isDecodeError } from '../core/x86';
import { Studio } from './helpers';

async function openExample(page: Page, id: string) {
  await page.locator('[data-action="examples.open"]').click();
  await page.getByTestId(`example-${id}`).click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
}

const ripText = (page: Page) => page.locator('[data-testid="vcpu-registers"] [data-reg="rip"] .reg-value').textContent();
const rip = async (page: Page): Promise<number> => Number(BigInt((await ripText(page))!.trim()));

/** the length of the instruction on the current disassembly line, decoded from the bytes shown */
async function currentLength(page: Page): Promise<number> {
  const bytes = (await page.getByTestId('vcpu-disasm').locator('tr.current td').nth(3).textContent())!;
  const b = Uint8Array.from(bytes.trim().split(/\s+/).map((x) => parseInt(x, 16)));
  const ins = decode(b, 0, 64, 0, b.length);
  if (isDecodeError(ins)) throw new Error(`cannot decode ${bytes}`);
  return ins.length;
}

test('step one guest instruction back and forward: RIP moves by the instruction length', async ({ page }) => {
  const studio = new Studio(page);
  await studio.reset();
  await page.setViewportSize({ width: 1600, height: 1000 });
  await studio.open();
  await openExample(page, 'x86-vm-timer');
  await page.getByText('Dismiss').click();

  await page.getByTestId('tab-run').click();
  await page.getByLabel('Breakpoint kind').selectOption('vm-exit');
  await page.getByLabel('Exit reason').selectOption({ label: 'EPT violation' });
  await page.getByTestId('add-breakpoint').click();
  await page.keyboard.press('F5');
  const position = page.getByTestId('run-position').first();
  await expect(position).toContainText('breakpoint: VM exit EPT violation in guest');
  await page.getByTestId('tab-vcpu').click();
  await expect(page.getByTestId('vcpu-disasm').locator('tr.current')).toContainText('mov');
  const atExit = await rip(page);

  // back one: just before the exiting instruction (same RIP, nothing retired since); back again: the one before it
  await page.keyboard.press('Alt+Shift+F11');
  await expect(position).toContainText('paused');
  await expect.poll(() => rip(page)).toBe(atExit);
  const count = async () => Number((await position.textContent())!.match(/guest instruction (\d+)/)![1]);
  const n = await count();
  await page.keyboard.press('Alt+Shift+F11');
  await expect.poll(count).toBe(n - 1);
  // the VCPU view fetches its registers once the position has moved
  await expect.poll(() => rip(page)).toBeLessThan(atExit);
  const prev = await rip(page);
  const len = await currentLength(page);
  await studio.screenshot('35-step-back-instruction');

  // forward one instruction: RIP moves by exactly that instruction's length, highlighted as changed
  await page.keyboard.press('F11');
  await expect.poll(count).toBe(n);
  await expect.poll(() => rip(page)).toBe(prev + len);
  expect(prev + len).toBe(atExit);
  await expect(page.locator('[data-testid="vcpu-registers"] [data-reg="rip"]')).toHaveClass(/changed/);
  await studio.screenshot('36-step-instruction');
});

test('a breakpoint set in the glyph margin of the guest assembly stops there, with the line highlighted', async ({ page }) => {
  const studio = new Studio(page);
  await studio.reset();
  await page.setViewportSize({ width: 1600, height: 1000 });
  await studio.open();
  await openExample(page, 'x86-vm-timer');
  await page.getByText('Dismiss').click();
  await page.getByTestId('file-tree').getByText('guest.asm').click();
  const source = readFileSync(path.resolve('core/examples/x86-vm-timer/guest.asm'), 'utf8');
  const line = source.split('\n').findIndex((l) => /^\s+sti\b/.test(l)) + 1;
  expect(line).toBeGreaterThan(0);
  const address = assemble(source).lineMap.find((m) => m.line === line && m.length > 0)!.address;

  // click the glyph margin of that line
  await expect(page.getByTestId('editor')).toHaveAttribute('data-ready', 'true');
  await expect.poll(() => page.evaluate(() => (window as any).__studioEditor.getModel()?.uri.path)).toBe('/guest.asm');
  const spot = await page.evaluate((n) => {
    const ed = (window as any).__studioEditor;
    ed.revealLineInCenter(n);
    const p = ed.getScrolledVisiblePosition({ lineNumber: n, column: 1 });
    return { x: ed.getLayoutInfo().glyphMarginLeft + 8, y: p.top + p.height / 2 };
  }, line);
  const box = (await page.getByTestId('editor').locator('.monaco-editor').boundingBox())!;
  await page.mouse.click(box.x + spot.x, box.y + spot.y);
  await expect(page.locator('.guest-bp-glyph')).toHaveCount(1);
  await page.getByTestId('tab-run').click();
  await expect(page.getByTestId('breakpoints')).toContainText(`guest line guest.asm:${line}`);

  await page.keyboard.press('F5');
  const position = page.getByTestId('run-position').first();
  await expect(position).toContainText(`breakpoint: guest RIP 0x${address.toString(16)} (guest.asm:${line}) in guest`);
  await expect(page.locator('.guest-current-line')).toHaveCount(1);
  await page.getByTestId('tab-vcpu').click();
  await expect.poll(() => rip(page)).toBe(address);
  await expect(page.getByTestId('vcpu-disasm').locator('tr.current')).toContainText('sti');
  await studio.screenshot('37-guest-line-breakpoint');
});

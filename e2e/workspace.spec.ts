import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { Studio } from './helpers';

test.beforeEach(async ({ page }) => {
  const studio = new Studio(page);
  await studio.reset();
  await studio.open();
});

async function addComment(studio: Studio, comment: string) {
  await studio.gotoLine(1, 1);
  await studio.page.keyboard.press('End');
  await studio.page.keyboard.press('Enter');
  await studio.page.keyboard.type(`<!-- ${comment} -->`);
  await expect.poll(() => studio.editorText()).toContain(comment);
}

test('reload keeps an edit', async ({ page }) => {
  const studio = new Studio(page);
  await addComment(studio, 'kept across reloads');
  await expect.poll(() => studio.savedWorkspace()).toContain('kept across reloads');
  await page.reload();
  await studio.open();
  expect(await studio.editorText()).toContain('kept across reloads');
});

test('a share link opened in a fresh context gives the same workspace', async ({ page, browser }) => {
  const studio = new Studio(page);
  await addComment(studio, 'shared by link');
  await page.getByTestId('board-select').selectOption('qemu_virt_riscv64');
  await page.locator('[data-action="workspace.share"]').click();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toMatch(/#v1:[A-Za-z0-9_-]+$/);
  await studio.screenshot('08-share');

  const other = await browser.newContext();
  const fresh = new Studio(await other.newPage());
  await fresh.page.goto(url);
  await expect(fresh.page.getByTestId('editor')).toHaveAttribute('data-ready', 'true');
  expect(await fresh.editorText()).toBe(await studio.editorText());
  await expect(fresh.page.getByTestId('board-select')).toHaveValue('qemu_virt_riscv64');
  await expect(fresh.page.getByTestId('file-tree')).toContainText('guest.asm');
  expect(fresh.page.url()).not.toContain('#v1:'); // consumed: a reload keeps local edits
  await other.close();
});

test('export a zip and import it back', async ({ page }) => {
  const studio = new Studio(page);
  await addComment(studio, 'exported in a zip');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="workspace.export"]').click()]);
  expect(download.suggestedFilename()).toBe('workspace.zip');
  const zipPath = await download.path();
  expect(readFileSync(zipPath).subarray(0, 2).toString()).toBe('PK');

  await page.locator('[data-action="examples.open"]').click();
  await page.getByTestId('example-hello').click();
  await expect(page.getByTestId('file-tree')).toContainText('hello.system');

  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('[data-action="workspace.import"]').click()]);
  await chooser.setFiles(zipPath);
  await expect(page.getByTestId('file-tree')).toContainText('vm_basic.system');
  await expect(page.getByTestId('file-tree')).not.toContainText('hello.system');
  await expect.poll(() => studio.editorText()).toContain('exported in a zip');
});

test('the gallery lists every example and opens one', async ({ page }) => {
  const studio = new Studio(page);
  await page.locator('[data-action="examples.open"]').click();
  await expect(page.getByTestId('gallery')).toContainText('x86 VM with a serial driver');
  await expect(page.getByTestId('gallery')).toContainText('Parent and child PDs');
  await studio.screenshot('09-gallery');
  await page.getByTestId('example-pd-hierarchy').click();
  await expect(page.getByTestId('file-tree')).toContainText('hierarchy.system');
  await expect.poll(() => studio.editorText()).toContain('<protection_domain name="child" id="1"');
  await expect(page.getByTestId('node-pd:child')).toBeVisible();
  await expect(page.getByTestId('edge-child:child')).toBeVisible();
  await studio.screenshot('10-example-hierarchy');
});

test('new, rename and delete a file', async ({ page }) => {
  const studio = new Studio(page);
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Alt+N');
  await page.getByTestId('input-dialog-value').fill('timer.js');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('file-timer.js')).toBeVisible();
  await expect.poll(() => studio.editorText()).toContain('async init(mk)');

  await page.getByTestId('file-timer.js').dblclick();
  await page.getByTestId('input-dialog-value').fill('client.js');
  await page.keyboard.press('Enter');
  await expect(page.getByText("A file named 'client.js' already exists.")).toBeVisible();
  await page.getByTestId('input-dialog-value').fill('clock.js');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('file-clock.js')).toBeVisible();
  await expect(page.getByTestId('file-timer.js')).toHaveCount(0);

  await page.getByRole('button', { name: 'Delete file' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('file-clock.js')).toHaveCount(0);
});

test('a core crash shows a notice, recovers and keeps the edits', async ({ page }) => {
  const studio = new Studio(page);
  await addComment(studio, 'survives a crash');
  await page.keyboard.press('Control+Shift+P');
  await expect(page.getByPlaceholder('Type a command…')).toBeFocused();
  await page.keyboard.type('crash the');
  await studio.screenshot('11-palette');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('notice-error')).toContainText('restarted');
  await expect(page.getByTestId('core-status')).toHaveAttribute('data-status', 'ready');
  expect(await studio.editorText()).toContain('survives a crash');
  // The restarted core has the current text: a new error is still found.
  await page.getByTestId('board-select').selectOption('qemu_virt_aarch64');
  await expect(page.getByTestId('problem').first()).toContainText('I/O Ports are only available on x86');
  await studio.screenshot('12-crash-recovered');
});

test('dark theme', async ({ page }) => {
  const studio = new Studio(page);
  await page.locator('[data-action="view.toggleTheme"]').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('.monaco-editor.vs-dark')).toBeVisible();
  await page.waitForTimeout(300);
  await studio.screenshot('13-dark');
});

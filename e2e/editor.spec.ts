import { expect, test } from '@playwright/test';
import { Studio } from './helpers';

const CLIENT_PD = '<protection_domain name="client" priority="160">';

test.beforeEach(async ({ page }) => {
  const studio = new Studio(page);
  await studio.reset();
  await studio.open();
});

test('page opens with the default x86 system in the editor and its graph', async ({ page }) => {
  const studio = new Studio(page);
  expect(await studio.editorText()).toContain('<virtual_machine name="guest">');
  await expect(page.getByTestId('file-tree')).toContainText('vm_basic.system');
  await expect(page.getByTestId('file-tree')).toContainText('guest.asm');
  await expect(page.getByTestId('node-pd:vmm')).toBeVisible();
  await expect(page.getByTestId('node-vm:guest')).toBeVisible();
  await expect(page.getByTestId('node-mr:guest_ram')).toBeVisible();
  await expect(page.getByTestId('problems')).toHaveCount(0);
  await studio.screenshot('01-default-light');
});

test('an invalid attribute gets a marker and a Problems entry with the tool message; clicking it moves the cursor', async ({ page }) => {
  const studio = new Studio(page);
  const text = await studio.editorText();
  const line = studio.lineOf(text, CLIENT_PD);
  const lineText = text.split('\n')[line - 1]!;
  await studio.gotoLine(line, lineText.indexOf('>') + 1);
  // the closing quote is typed too: Monaco types over its auto-inserted one, or inserts it if the XML
  // language configuration (auto-closing pairs) has not loaded yet; the text is the same either way
  await page.keyboard.type(' colour="red"');
  expect((await studio.editorText()).split('\n')[line - 1]).toContain('priority="160" colour="red">');

  const problem = page.getByTestId('problem').first();
  await expect(problem).toContainText("invalid attribute 'colour' on element 'protection_domain'");
  await expect(problem).toHaveAttribute('title', new RegExp(`^Error: invalid attribute 'colour' on element 'protection_domain': vm_basic.system:${line}:\\d+$`));
  await expect(page.locator('.monaco-editor .squiggly-error')).toHaveCount(1);
  await expect(page.getByTestId('node-pd:client')).toBeVisible(); // the graph keeps the last valid system
  await studio.screenshot('02-diagnostic');

  // The tool reports the position of the offending element; the cursor goes exactly there.
  const [, toolLine, toolColumn] = /:(\d+):(\d+)$/.exec((await problem.getAttribute('title')) ?? '')!;
  await studio.gotoLine(1, 1);
  await problem.click();
  const pos = await studio.cursor();
  expect(pos.lineNumber).toBe(line);
  expect([pos.lineNumber, pos.column]).toEqual([Number(toolLine), Number(toolColumn)]);
});

test('completion offers only the children valid at the cursor', async ({ page }) => {
  const studio = new Studio(page);
  const text = await studio.editorText();
  const line = studio.lineOf(text, CLIENT_PD);
  await studio.gotoLine(line, text.split('\n')[line - 1]!.length + 1);
  await page.keyboard.press('Enter');
  await page.keyboard.type('<');
  await page.keyboard.press('Control+Space');
  const widget = page.locator('.suggest-widget');
  await expect(widget).toBeVisible();
  await expect(widget).toContainText('program_image');
  await expect(widget).toContainText('virtual_machine');
  await expect(widget).not.toContainText('memory_region');
  await studio.screenshot('03-completion');
});

test('hover shows the attribute documentation', async ({ page }) => {
  const studio = new Studio(page);
  const text = await studio.editorText();
  const line = studio.lineOf(text, CLIENT_PD);
  const col = text.split('\n')[line - 1]!.indexOf('priority') + 3;
  const hover = page.locator('.monaco-hover:visible');
  // Monaco shows a hover after the mouse rests on a word; move onto it again if the first rest was missed.
  await expect(async () => {
    await page.mouse.move(0, 0);
    await studio.hoverAt(line, col);
    await expect(hover.first()).toContainText('priority', { timeout: 3000 });
  }).toPass({ timeout: 30_000 });
  await expect(hover.first()).toContainText('254');
  await studio.screenshot('04-hover');
});

test('switching the board changes the diagnostics (ioport is x86 only)', async ({ page }) => {
  const studio = new Studio(page);
  await page.getByTestId('board-select').selectOption('qemu_virt_aarch64');
  await expect(page.getByTestId('problem').first()).toContainText('I/O Ports are only available on x86');
  await expect(page.getByTestId('graph')).toBeVisible();
  await studio.screenshot('05-board-aarch64');
  await page.getByTestId('board-select').selectOption('x86_64_generic_vtx');
  await expect(page.getByTestId('problem')).toHaveCount(0);
});

test('clicking a PD in the graph moves the editor cursor, and the cursor highlights the graph', async ({ page }) => {
  const studio = new Studio(page);
  const text = await studio.editorText();
  await page.getByTestId('node-pd:client').click();
  const pos = await studio.cursor();
  expect(pos.lineNumber).toBe(studio.lineOf(text, CLIENT_PD));
  await expect(page.getByTestId('node-pd:client')).toHaveAttribute('data-selected', 'true');

  await studio.gotoLine(studio.lineOf(text, '<end pd="vmm" id="1" pp="true" />'), 10);
  await expect(page.getByTestId('edge-channel:1')).toHaveClass(/selected/);
  await studio.gotoLine(studio.lineOf(text, '<memory_region name="tx_buffer"'), 10);
  await expect(page.getByTestId('node-mr:tx_buffer')).toHaveAttribute('data-selected', 'true');
  await studio.screenshot('06-graph-selection');
});

test('JavaScript syntax errors in a PD program appear in Problems', async ({ page }) => {
  const studio = new Studio(page);
  await page.getByTestId('file-client.js').click();
  await expect.poll(() => studio.editorText()).toContain('client: prints a greeting');
  await studio.gotoLine(1, 1);
  await page.keyboard.type('const = ;\n');
  await expect(page.getByTestId('problem').first()).toContainText('client.js');
  await studio.screenshot('07-js-problem');
});

test('assembler errors in guest code appear in Problems with the line', async ({ page }) => {
  const studio = new Studio(page);
  await page.getByTestId('file-guest.asm').click();
  await expect.poll(() => studio.editorText()).toContain('bits 64');
  const line = studio.lineOf(await studio.editorText(), 'start:') + 1;
  await studio.gotoLine(line, 1);
  await page.keyboard.type('    frobnicate rax\n');
  const problem = page.getByTestId('problem').first();
  await expect(problem).toContainText("unknown mnemonic 'frobnicate'");
  await expect(problem).toContainText(`guest.asm:${line}:`);
  await studio.screenshot('14-asm-problem');
});

test('completion follows the board: ioport is offered on x86_64 but not on aarch64', async ({ page }) => {
  const studio = new Studio(page);
  const text = await studio.editorText();
  const line = studio.lineOf(text, CLIENT_PD);
  const suggestAt = async () => {
    await studio.gotoLine(line, text.split('\n')[line - 1]!.length + 1);
    await page.keyboard.press('Enter');
    await page.keyboard.type('<');
    await page.keyboard.press('Control+Space');
    await expect(page.locator('.suggest-widget')).toContainText('program_image');
    const labels = await page.locator('.suggest-widget .monaco-list-row').allInnerTexts();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+Z');
    return labels.join(' ');
  };
  expect(await suggestAt()).toContain('ioport');
  await page.getByTestId('board-select').selectOption('qemu_virt_aarch64');
  await expect(page.getByTestId('problem').first()).toBeVisible();
  expect(await suggestAt()).not.toContain('ioport');
});

test('malformed XML gives a diagnostic and the graph keeps the last valid system', async ({ page }) => {
  const studio = new Studio(page);
  const original = await studio.editorText();
  await studio.gotoLine(1, 1);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('<system><protection_domain name="x" <<<');
  const problem = page.getByTestId('problem').first();
  await expect(problem).toContainText('vm_basic.system:1:');
  await expect(page.getByText('showing last valid version')).toBeVisible();
  await expect(page.getByTestId('node-pd:vmm')).toBeVisible();
  await expect(page.getByTestId('core-status')).toHaveAttribute('data-status', 'ready');
  await studio.screenshot('15-malformed');
  // undo back to the original text: the problems go away
  for (let i = 0; i < 60 && (await studio.editorText()) !== original; i++) await page.keyboard.press('Control+Z');
  expect(await studio.editorText()).toBe(original);
  await expect(page.getByTestId('problem')).toHaveCount(0);
});

test('go to definition jumps from a name to its declaration', async ({ page }) => {
  const studio = new Studio(page);
  const text = await studio.editorText();
  const line = studio.lineOf(text, '<end pd="vmm" id="1" pp="true" />');
  await studio.gotoLine(line, text.split('\n')[line - 1]!.indexOf('vmm') + 2);
  await page.keyboard.press('F12');
  await expect.poll(async () => (await studio.cursor()).lineNumber).toBe(studio.lineOf(text, '<protection_domain name="vmm"'));
  const mapLine = studio.lineOf(text, '<map mr="tx_buffer" vaddr="0x4_000_000" perms="r"');
  await studio.gotoLine(mapLine, text.split('\n')[mapLine - 1]!.indexOf('tx_buffer') + 2);
  await page.keyboard.press('F12');
  await expect.poll(async () => (await studio.cursor()).lineNumber).toBe(studio.lineOf(text, '<memory_region name="tx_buffer"'));
});

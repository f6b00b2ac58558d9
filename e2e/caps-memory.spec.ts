import { expect, test } from '@playwright/test';
import { encodeShareLink } from '../app/workspace/shareLink';
import { largeSystem } from '../bench/ide.bench';
import { Studio } from './helpers';

test.use({ viewport: { width: 1600, height: 1000 } });

test.beforeEach(({ page }) => {
  page.on('pageerror', (e) => console.log('page error:', e.message, e.stack?.split('\n').slice(0, 4).join(' | ')));
});

test('capabilities, console and memory views follow the built system', async ({ page }) => {
  const studio = new Studio(page);
  await studio.reset();
  await studio.open();

  // load an example from the gallery
  await page.locator('[data-action="examples.open"]').click();
  await page.getByTestId('example-ring-buffer').click();
  await expect(page.getByTestId('file-tree')).toContainText('ring.system');

  // find a PD in the graph and open its CSpace
  await page.getByTestId('node-pd:consumer').click();
  await page.getByTestId('tab-caps').click();
  await expect(page.getByTestId('cspace-pd')).toHaveValue('consumer');
  const notify = page.getByTestId('slot-microkit-10');
  await expect(notify).toContainText('10+0: notify channel 0 → producer');
  await expect(notify).toContainText('ntfn_producer');
  await expect(notify).toContainText('Notification');
  await studio.screenshot('caps-01-cspace');

  // follow the cap into the derivation tree: it and every other cap to the same object light up
  await notify.click();
  const selectedRow = page.locator('[data-testid="tree-row"].selected');
  await expect(selectedRow).toContainText('ntfn_producer');
  await expect(selectedRow).toContainText('cnode_consumer[10]');
  await expect(page.locator('[data-testid="tree-row"].related').first()).toContainText('ntfn_producer');
  await expect(page.getByTestId('related-count')).toContainText(/\d+ caps to ntfn_producer/);
  await studio.screenshot('caps-02-derivation-tree');

  // the ring buffer is mapped in the producer's address space
  await page.getByTestId('tab-memory').click();
  await page.getByTestId('as-pick').selectOption('producer');
  await expect(page.locator('[data-testid="mapping-row"][data-mr="ring"]')).toHaveCount(1);

  // find the ring's frame cap held by the initialiser, and revoke it from the console
  await page.getByTestId('tab-caps').click();
  await page.getByTestId('tree-search').fill('frame_mr_ring');
  const original = page.locator('[data-testid="tree-row"]:not(.dim)').first();
  await expect(original).toContainText('initialiser[');
  await original.click();
  const slot = /initialiser\[(\d+)\]/.exec((await original.textContent()) ?? '')![1];
  await page.getByTestId('tab-console').click();
  const input = page.getByTestId('console-input');
  await input.fill(`seL4_CNode_Revoke(seL4_CapInitThreadCNode, ${slot}, 64)`);
  await input.press('Enter');
  await expect(page.getByTestId('console-entry').last()).toContainText('seL4_NoError');

  // the mapping is gone from the memory view (from both PDs that mapped the ring)
  await page.getByTestId('tab-memory').click();
  await expect(page.locator('[data-testid="mapping-row"][data-mr="ring"]')).toHaveCount(0);
  await page.getByTestId('as-pick').selectOption('consumer');
  await expect(page.locator('[data-testid="mapping-row"][data-mr="ring"]')).toHaveCount(0);
  await expect(page.getByTestId('as-table')).toContainText('stack');
  await studio.screenshot('caps-03-console-revoke');

  // switch the boot mode: the PD images get their own region in the physical map
  await expect(page.locator('[data-testid="phys-regions"] tr[data-kind="pd-images"]')).toHaveCount(0);
  await page.getByTestId('boot-legacy').click();
  await expect(page.locator('[data-testid="phys-regions"] tr[data-kind="pd-images"]')).toHaveCount(1);
  await studio.screenshot('caps-04-memory-legacy');
  await page.getByTestId('boot-current').click();
  await expect(page.locator('[data-testid="phys-regions"] tr[data-kind="pd-images"]')).toHaveCount(0);

  // the allocation question, with its reason
  await page.getByTestId('alloc-size').fill('2M');
  await page.getByTestId('alloc-align').fill('2M');
  await page.getByTestId('alloc-ask').click();
  await expect(page.getByTestId('alloc-answer')).not.toBeEmpty();
  await expect(page.getByTestId('tracker-4k')).toContainText('entries');

  // zoom into the physical map and hover for names
  const map = page.getByTestId('phys-map');
  const box = (await map.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + 40);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -400);
  await expect(page.getByTestId('phys-hover')).toContainText('0x');
  await studio.screenshot('caps-05-memory-zoom');
});

test('a build error appears in the Problems list at the element', async ({ page }) => {
  const studio = new Studio(page);
  await studio.reset();
  await studio.open();
  await page.locator('[data-action="examples.open"]').click();
  await page.getByTestId('example-ring-buffer').click();
  await expect(page.getByTestId('file-tree')).toContainText('ring.system');
  // a fixed physical address in no RAM and no device: the build warns at the memory region
  const text = await studio.editorText();
  const line = studio.lineOf(text, '<memory_region name="ring"');
  await studio.gotoLine(line, 1);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('<memory_region name="nowhere" size="0x1000" phys_addr="0x7000000000" />');
  await page.getByTestId('tab-problems').click();
  await expect(page.getByTestId('problems')).toContainText("memory region 'nowhere'");
  await expect(page.getByTestId('problems')).toContainText(`ring.system:${line + 1}:`);
});

test("a VM's guest-physical map shows where its VMM sees each region; the VMM's CSpace names its vCPU", async ({ page }) => {
  const studio = new Studio(page);
  await studio.reset();
  await studio.open(); // the default example: x86-vm-basic
  await page.getByTestId('node-pd:vmm').click();
  await page.getByTestId('tab-caps').click();
  await expect(page.getByTestId('cspace-pd')).toHaveValue('vmm');
  await expect(page.getByTestId('slot-microkit-330')).toContainText('330+0: vCPU 0');
  await expect(page.getByTestId('slot-microkit-75')).toContainText('PPC channel 1 → serial');
  await studio.screenshot('caps-06-vmm-cspace');
  await page.getByTestId('tab-memory').click();
  await page.getByTestId('as-pick').selectOption('guest');
  const ram = page.locator('[data-testid="mapping-row"][data-mr="guest_ram"]');
  await expect(ram).toContainText('vmm @ 0x');
  await expect(ram).toContainText('2 MiB');
  await ram.click();
  await expect.poll(async () => (await studio.cursor()).lineNumber).toBe(studio.lineOf(await studio.editorText(), '<memory_region name="guest_ram"'));
  await expect(page.getByTestId('tracker-4k')).toContainText('512 entries');
  await studio.screenshot('caps-07-vm-guest-physical');
});

test('63 PDs and ten thousand caps: the views stay usable', async ({ page }) => {
  const studio = new Studio(page);
  await studio.reset();
  await studio.open(`#${encodeShareLink({ files: { 'large.system': largeSystem() }, board: 'x86_64_generic_vtx', main: 'large.system' })}`);
  await page.getByTestId('tab-caps').click();
  await expect(page.getByTestId('caps-view')).toContainText(/\d{5} caps in the system/, { timeout: 45_000 });
  await page.getByTestId('cspace-pd').selectOption('pd31');
  await expect(page.getByTestId('slot-microkit-11')).toContainText('10+1: notify channel 1 → pd32');
  await expect(page.getByTestId('slot-microkit-12')).toContainText('10+2: notify channel 2 → pd30');
  await page.getByTestId('tree-search').fill('frame_mr_shared_000000000');
  // the original and one mapped copy per PD, under their untyped (the list is virtualised: count via the toolbar)
  await expect(page.getByTestId('derivation-tree')).toContainText('65 shown');
  await expect(page.locator('[data-testid="tree-row"]:not(.dim)').first()).toContainText('frame_mr_shared_000000000');
  await studio.screenshot('caps-08-large-tree');
  await page.getByTestId('tab-memory').click();
  await page.getByTestId('as-pick').selectOption('pd62');
  await expect(page.locator('[data-testid="mapping-row"][data-mr="shared"]')).toContainText('80 × 4 KiB');
  await studio.screenshot('caps-09-large-memory');
});

import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeShareLink } from '../app/workspace/shareLink';
import { Studio } from './helpers';

// Real systems from the Microkit and libvmm repositories, read from the shared conformance material.
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONFORMANCE = path.resolve(REPO_ROOT, '../shared/conformance/examples');

for (const [file, board, pd] of [
  ['libvmm/virtio-snd-qemu_virt_aarch64-virtio-snd.system', 'qemu_virt_aarch64', 'pd:CLIENT_VMM_1'],
  ['microkit/hierarchy.system', 'qemu_virt_aarch64', 'pd:restarter'],
] as const) {
  test(`a real system opens, checks cleanly and is drawn: ${file}`, async ({ page }) => {
    const text = readFileSync(path.join(CONFORMANCE, file), 'utf8');
    const name = path.basename(file);
    const studio = new Studio(page);
    await studio.reset();
    await studio.open(`#${encodeShareLink({ files: { [name]: text }, board, main: name })}`);
    expect(await studio.editorText()).toBe(text);
    await expect(page.getByTestId(`node-${pd}`)).toBeVisible();
    await expect(page.locator('[data-testid="problem"]').filter({ has: page.locator('.sev.error') })).toHaveCount(0);
    await studio.screenshot(`20-real-${name.replace(/\.system$/, '')}`);
  });
}

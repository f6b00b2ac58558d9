/** A page object for Microkit Studio: drives the app the way a person does. */
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const ARTIFACTS = 'e2e-artifacts';

export class Studio {
  constructor(readonly page: Page) {}

  async open(hash = '') {
    if (hash) await this.page.goto('about:blank'); // a fresh load, not a same-document hash change
    await this.page.goto(`./${hash}`);
    await expect(this.page.getByTestId('editor')).toHaveAttribute('data-ready', 'true');
    await expect(this.page.getByTestId('core-status')).toHaveAttribute('data-status', 'ready');
  }

  /** Start from a clean browser profile state (IndexedDB and theme). */
  async reset() {
    await this.page.goto('./');
    await this.page.evaluate(async () => {
      localStorage.clear();
      await new Promise<void>((resolve) => {
        const req = indexedDB.deleteDatabase('keyval-store');
        req.onsuccess = req.onerror = req.onblocked = () => resolve();
      });
    });
  }

  /** The autosaved workspace in IndexedDB, as JSON text ('' when nothing is saved yet). */
  savedWorkspace(): Promise<string> {
    return this.page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const open = indexedDB.open('keyval-store');
          open.onerror = () => resolve('');
          open.onsuccess = () => {
            try {
              const req = open.result.transaction('keyval').objectStore('keyval').get('microkit-studio/workspace/v1');
              req.onsuccess = () => resolve(JSON.stringify(req.result ?? ''));
              req.onerror = () => resolve('');
            } catch {
              resolve('');
            }
          };
        }),
    );
  }

  editorText(): Promise<string> {
    return this.page.evaluate(() => (window as unknown as { __studioEditor: { getValue(): string } }).__studioEditor.getValue());
  }

  cursor(): Promise<{ lineNumber: number; column: number }> {
    return this.page.evaluate(() => (window as unknown as { __studioEditor: { getPosition(): { lineNumber: number; column: number } } }).__studioEditor.getPosition());
  }

  /** Put the cursor at line:column (1-based) by keyboard, as a user would after clicking there. */
  async gotoLine(line: number, column = 1) {
    await this.page.locator('.monaco-editor .view-lines').click();
    await this.page.evaluate(
      ([l, c]) => {
        const ed = (window as unknown as { __studioEditor: { setPosition(p: object): void; focus(): void } }).__studioEditor;
        ed.setPosition({ lineNumber: l, column: c });
        ed.focus();
      },
      [line, column],
    );
  }

  /** Move the mouse over line:column of the editor, as a user hovering a word. */
  async hoverAt(line: number, column: number) {
    const box = await this.page.locator('.monaco-editor').first().boundingBox();
    const p = await this.page.evaluate(
      ([l, c]) => {
        const ed = (window as unknown as { __studioEditor: { revealLine(n: number): void; getScrolledVisiblePosition(p: object): { left: number; top: number; height: number } } }).__studioEditor;
        ed.revealLine(l);
        return ed.getScrolledVisiblePosition({ lineNumber: l, column: c });
      },
      [line, column],
    );
    await this.page.mouse.move(box!.x + p.left + 3, box!.y + p.top + p.height / 2);
  }

  lineOf(text: string, needle: string): number {
    return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  }

  async screenshot(name: string) {
    mkdirSync(ARTIFACTS, { recursive: true });
    await this.page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
  }
}

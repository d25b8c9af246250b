import type { Frame, Page } from "playwright-core";

/** Helpers for driving the VS Code workbench in a browser; selectors from VS Code's DOM (see E2E-NOTES.md). */
export class Workbench {
  constructor(readonly page: Page) {}

  async ready(): Promise<void> {
    await this.page.waitForSelector(".monaco-workbench", { timeout: 90_000 });
    await this.page.waitForTimeout(1500);
    await this.page.locator(".monaco-workbench").click({ position: { x: 400, y: 300 } });
  }

  /** Runs a command from the palette: waits for its exact entry (not just the first row) and clicks it. */
  async command(name: string): Promise<void> {
    await this.pick("F1", ">" + name, name);
  }

  async openFile(name: string): Promise<void> {
    await this.pick("Control+P", name, name);
    await this.page.waitForSelector(".code-cell-row", { state: "attached", timeout: 90_000 });
    await this.page.waitForTimeout(1000);
  }

  /** Opens a quick pick with `key`, types `text`, and clicks the row whose label is `label` (two tries: a busy machine may drop keys). */
  private async pick(key: string, text: string, label: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press("Escape");
      await this.page.keyboard.press(key);
      const input = this.page.locator(".quick-input-widget input");
      await input.waitFor({ state: "visible", timeout: 15_000 });
      await input.fill(text);
      const row = this.page.locator(".quick-input-widget .monaco-list-row", { hasText: label }).first();
      try {
        await row.waitFor({ state: "visible", timeout: 20_000 });
        await row.click();
        return;
      } catch (e) {
        if (attempt >= 2) throw e;
      }
    }
  }

  /** Picks our controller if VS Code asks which kernel to use. */
  async pickKernelIfAsked(): Promise<void> {
    const item = this.page.locator(".quick-input-widget .monaco-list-row", { hasText: "TypeScript (ML Lab)" });
    if (await item.first().isVisible({ timeout: 3000 }).catch(() => false)) await item.first().click();
  }

  /** Puts the focus in cell `index` (0-based) so cell commands apply to it. */
  async focusCell(index: number): Promise<void> {
    await this.page.locator(".code-cell-row").nth(index).locator(".cell-editor-container").click();
    await this.page.waitForTimeout(300);
  }

  /** Waits until no cell is running or queued, and at least `count` cells show an execution result. */
  async waitForCells(count: number, timeoutMs = 120_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const finished = await this.page.locator(".codicon-notebook-state-success, .codicon-notebook-state-error").count();
      const running = await this.page.locator(".codicon-notebook-state-executing, .codicon-notebook-state-pending").count();
      if (finished >= count && running === 0) return;
      if (Date.now() > until) throw new Error(`cells did not finish: ${finished} done, ${running} running`);
      await this.page.waitForTimeout(500);
    }
  }

  /**
   * Waits for a whole notebook run to end. The cell list is virtualised (cells out of view are not in the DOM), so
   * watch the toolbar instead: it offers "Interrupt" while anything runs and "Run All" again when all is done.
   */
  async waitForRunToEnd(timeoutMs = 180_000): Promise<void> {
    const toolbar = this.page.locator(".notebook-toolbar-left");
    await toolbar.getByText("Interrupt").waitFor({ state: "visible", timeout: 30_000 }).catch(() => undefined);
    await toolbar.getByText("Run All").waitFor({ state: "visible", timeout: timeoutMs });
  }

  /** The frame where notebook renderers draw outputs (all outputs of a notebook share it). */
  async outputFrame(): Promise<Frame> {
    const handle = await this.page.waitForSelector('iframe.webview.ready[src*="purpose=notebookRenderer"]', { timeout: 60_000 });
    const outer = await handle.contentFrame();
    const inner = await (await outer!.waitForSelector("iframe#active-frame")).contentFrame();
    return inner!;
  }
}

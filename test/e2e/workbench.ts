import type { Frame, Page } from "playwright-core";

/** Helpers for driving the VS Code workbench in a browser; selectors from VS Code's DOM (see E2E-NOTES.md). */
export class Workbench {
  constructor(readonly page: Page) {}

  async ready(): Promise<void> {
    await this.page.waitForSelector(".monaco-workbench", { timeout: 90_000 });
    await this.page.waitForTimeout(1500);
    await this.page.locator(".monaco-workbench").click({ position: { x: 400, y: 300 } });
  }

  async command(name: string): Promise<void> {
    await this.page.keyboard.press("F1");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible" });
    await input.fill(">" + name);
    await this.page.waitForTimeout(400);
    await this.page.keyboard.press("Enter");
  }

  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press("Control+P");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible" });
    await input.fill(name);
    await this.page.waitForTimeout(800);
    await this.page.keyboard.press("Enter");
    await this.page.waitForSelector(".code-cell-row", { state: "attached", timeout: 60_000 });
    await this.page.waitForTimeout(1000);
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

  /** The frame where notebook renderers draw outputs (all outputs of a notebook share it). */
  async outputFrame(): Promise<Frame> {
    const handle = await this.page.waitForSelector('iframe.webview.ready[src*="purpose=notebookRenderer"]', { timeout: 60_000 });
    const outer = await handle.contentFrame();
    const inner = await (await outer!.waitForSelector("iframe#active-frame")).contentFrame();
    return inner!;
  }
}

import * as fs from "node:fs";
import * as path from "node:path";
import type { Frame, Page } from "playwright-core";

// Required, not imported: DOM code, type-checked by test/renderer/tsconfig.json (see page-checks.ts).
const checks = require("../renderer/page-checks") as { listScrollTop(target: Page | Frame, selector: string): Promise<number> };

/**
 * The state icon of cells, e.g. "success", "error", "executing", "pending": scoped to the cells, since the notebook
 * toolbar's "Go To" (the failed cell) button shows the same error icon.
 */
export function cellState(...states: string[]): string {
  return states.map((s) => `.code-cell-row .codicon-notebook-state-${s}`).join(", ");
}

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

  /** The row of the open quick pick whose label is `label`. */
  quickPickRow(label: string) {
    return this.page.locator(".quick-input-widget .monaco-list-row", { hasText: label }).first();
  }

  /**
   * Chooses `label` in the open quick pick as a student would by keyboard: types it and presses Enter. (Clicking
   * can miss: the row under the mouse, where the palette's own row was clicked, shows a hover box over the list.)
   */
  async chooseInQuickPick(label: string): Promise<void> {
    await this.quickPickRow(label).waitFor({ state: "visible", timeout: 20_000 });
    await this.page.locator(".quick-input-widget input").fill(label);
    await this.page.locator(".quick-input-widget .monaco-list-row.focused", { hasText: label }).waitFor({ state: "visible", timeout: 10_000 });
    await this.page.keyboard.press("Enter");
  }

  /**
   * Waits until a save of `file` has ended (its tab is no longer dirty, the status bar no longer says "Saving", the
   * file is whole JSON) and returns what it holds. A large notebook takes seconds to write.
   */
  async waitForSave(file: string, timeoutMs = 60_000): Promise<unknown> {
    const until = Date.now() + timeoutMs;
    const tab = this.page.locator(".tab", { hasText: path.basename(file) }).first();
    for (;;) {
      const dirty = /\bdirty\b/.test((await tab.getAttribute("class").catch(() => "")) ?? "");
      const saving = /Saving/.test(await this.page.locator(".statusbar").innerText().catch(() => ""));
      if (!dirty && !saving) {
        try {
          return JSON.parse(fs.readFileSync(file, "utf8"));
        } catch {
          /* still being written */
        }
      }
      if (Date.now() > until) throw new Error(`${path.basename(file)} was not saved within ${timeoutMs / 1000} s`);
      await this.page.waitForTimeout(250);
    }
  }

  /** Runs a command if the palette offers it (some are offered only in some states); false if it does not. */
  async commandIfOffered(name: string): Promise<boolean> {
    await this.page.keyboard.press("Escape");
    await this.page.keyboard.press("F1");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 15_000 });
    await input.fill(">" + name);
    const row = this.page.locator(".quick-input-widget .monaco-list-row", { hasText: name }).first();
    if (await row.waitFor({ state: "visible", timeout: 5000 }).then(() => true, () => false)) {
      await row.click();
      return true;
    }
    await this.page.keyboard.press("Escape");
    return false;
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
      const finished = await this.page.locator(cellState("success", "error")).count();
      const running = await this.page.locator(cellState("executing", "pending")).count();
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

  /** The notebook editor's list of cells, as placed on the page. */
  async notebookBox(): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await this.page.locator(".notebook-editor .monaco-list").first().boundingBox();
    if (!box) throw new Error("no notebook editor on the page");
    return box;
  }

  /** How far the notebook's cell list is scrolled, in pixels (its rows are moved up by that much). */
  async notebookScrollTop(): Promise<number> {
    return checks.listScrollTop(this.page, ".notebook-editor");
  }

  /**
   * Scrolls the notebook about `pixels` down (negative: up) with the mouse wheel, as a student would, then lets the
   * outputs that came into view render. False when it was already at the end.
   */
  async scrollNotebook(pixels: number): Promise<boolean> {
    const box = await this.notebookBox();
    const start = await this.notebookScrollTop();
    await this.page.mouse.move(box.x + box.width * 0.35, box.y + box.height / 2);
    // A wheel event moves the list by less than its delta; turn the wheel until it has moved far enough or stops.
    let at = start;
    for (let turns = 0, stuck = 0; turns < 40 && stuck < 3 && Math.abs(at - start) < Math.abs(pixels); turns++) {
      await this.page.mouse.wheel(0, Math.sign(pixels) * Math.min(400, Math.abs(pixels)));
      await this.page.waitForTimeout(120);
      const now = await this.notebookScrollTop();
      stuck = now === at ? stuck + 1 : 0;
      at = now;
    }
    await this.page.waitForTimeout(700);
    return at !== start;
  }

  /** The modal dialog VS Code shows for `window.showInformationMessage(…, { modal: true })`. */
  dialog() {
    return this.page.locator(".monaco-dialog-box");
  }

  /** The frame where notebook renderers draw outputs (all outputs of a notebook share it). */
  async outputFrame(): Promise<Frame> {
    const handle = await this.page.waitForSelector('iframe.webview.ready[src*="purpose=notebookRenderer"]', { timeout: 60_000 });
    const outer = await handle.contentFrame();
    const inner = await (await outer!.waitForSelector("iframe#active-frame")).contentFrame();
    return inner!;
  }
}

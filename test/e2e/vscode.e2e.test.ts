import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, Browser, Page } from "playwright-core";
import { tempDir } from "../kernel/kernel-helpers";
import { CodeServer, startCodeServer } from "./code-server";
import { Workbench } from "./workbench";

const root = path.resolve(__dirname, "..", "..");
const vsix = path.join(root, "ml-lab-notebooks.vsix");
const shots = path.join(root, "test-results", "e2e");

describe("ML Lab Notebooks in a real VS Code (code-server + Chromium), installed from the VSIX", () => {
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let wb: Workbench;

  before(async () => {
    assert.ok(fs.existsSync(vsix), "build the VSIX first: npm run package");
    fs.mkdirSync(shots, { recursive: true });
    const scratch = tempDir("mllab-e2e-");
    const workspace = path.join(scratch, "workspace");
    fs.cpSync(path.join(__dirname, "notebooks"), workspace, { recursive: true });
    server = await startCodeServer(vsix, workspace, scratch);
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    wb = new Workbench(page);
    await wb.ready();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("runs a notebook with the ML Lab kernel: stdout, values, HTML and a chart with its SVG", async () => {
    await wb.openFile("kernel-smoke.ipynb");
    await wb.command("Notebook: Run All");
    await wb.pickKernelIfAsked();
    await wb.waitForCells(3);
    await page.screenshot({ path: path.join(shots, "kernel-smoke.png"), fullPage: true });
    assert.equal(await page.locator(".notebook-editor .codicon-notebook-state-error").count(), 0, "no cell errored");
    const frame = await wb.outputFrame();
    await frame.waitForSelector("#e2e-html", { timeout: 30_000 });
    assert.equal(await frame.locator("#e2e-html").textContent(), "bold from the kernel");
    const text = await frame.locator("body").innerText();
    assert.match(text, /stdout says 42/);
    assert.match(text, /\b42\b/);
    // The KMeans result: VS Code shows the static SVG the kernel rendered (its vega-lite spec needs the renderer issue).
    const svgImages = await frame.locator("img[src^='data:image/svg+xml'], img[src^='blob:'], svg").count();
    assert.ok(svgImages > 0, "the chart's SVG is drawn");
  });
});

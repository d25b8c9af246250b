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
    await page?.screenshot({ path: path.join(shots, "last-state.png") }).catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it("runs a notebook with the ML Lab kernel: stdout, values, HTML and a chart with its SVG", async () => {
    await wb.openFile("kernel-smoke.ipynb");
    await wb.command("Notebook: Run All");
    await wb.pickKernelIfAsked();
    await wb.waitForCells(3);
    await page.screenshot({ path: path.join(shots, "kernel-smoke.png"), fullPage: true });
    assert.equal(await page.locator(".codicon-notebook-state-error").count(), 0, "no cell errored");
    const frame = await wb.outputFrame();
    await frame.waitForSelector("#e2e-html", { timeout: 30_000 });
    assert.equal(await frame.locator("#e2e-html").textContent(), "bold from the kernel");
    const text = await frame.locator("body").innerText();
    assert.doesNotMatch(text, /displayId/, "a cell ending in display(...) shows the display, not its handle");
    assert.match(text, /stdout says 42/);
    assert.match(text, /\b42\b/);
    // The KMeans result: VS Code shows the static SVG the kernel rendered (its vega-lite spec needs the renderer issue).
    // The KMeans result is drawn by our renderer (vega-embed), with its export menu.
    const chart = frame.locator(".mllab-vega");
    await chart.first().waitFor({ timeout: 30_000 });
    assert.match(await chart.first().innerText(), /KMeans k=3: \d+ iterations/);
    assert.ok((await chart.first().locator("svg .mark-line path, canvas").count()) > 0, "the distortion line is drawn");
    assert.ok((await chart.first().locator(".vega-actions, details").count()) > 0, "export menu present");
  });

  /** What VS Code produced for a notebook, read from the saved file (the cell list is virtualised). */
  async function savedOutputs(file: string) {
    await wb.command("File: Save");
    await page.waitForTimeout(1500);
    const saved = JSON.parse(fs.readFileSync(file, "utf8"));
    const outputs: { output_type: string; text?: string[]; data?: Record<string, unknown> }[] = saved.cells.flatMap((c: { outputs?: unknown[] }) => c.outputs ?? []);
    const text = outputs.map((o) => [...(o.text ?? []), ...((o.data?.["text/plain"] as string[] | string | undefined) ?? [])].join("")).join("\n");
    return { outputs, text, mimes: new Set(outputs.flatMap((o) => Object.keys(o.data ?? {}))) };
  }

  const samples: [string, string[], (text: string) => void][] = [
    ["em-gmm.ipynb", ["application/vnd.mllab.mixture+json", "application/vnd.mllab.images+json"], (text) => {
      assert.equal((text.match(/checkpoint passed/g) ?? []).length, 6, text.slice(0, 1500));
      assert.match(text, /component 3: its top 5 of \d+ tiles/);
    }],
    ["lab3-kmeans-em.ipynb", ["application/vnd.mllab.mixture+json", "application/vnd.vegalite.v5+json"], (text) => assert.match(text, /572 oils × 8 features[\s\S]*purity 0\.[78]\d/)],
    ["hw6-optimization.ipynb", ["application/vnd.mllab.mixture+json", "application/vnd.vegalite.v5+json"], (text) => assert.match(text, /second approximation x₂ = 1\.2;/)],
    ["mnist-kmeans.ipynb", ["application/vnd.mllab.images+json"], (text) => assert.match(text, /16 centroids with their inferred labels/)],
    ["kmeans-inits-scaling.ipynb", ["application/vnd.vegalite.v5+json"], (text) => assert.match(text, /test accuracy \d+\.\d%/)],
  ];
  for (const [name, mimes, check] of samples) {
    it(`sample ${name}: opened with ML Lab: Open Sample Notebook, Run All, no cell errors, expected results and renderers' MIME types`, async () => {
      await wb.command("View: Close All Editors");
      await wb.command("ML Lab: Open Sample Notebook");
      const row = page.locator(".quick-input-widget .monaco-list-row", { hasText: name }).first();
      await row.waitFor({ timeout: 20_000 });
      await row.click();
      await page.waitForSelector(".code-cell-row", { state: "attached", timeout: 60_000 });
      const file = path.join(server.workspace, "ml-lab-samples", name);
      assert.ok(fs.existsSync(file));
      assert.ok(fs.existsSync(path.join(server.workspace, "ml-lab-samples", "data", "seed001-mog.json")), "the samples' data came along");
      await wb.command("Notebook: Clear All Outputs");
      await wb.command("Notebook: Run All");
      await wb.pickKernelIfAsked();
      await wb.waitForRunToEnd(240_000);
      await page.screenshot({ path: path.join(shots, `sample-${name.replace(".ipynb", "")}.png`) });
      const { outputs, text, mimes: saved } = await savedOutputs(file);
      assert.equal(outputs.filter((o) => o.output_type === "error").length, 0, "no cell errored");
      for (const m of [...mimes, "text/plain"]) assert.ok(saved.has(m), `${m} among the outputs`);
      check(text);
      await wb.command("ML Lab: Restart Kernel");
    });
  }

  it("interrupts a runaway cell from the UI, keeps state, shows a type error's line, and restarts", async () => {
    await wb.command("View: Close All Editors");
    await wb.openFile("kernel-control.ipynb");
    await wb.command("Notebook: Run All");
    await wb.pickKernelIfAsked();
    // Interrupt applies to the cell running at that moment: wait until that is the loop (cell 1 has finished).
    await page.waitForSelector(".codicon-notebook-state-success", { timeout: 90_000 });
    await page.waitForSelector(".codicon-notebook-state-executing", { timeout: 60_000 });
    await page.waitForTimeout(1500);
    for (let attempt = 0; attempt < 3; attempt++) {
      await wb.command("Notebook: Interrupt");
      try {
        await wb.waitForCells(2, 15_000);
        break;
      } catch (e) {
        if (attempt === 2) throw e;
      }
    }
    await page.screenshot({ path: path.join(shots, "kernel-control-interrupted.png"), fullPage: true });
    assert.equal(await page.locator(".codicon-notebook-state-success").count(), 1, "cell 1 ran");
    assert.equal(await page.locator(".codicon-notebook-state-error").count(), 1, "the loop was interrupted");
    let frame = await wb.outputFrame();
    assert.match(await frame.locator("body").innerText(), /Interrupted/);

    await wb.focusCell(2);
    await wb.command("Notebook: Execute Cell and Below");
    await wb.waitForCells(4);
    await page.screenshot({ path: path.join(shots, "kernel-control-after.png"), fullPage: true });
    frame = await wb.outputFrame();
    const after = await frame.locator("body").innerText();
    assert.match(after, /state survives/, "the interrupted kernel kept `kept`");
    assert.match(after, /line 1, column 7: Type 'string' is not assignable to type 'number'/);

    await wb.command("ML Lab: Restart Kernel");
    await page.waitForTimeout(3000);
    await wb.focusCell(2);
    await wb.command("Notebook: Execute Cell");
    await page.waitForTimeout(4000);
    frame = await wb.outputFrame();
    await page.screenshot({ path: path.join(shots, "kernel-control-restarted.png"), fullPage: true });
    assert.match(await frame.locator("body").innerText(), /Cannot find name 'kept'/, "restart cleared the state");
  });
});

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Browser, chromium, Page } from "playwright-core";
import { makeFixtures } from "./fixtures";

const root = path.resolve(__dirname, "..", "..");
const shots = path.join(root, "test-results", "renderer");
const MIXTURE = "application/vnd.mllab.mixture+json", IMAGES = "application/vnd.mllab.images+json", VEGA = "application/vnd.vegalite.v5+json";

/** RGB of the canvas pixel at CSS position (x, y) inside the output `id`. */
async function pixel(page: Page, id: string, x: number, y: number): Promise<number[]> {
  return page.evaluate(([id, x, y]) => {
    const canvas = document.querySelector(`#${id} canvas`) as HTMLCanvasElement;
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    return Array.from(canvas.getContext("2d")!.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data.slice(0, 3));
  }, [id, x, y] as const);
}

/** Counts canvas pixels within `tolerance` of a colour. */
async function countColour(page: Page, id: string, hex: string, tolerance = 40): Promise<number> {
  return page.evaluate(([id, hex, tolerance]) => {
    const canvas = document.querySelector(`#${id} canvas`) as HTMLCanvasElement;
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < tolerance && data[i + 3] > 200) n++;
    return n;
  }, [id, hex, tolerance] as const);
}

describe("renderers in headless Chromium (the real bundle, fixtures from the real builders)", () => {
  let server: http.Server;
  let browser: Browser;
  let page: Page;
  const fx = makeFixtures();

  before(async () => {
    fs.mkdirSync(shots, { recursive: true });
    server = http.createServer((req, res) => {
      const url = req.url ?? "/";
      const file = url.startsWith("/renderer/") ? path.join(root, "renderer", "dist", url.slice("/renderer/".length)) : path.join(__dirname, "page.html");
      if (!fs.existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": file.endsWith(".js") ? "text/javascript" : "text/html" }).end(fs.readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
    page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    assert.deepEqual(errors, []);
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  const render = (id: string, mime: string, data: unknown) => page.evaluate(([id, mime, data]) => (window as any).renderItem(id, mime, data), [id, mime, data] as const);

  it("2-D mixture: responsibility colours, 1/2/3σ ellipses in component colours, means, and an iteration scrubber", async () => {
    await render("mix2d", MIXTURE, fx.mixture2d[MIXTURE]);
    const colours = (fx.mixture2d[MIXTURE] as { colors: string[] }).colors;
    for (const c of colours.slice(0, 3)) assert.ok((await countColour(page, "mix2d", c, 30)) > 150, `ellipse/point pixels in ${c}`);
    const status = page.locator("#mix2d span");
    assert.match(await status.innerText(), new RegExp(`^${fx.em.nIter} of ${fx.em.nIter}, log-likelihood`));
    const final = await page.locator("#mix2d canvas").screenshot({ path: path.join(shots, "mixture-final.png") });
    await page.locator("#mix2d input[type=range]").fill("0");
    assert.match(await status.innerText(), new RegExp(`^0 of ${fx.em.nIter}`));
    const initial = await page.locator("#mix2d canvas").screenshot({ path: path.join(shots, "mixture-initial.png") });
    assert.notDeepEqual(initial, final, "the scrubber redraws another iteration");
    await page.locator("#mix2d input[type=range]").fill("12");
    await page.locator("#mix2d canvas").screenshot({ path: path.join(shots, "mixture-12.png") });
    assert.match((await page.locator("#mix2d canvas").getAttribute("aria-label"))!, /Gaussian mixture with 3 components at iteration 12/);
  });

  it("2-D mixture of 3 features: axis pickers choose the projection", async () => {
    await render("mix3d", MIXTURE, fx.mixture3d[MIXTURE]);
    const selects = page.locator("#mix3d select");
    assert.equal(await selects.count(), 2);
    assert.equal(await selects.nth(1).inputValue(), "2", "starts on the axes the builder chose (red vs blue)");
    const before = await page.locator("#mix3d canvas").screenshot();
    await selects.nth(1).selectOption("1");
    assert.match((await page.locator("#mix3d canvas").getAttribute("aria-label"))!, /red against green/);
    assert.notDeepEqual(await page.locator("#mix3d canvas").screenshot({ path: path.join(shots, "mixture-rg.png") }), before);
  });

  it("1-D mixture: histogram, component and mixture pdfs, true and estimated means", async () => {
    await render("mix1d", MIXTURE, fx.mixture1d[MIXTURE]);
    await page.locator("#mix1d canvas").screenshot({ path: path.join(shots, "mixture-1d.png") });
    const colours = (fx.mixture1d[MIXTURE] as { colors: string[] }).colors;
    assert.ok((await countColour(page, "mix1d", colours[0], 30)) > 100);
    assert.ok((await countColour(page, "mix1d", colours[1], 30)) > 100);
    // 5,000 samples: the estimates sit near, not on, the truth (μ₁ = −1.8); the label lists both.
    assert.match((await page.locator("#mix1d canvas").getAttribute("aria-label"))!, /component 0: weight 0\.7\d, mean 1\.\d\d.*\(true mean 1\.30\); component 1: weight 0\.3\d, mean -1\.\d\d, std 1\.\d\d \(true mean -1\.80\)/);
  });

  it("image grid: centroids drawn as images with their captions", async () => {
    await render("cent", IMAGES, fx.centroids[IMAGES]);
    await page.locator("#cent").screenshot({ path: path.join(shots, "centroids.png") });
    const data = fx.centroids[IMAGES] as { captions: string[] };
    assert.match((await page.locator("#cent canvas").getAttribute("aria-label"))!, new RegExp(`16 images of 28×28.*${data.captions[0].replace(/[()]/g, "\\$&")}`));
    // Tiles are 56×56 px (scale 2): the first centroid's stroke crosses the middle column, its corner is paper.
    const column = await Promise.all(Array.from({ length: 40 }, (_, i) => pixel(page, "cent", 28, 8 + i)));
    const darkest = Math.min(...column.map((p) => p[0] + p[1] + p[2]));
    const paper = await pixel(page, "cent", 2, 2);
    assert.deepEqual(paper, [255, 255, 255], "light theme: white paper");
    assert.ok(darkest < 3 * 140, `the stroke is dark (darkest ${darkest})`);
  });

  it("image grid: RGB images keep their colours; grayscale ink follows the theme when it changes", async () => {
    await render("rgb", IMAGES, fx.rgbImages[IMAGES]);
    // 2×2 images at scale 28 (56 px tiles) with 6 px gaps: tile centres at x = 28, 90, 152.
    assert.deepEqual(await pixel(page, "rgb", 28, 28), [255, 0, 0]);
    assert.deepEqual(await pixel(page, "rgb", 90, 28), [0, 255, 0]);
    assert.deepEqual(await pixel(page, "rgb", 152, 28), [0, 0, 255]);
    const lightPaper = await pixel(page, "cent", 2, 2);
    await page.evaluate(() => (document.body.className = "vscode-dark"));
    await page.waitForTimeout(300);
    const darkPaper = await pixel(page, "cent", 2, 2);
    await page.evaluate(() => (document.body.className = "vscode-light"));
    assert.deepEqual(lightPaper, [255, 255, 255]);
    assert.deepEqual(darkPaper, [30, 30, 30], "redrawn on the dark theme's background");
  });

  it("image grid: 4,000 digits on one virtualised canvas, drawn quickly, scrolled on demand", async () => {
    const ms = await render("many", IMAGES, fx.many[IMAGES]);
    assert.ok(ms < 1500, `first draw took ${ms.toFixed(0)} ms`);
    assert.ok((await page.locator("#many *").count()) < 12, "a handful of elements, not thousands");
    const viewport = page.locator("#many [tabindex]");
    const top = await page.locator("#many canvas").screenshot();
    await viewport.evaluate((el) => (el.scrollTop = 20_000));
    await page.waitForTimeout(100);
    assert.notDeepEqual(await page.locator("#many canvas").screenshot({ path: path.join(shots, "many-scrolled.png") }), top);
  });

  it("vega-lite: the convergence chart draws as SVG with an export menu, and follows the theme", async () => {
    await render("conv", VEGA, fx.convergence[VEGA]);
    await page.locator("#conv .mllab-vega").screenshot({ path: path.join(shots, "convergence-light.png") });
    assert.ok((await page.locator("#conv svg .mark-line path").count()) > 0, "the distortion line");
    assert.ok((await page.locator("#conv details, #conv .vega-actions").count()) > 0, "export menu");
    const lightLabel = await page.locator("#conv svg .role-axis-label text").first().getAttribute("fill");
    await page.evaluate(() => (document.body.className = "vscode-dark"));
    await page.waitForTimeout(400);
    const darkLabel = await page.locator("#conv svg .role-axis-label text").first().getAttribute("fill");
    assert.notEqual(darkLabel, lightLabel);
    assert.equal(darkLabel, "#e0e0e0");
    await page.locator("#conv .mllab-vega").screenshot({ path: path.join(shots, "convergence-dark.png") });
    await page.evaluate(() => (document.body.className = "vscode-light"));
  });

  it("convergence charts offer a log-scale toggle that redraws the y axis", async () => {
    await render("logs", VEGA, fx.convergence[VEGA]);
    const ticks = () => page.locator("#logs svg .role-axis-label text").allTextContents();
    const linear = await ticks();
    await page.locator("#logs input[type=checkbox]").check();
    await page.waitForFunction(() => document.querySelector("#logs input[type=checkbox]") !== null && (document.querySelector("#logs input[type=checkbox]") as HTMLInputElement).checked);
    await page.waitForTimeout(300);
    const log = await ticks();
    assert.notDeepEqual(log, linear);
    assert.equal(await page.locator("#logs input[type=checkbox]").isChecked(), true, "the toggle keeps its state across the redraw");
    await page.locator("#logs .mllab-vega").screenshot({ path: path.join(shots, "convergence-log.png") });
  });

  it("vega-lite: 10,000 points render on canvas and stay responsive", async () => {
    const ms = await render("big", VEGA, fx.scatter);
    assert.ok(await page.locator("#big canvas").count(), "canvas renderer for large data");
    assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
    const t0 = Date.now();
    await page.locator("#big canvas").hover({ position: { x: 200, y: 150 } });
    assert.ok(Date.now() - t0 < 1500, "hover answers quickly");
  });

  it("an update with the same output id redraws in place (no empty frame)", async () => {
    const spec = fx.convergence[VEGA] as Record<string, unknown>;
    const blanks = await page.evaluate(async ([spec]) => {
      const el = document.getElementById("conv")!;
      let empty = 0;
      const observer = new MutationObserver(() => {
        if (!el.querySelector("svg")) empty++;
      });
      observer.observe(el, { childList: true, subtree: true });
      for (let i = 0; i < 3; i++) await (window as any).renderItem("conv", "application/vnd.vegalite.v5+json", { ...spec, title: `update ${i}` });
      observer.disconnect();
      return empty;
    }, [spec] as const);
    assert.equal(blanks, 0);
    assert.match(await page.locator("#conv").innerText(), /update 2/);
  });
});

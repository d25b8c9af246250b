import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Browser, chromium, Page } from "playwright-core";
import { COMPONENT_COLORS, MIME } from "../../kernel-lib/src/output-contract";
import { makeFixtures } from "./fixtures";
import { imageGridProblems, layoutProblems as problemsOf } from "./page-checks";

const layoutProblems = (page: Page, id: string, allowScroll = false) => problemsOf(page, `#${id}`, allowScroll);

const root = path.resolve(__dirname, "..", "..");
const shots = path.join(root, "test-results", "renderer");
const WIDTHS = [600, 700, 800, 900, 1000, 1033, 1100, 1200, 1300, 1400];
const THEMES = ["light", "dark"] as const;

/** RGB of the canvas pixel at CSS position (x, y) of the first canvas inside `selector`. */
async function pixel(page: Page, selector: string, x: number, y: number): Promise<number[]> {
  return page.evaluate(([selector, x, y]) => {
    const canvas = document.querySelector(`${selector} canvas`) as HTMLCanvasElement;
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    return Array.from(canvas.getContext("2d")!.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data.slice(0, 3));
  }, [selector, x, y] as const);
}

/** Pixels of a component colour outside every plot area of a mixture view (in the tick labels and titles). */
async function colourOutsidePlots(page: Page, id: string): Promise<number> {
  const frames = await page.evaluate((id) => {
    return Array.from(document.querySelectorAll(`#${id} .mllab-panel svg`)).map((svg) => {
      // The clip rectangle in the frame's own pixels (a viewBox of the frame's size), moved to page coordinates.
      const clip = svg.querySelector("clipPath rect") as SVGRectElement;
      const all = svg.getBoundingClientRect();
      const [dx, dy] = [all.left + window.scrollX, all.top + window.scrollY];
      return { all: { x: dx, y: dy, width: all.width, height: all.height }, plot: { x: dx + clip.x.baseVal.value, y: dy + clip.y.baseVal.value, width: clip.width.baseVal.value, height: clip.height.baseVal.value } };
    });
  }, id);
  const colours = COMPONENT_COLORS.slice(0, 4).map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  let count = 0;
  for (const f of frames) {
    const png = await page.screenshot({ clip: f.all, fullPage: true });
    const { PNG } = await import("pngjs");
    const image = PNG.sync.read(png);
    const scale = image.width / f.all.width;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const cx = f.all.x + x / scale, cy = f.all.y + y / scale;
        // Outside the plot area, with a pixel of slack for antialiasing at its border.
        if (cx > f.plot.x - 1 && cx < f.plot.x + f.plot.width + 1 && cy > f.plot.y - 1 && cy < f.plot.y + f.plot.height + 1) continue;
        const i = (y * image.width + x) * 4;
        if (colours.some((c) => Math.abs(image.data[i] - c[0]) + Math.abs(image.data[i + 1] - c[1]) + Math.abs(image.data[i + 2] - c[2]) < 60)) count++;
      }
    }
  }
  return count;
}

describe("renderers in headless Chromium (the real bundle in a VS Code-like output webview, fixtures from the real builders)", () => {
  let server: http.Server;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const fx = makeFixtures();
  const render = (id: string, mime: string, data: unknown) => page.evaluate(([id, mime, data]) => (window as any).renderItem(id, mime, data), [id, mime, data] as const);
  /** Waits until every output has redrawn and VS Code's stand-in has sized its box to it (at most 3 s). */
  const settle = async () => {
    await page.waitForTimeout(250);
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>(".output")).every((o) => o.parentElement!.clientHeight === o.offsetHeight), undefined, { timeout: 3000, polling: 100 }).catch(() => undefined);
  };
  const setWidth = async (width: number) => {
    await page.evaluate((w) => document.getElementById("container")!.style.setProperty("--output-width", `${w}px`), width);
    await settle();
  };
  const setTheme = async (theme: string) => {
    await page.evaluate((t) => (document.body.className = `vscode-${t}`), theme);
    await page.waitForTimeout(150);
    await settle();
  };

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
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  });

  after(async () => {
    assert.deepEqual(errors, [], "no errors in the page");
    await browser?.close();
    server?.close();
  });

  it("every view fits its output at widths 600–1400 px in light and dark themes: no overflow, no inner scrollbar, no text on text, ellipses clipped, titles and legends present", async () => {
    const views: [string, string, unknown, { legend?: number; title: RegExp }][] = [
      ["lay-mix2d", MIME.mixture, fx.mixture2d[MIME.mixture], { legend: 4, title: /EM on 100 points/ }],
      ["lay-initial", MIME.mixture, fx.initialOnly[MIME.mixture], { legend: 4, title: /iteration 0/ }],
      ["lay-multiples", MIME.mixture, fx.multiples[MIME.mixture], { legend: 4, title: /initial, 12 iterations, final/ }],
      ["lay-dense", MIME.mixture, fx.dense[MIME.mixture], { legend: 4, title: /3 × 1,000/ }],
      ["lay-mix3d", MIME.mixture, fx.mixture3d[MIME.mixture], { legend: 5, title: /Gaussian mixture/ }],
      ["lay-mix1d", MIME.mixture, fx.mixture1d[MIME.mixture], { legend: 6, title: /against the truth/ }],
      ["lay-cent", MIME.images, fx.centroids[MIME.images], { title: /16 centroids/ }],
      ["lay-tiles", MIME.images, fx.photoTiles[MIME.images], { title: /eight tiles/ }],
      ["lay-conv", MIME.vegaLite, fx.convergence[MIME.vegaLite], { title: /KMeans k=16/ }],
      ["lay-ten", MIME.vegaLite, fx.tenRuns[MIME.vegaLite], { legend: 10, title: /KMeans k=3/ }],
      ["lay-km2d", MIME.vegaLite, fx.kmeans2d[MIME.vegaLite], { legend: 3, title: /KMeans k=3/ }],
      ["lay-em", MIME.vegaLite, fx.emTrace[MIME.vegaLite], { title: /EM: \d+ iterations/ }],
      ["lay-loglog", MIME.vegaLite, fx.logLog, { legend: 2, title: /time per iteration/ }],
    ];
    await setWidth(WIDTHS[0]);
    for (const [id, mime, data] of views) await render(id, mime, data);
    const problems: string[] = [];
    for (const theme of THEMES) {
      await setTheme(theme);
      for (const width of WIDTHS) {
        await setWidth(width);
        for (const [id, , , expect] of views) {
          for (const p of await layoutProblems(page, id)) problems.push(`${theme} ${width}px ${id}: ${p}`);
          const { title, legend } = await page.evaluate((id) => {
            const el = document.getElementById(id)!;
            const title = Array.from(el.querySelectorAll(".mllab-title, .role-title-text text, .role-title text")).map((t) => t.textContent).join(" ");
            const legend = el.querySelectorAll(".mllab-legend li, .role-legend-label text").length;
            return { title, legend };
          }, id);
          if (!expect.title.test(title)) problems.push(`${theme} ${width}px ${id}: title "${title}" does not match ${expect.title}`);
          if (expect.legend !== undefined && legend < expect.legend) problems.push(`${theme} ${width}px ${id}: ${legend} legend entries, expected ${expect.legend}`);
          if (id.startsWith("lay-mix") && id !== "lay-mix1d" || id === "lay-multiples" || id === "lay-dense" || id === "lay-initial") {
            const outside = await colourOutsidePlots(page, id);
            if (outside > 0) problems.push(`${theme} ${width}px ${id}: ${outside} component-coloured pixels outside the plot areas`);
          }
        }
        if (width % 400 === 200 || width === 1033) await page.screenshot({ path: path.join(shots, `layout-${theme}-${width}.png`), fullPage: true });
      }
    }
    await setTheme("light");
    assert.deepEqual(problems, []);
  });

  // Seen in the real VS Code (the hw6-optimization sample): a label centred on an extremum at the interval's left end
  // ran over the y axis's tick labels; lineChart now aligns the labels of points near an end towards the inside.
  it("HW6's function plot: the labels of extrema at the ends of the interval stay off the tick labels at every width", async () => {
    await setWidth(WIDTHS[0]);
    await render("lay-fplot", MIME.vegaLite, fx.functionPlot);
    const problems: string[] = [];
    for (const width of WIDTHS) {
      await setWidth(width);
      for (const p of await layoutProblems(page, "lay-fplot")) problems.push(`${width}px: ${p}`);
    }
    assert.deepEqual(problems, []);
  });

  it("image grids: captions (bold label over details) inside the visible area at every width, and a click enlarges an image", async () => {
    await render("cent", MIME.images, fx.centroids[MIME.images]);
    for (const width of WIDTHS) {
      await setWidth(width);
      const m = await page.evaluate(() => {
        const canvas = document.querySelector("#cent canvas") as HTMLCanvasElement;
        const viewport = document.querySelector("#cent .mllab-grid") as HTMLElement;
        const [tileW, tileH] = canvas.dataset.tile!.split("x").map(Number);
        const columns = Number(canvas.dataset.columns);
        const c = canvas.getBoundingClientRect(), v = viewport.getBoundingClientRect();
        // Ink in the caption band of the last tile (its headline), read back from the canvas pixels.
        const ratio = canvas.width / c.width;
        const last = 15, row = Math.floor(last / columns), col = last % columns;
        const band = canvas.getContext("2d")!.getImageData(Math.round(col * (tileW + 10) * ratio), Math.round((row * (tileH + 10) + 56) * ratio), Math.round(tileW * ratio), Math.round((tileH - 56) * ratio)).data;
        let ink = 0;
        for (let i = 0; i < band.length; i += 4) if (band[i + 3] > 0 && band[i] < 128) ink++;
        return { canvas: [c.left, c.right, c.top, c.bottom], viewport: [v.left, v.right, v.top, v.bottom], ink, tileW, columns, scroll: viewport.scrollHeight - viewport.clientHeight };
      });
      assert.ok(m.canvas[0] >= m.viewport[0] && m.canvas[1] <= m.viewport[1] + 0.5, `${width}px: the grid fits across (${m.canvas} in ${m.viewport})`);
      assert.ok(m.canvas[3] <= m.viewport[3] + 0.5 && m.scroll === 0, `${width}px: every caption row is in view without scrolling`);
      assert.ok(m.ink > 40, `${width}px: the last centroid's caption is drawn (${m.ink} ink pixels)`);
      assert.ok(m.tileW >= 80, "tiles are as wide as their captions, not squeezed to the image");
      assert.deepEqual(await imageGridProblems(page, "#cent"), [], `${width}px: the e2e suite's check agrees`);
    }
    await setWidth(1000);
    await page.locator("#cent").screenshot({ path: path.join(shots, "centroids.png") });
    await page.locator("#cent canvas").click({ position: { x: 30, y: 28 } });
    const zoom = page.locator("#cent .mllab-zoom");
    assert.equal(await zoom.isVisible(), true, "a click shows the enlarged image");
    const big = await zoom.locator("canvas").boundingBox();
    assert.ok(big && big.width >= 250, `enlarged to ${big?.width} px`);
    const caption = (fx.centroids[MIME.images] as { captions: string[] }).captions[0];
    assert.match(await zoom.innerText(), new RegExp(caption.split("\n")[0]));
    await page.locator("#cent").screenshot({ path: path.join(shots, "centroids-zoom.png") });
    assert.deepEqual(await layoutProblems(page, "cent"), []);
    await page.locator("#cent .mllab-grid").press("Escape");
    assert.equal(await zoom.isVisible(), false, "Escape closes it");
  });

  it("2-D mixture: a scrubber with a play button, linked to the log-likelihood trace, steps through every iteration", async () => {
    await setWidth(1000);
    await render("mix2d", MIME.mixture, fx.mixture2d[MIME.mixture]);
    await page.waitForSelector("#mix2d .mllab-linked-trace svg");
    const status = page.locator("#mix2d .mllab-status");
    assert.match(await status.innerText(), new RegExp(`^iteration ${fx.em.nIter} of ${fx.em.nIter} · log-likelihood`));
    const marker = () => page.evaluate(() => Array.from(document.querySelectorAll("#mix2d .mllab-linked-trace .mark-symbol path")).map((p) => p.getAttribute("transform")).filter(Boolean).at(-1));
    const finalMarker = await marker();
    const final = await page.locator("#mix2d .mllab-panel").screenshot({ path: path.join(shots, "mixture-final.png") });
    await page.locator("#mix2d input[type=range]").fill("0");
    assert.match(await status.innerText(), new RegExp(`^iteration 0 of ${fx.em.nIter}`));
    await page.waitForTimeout(150);
    assert.notEqual(await marker(), finalMarker, "the trace marks the scrubbed iteration");
    const initial = await page.locator("#mix2d .mllab-panel").screenshot({ path: path.join(shots, "mixture-initial.png") });
    assert.notDeepEqual(initial, final, "the scrubber redraws another iteration");
    await page.locator("#mix2d .mllab-play").click();
    await page.waitForFunction((n) => document.querySelector("#mix2d .mllab-status")!.textContent!.startsWith(`iteration ${n} of`), fx.em.nIter, { timeout: 10_000 });
    assert.equal(await page.locator("#mix2d input[type=range]").inputValue(), String(fx.em.snapshots.length - 1), "play ran to the last iteration");
    assert.equal(await page.locator("#mix2d .mllab-play").getAttribute("aria-label"), "play through the iterations", "and stopped there");
    // A click on the trace moves the scrubber to that iteration.
    await page.locator("#mix2d .mllab-linked-trace").scrollIntoViewIfNeeded();
    const svg = await page.locator("#mix2d .mllab-linked-trace svg").boundingBox();
    const point = await page.evaluate(() => {
      const symbols = Array.from(document.querySelectorAll("#mix2d .mllab-linked-trace .mark-symbol path"));
      const r = symbols[2].getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.click(point.x, point.y);
    await page.waitForTimeout(150);
    assert.ok(svg);
    assert.equal(await page.locator("#mix2d input[type=range]").inputValue(), "2", "clicked the third point: iteration 2");
    await page.locator("#mix2d").screenshot({ path: path.join(shots, "mixture-scrubber.png") });
  });

  it("a view of one snapshot has no dead slider; small multiples put iterations side by side with their titles", async () => {
    await setWidth(1000);
    await render("one", MIME.mixture, fx.initialOnly[MIME.mixture]);
    assert.equal(await page.locator("#one input[type=range]").count(), 0);
    assert.equal(await page.locator("#one .mllab-play").count(), 0);
    await render("multi", MIME.mixture, fx.multiples[MIME.mixture]);
    const titles = await page.locator("#multi .mllab-panel-title").allInnerTexts();
    assert.deepEqual(titles, ["iteration 0", "iteration 12", `iteration ${fx.em.nIter}`]);
    const tops = await page.locator("#multi .mllab-panel").evaluateAll((ps) => ps.map((p) => Math.round(p.getBoundingClientRect().top)));
    assert.equal(new Set(tops).size, 1, "side by side at 1000 px");
    await page.locator("#multi").screenshot({ path: path.join(shots, "mixture-multiples.png") });
    await setWidth(600);
    const narrow = await page.locator("#multi .mllab-panel").evaluateAll((ps) => ps.map((p) => Math.round(p.getBoundingClientRect().top)));
    assert.ok(new Set(narrow).size > 1, "wrapped at 600 px");
    assert.deepEqual(await layoutProblems(page, "multi"), []);
    await setWidth(1000);
  });

  it("2-D mixture of 3 features: axis pickers choose the projection", async () => {
    await render("mix3d", MIME.mixture, fx.mixture3d[MIME.mixture]);
    const selects = page.locator("#mix3d select");
    assert.equal(await selects.count(), 2);
    assert.equal(await selects.nth(1).inputValue(), "2", "starts on the axes the builder chose (red vs blue)");
    const before = await page.locator("#mix3d .mllab-panels").screenshot();
    await selects.nth(1).selectOption("1");
    assert.match((await page.locator("#mix3d .mllab-panels").getAttribute("aria-label"))!, /red against green/);
    assert.match(await page.locator("#mix3d .mllab-axis-title-y").textContent() ?? "", /green/);
    assert.notDeepEqual(await page.locator("#mix3d .mllab-panels").screenshot({ path: path.join(shots, "mixture-rg.png") }), before);
  });

  it("1-D mixture: title, legend, histogram, dashed component pdfs, the mixture pdf, estimated and true means", async () => {
    await render("mix1d", MIME.mixture, fx.mixture1d[MIME.mixture]);
    await page.locator("#mix1d").screenshot({ path: path.join(shots, "mixture-1d.png") });
    assert.equal(await page.locator("#mix1d .mllab-title").innerText(), "EM's components against the truth (dashed)");
    const legend = await page.locator("#mix1d .mllab-legend li").allInnerTexts();
    assert.deepEqual(legend.map((l) => l.trim()), ["data (histogram)", "component 0 · weight 0.70", "component 1 · weight 0.30", "mixture", "estimated means (solid)", "true means (dashed)"]);
    assert.equal(await page.locator("#mix1d .mllab-component").count(), 2);
    assert.equal(await page.locator("#mix1d .mllab-true-mean[stroke-dasharray]").count(), 2, "true means dashed, as the text says");
    assert.equal(await page.locator("#mix1d .mllab-estimated-mean:not([stroke-dasharray])").count(), 2);
    assert.match((await page.locator("#mix1d svg[role=img]").getAttribute("aria-label"))!, /component 0: weight 0\.7\d, mean 1\.\d\d.*\(true mean 1\.30\); component 1: weight 0\.3\d, mean -1\.\d\d, std 1\.\d\d \(true mean -1\.80\)/);
  });

  it("image grid: RGB images keep their colours; grayscale ink follows the theme when it changes", async () => {
    await render("rgb", MIME.images, fx.rgbImages[MIME.images]);
    // 2×2 images at scale 28 (56 px tiles) with 10 px gaps: tile centres at x = 28, 94, 160.
    assert.deepEqual(await pixel(page, "#rgb", 28, 28), [255, 0, 0]);
    assert.deepEqual(await pixel(page, "#rgb", 94, 28), [0, 255, 0]);
    assert.deepEqual(await pixel(page, "#rgb", 160, 28), [0, 0, 255]);
    // The top-left corner of the first centroid image (centred in its caption-wide tile) is paper.
    const corner = await page.evaluate(() => (Number((document.querySelector("#cent canvas") as HTMLCanvasElement).dataset.tile!.split("x")[0]) - 56) / 2 + 1);
    const lightPaper = await pixel(page, "#cent .mllab-grid", corner, 1);
    await setTheme("dark");
    const darkPaper = await pixel(page, "#cent .mllab-grid", corner, 1);
    await page.locator("#cent").screenshot({ path: path.join(shots, "centroids-dark.png") });
    await setTheme("light");
    assert.deepEqual(lightPaper, [255, 255, 255]);
    assert.deepEqual(darkPaper, [30, 30, 30], "redrawn on the dark theme's background");
  });

  it("image grid: 4,000 digits on one virtualised canvas, drawn quickly, scrolled vertically only, never sideways", async () => {
    const ms = await render("many", MIME.images, fx.many[MIME.images]);
    assert.ok(ms < 3000, `first draw took ${ms.toFixed(0)} ms`);
    assert.ok((await page.locator("#many *").count()) < 12, "a handful of elements, not thousands");
    for (const width of [600, 1033, 1400]) {
      await setWidth(width);
      assert.deepEqual(await layoutProblems(page, "many", true), [], `${width}px`);
    }
    const viewport = page.locator("#many .mllab-grid");
    const top = await page.locator("#many canvas").screenshot();
    await viewport.evaluate((el) => (el.scrollTop = 20_000));
    await page.waitForTimeout(100);
    assert.notDeepEqual(await page.locator("#many canvas").screenshot({ path: path.join(shots, "many-scrolled.png") }), top);
    await setWidth(1000);
  });

  it("vega-lite: the convergence chart draws as SVG with an export menu, and follows the theme", async () => {
    await render("conv", MIME.vegaLite, fx.convergence[MIME.vegaLite]);
    await page.locator("#conv .mllab-vega").screenshot({ path: path.join(shots, "convergence-light.png") });
    assert.ok((await page.locator("#conv svg .mark-line path").count()) > 0, "the distortion line");
    assert.ok((await page.locator("#conv details, #conv .vega-actions").count()) > 0, "export menu");
    const lightLabel = await page.locator("#conv svg .role-axis-title text").first().getAttribute("fill");
    await setTheme("dark");
    const darkLabel = await page.locator("#conv svg .role-axis-title text").first().getAttribute("fill");
    assert.notEqual(darkLabel, lightLabel);
    assert.equal(darkLabel, "#e0e0e0");
    await page.locator("#conv .mllab-vega").screenshot({ path: path.join(shots, "convergence-dark.png") });
    await setTheme("light");
  });

  it("log-scale toggle: positive traces go on a log axis; negative log-likelihoods show the distance to their best value, never a blank axis", async () => {
    const ticks = (id: string) => page.locator(`#${id} svg .role-axis-label text`).allTextContents();
    const paths = (id: string) => page.locator(`#${id} svg .mark-line path, #${id} svg .mark-symbol path`).evaluateAll((ps) => ps.map((p) => p.getAttribute("d") ?? ""));
    for (const [id, data] of [["logpos", fx.convergence[MIME.vegaLite]], ["logneg", fx.emTrace[MIME.vegaLite]], ["loggm", fx.gmTrace[MIME.vegaLite]]] as const) {
      await render(id, MIME.vegaLite, data);
      const linear = await ticks(id);
      await page.locator(`#${id} input[type=checkbox]`).check();
      await page.waitForTimeout(400);
      assert.equal(await page.locator(`#${id} input[type=checkbox]`).isChecked(), true, "the toggle keeps its state across the redraw");
      const log = await ticks(id);
      assert.notDeepEqual(log, linear, id);
      assert.ok(log.filter((t) => t.trim() !== "").length >= 4, `${id}: labelled axes on the log scale (${log.join(" ")})`);
      const d = await paths(id);
      // A fit that converges in a few iterations leaves only points once its best value (distance 0) is dropped.
      assert.ok(d.length > 0 && d.every((p) => p.length > 5 && !/NaN|Infinity/.test(p)), `${id}: drawn marks`);
      await page.locator(`#${id} .mllab-vega`).screenshot({ path: path.join(shots, `${id}-log.png`) });
    }
    assert.match(await page.locator("#logneg label").innerText(), /distance to the best value/);
    assert.match((await page.locator("#logneg svg .role-axis-title text").allTextContents()).join(" "), /distance to the best log-likelihood/);
  });

  it("several runs: the best heads the legend and is drawn bold on top, the rest follow in run order", async () => {
    await render("runs", MIME.vegaLite, fx.tenRuns[MIME.vegaLite]);
    const labels = await page.locator("#runs .role-legend-label text").allTextContents();
    assert.match(labels[0], /\(best\)$/);
    const rest = labels.slice(1).map((l) => Number(/run (\d+)/.exec(l)![1]));
    assert.deepEqual(rest, [...rest].sort((a, b) => a - b), `legend in run order: ${labels.join(", ")}`);
    const widths = await page.locator("#runs .mark-line path").evaluateAll((ps) => ps.map((p) => Number(p.getAttribute("stroke-width"))));
    assert.equal(Math.max(...widths), widths[widths.length - 1], "the best run's line is the last drawn and the widest");
    // Each legend swatch is drawn as its run's line: the same colour and opacity (the best one opaque, like its line).
    const style = (selector: string) => page.locator(selector).evaluateAll((ps) => ps.map((p) => ({ stroke: p.getAttribute("stroke"), opacity: Number(p.getAttribute("opacity") ?? 1), width: Number(p.getAttribute("stroke-width")) })));
    const swatches = await style("#runs .role-legend-symbol path");
    const lines = await style("#runs .mark-line path");
    assert.equal(swatches.length, 10);
    for (const [i, swatch] of swatches.entries()) {
      const line = lines.find((l) => l.stroke === swatch.stroke);
      assert.ok(line, `${labels[i]}: a line in its swatch's colour ${swatch.stroke}`);
      assert.equal(swatch.opacity, line.opacity, `${labels[i]}: swatch and line equally opaque`);
    }
    const bestLine = lines.find((l) => l.stroke === swatches[0].stroke)!;
    assert.deepEqual([bestLine.width, bestLine.opacity, swatches[0].opacity], [Math.max(...widths), 1, 1], "the best run's swatch is its bold, opaque line's colour");
    await page.locator("#runs .mllab-vega").screenshot({ path: path.join(shots, "convergence-runs.png") });
  });

  it("a fitted 2-D k-means shows its clusters, centroids and distortion trace; the log–log chart labels powers of ten", async () => {
    await render("km2d", MIME.vegaLite, fx.kmeans2d[MIME.vegaLite]);
    assert.equal(await page.locator("#km2d .mark-symbol path").count() >= 3, true);
    assert.ok((await page.locator("#km2d .role-mark").count()) >= 3, "points, centroids and the trace");
    await page.locator("#km2d .mllab-vega").screenshot({ path: path.join(shots, "kmeans-2d.png") });
    await render("ll", MIME.vegaLite, fx.logLog);
    const labels = (await page.locator("#ll .role-axis-label text").allTextContents()).filter((t) => t !== "");
    assert.ok(labels.length >= 5 && labels.every((l) => Number.isInteger(Math.log10(Number(l.replace(/,/g, ""))))), `powers of ten: ${labels.join(" ")}`);
    await page.locator("#ll .mllab-vega").screenshot({ path: path.join(shots, "loglog.png") });
  });

  it("vega-lite: 10,000 points render on canvas and stay responsive", async () => {
    const ms = await render("big", MIME.vegaLite, fx.scatter);
    assert.ok(await page.locator("#big canvas").count(), "canvas renderer for large data");
    assert.ok(ms < 8000, `took ${ms.toFixed(0)} ms`);
    await page.locator("#big canvas").hover({ position: { x: 200, y: 150 } });
  });

  it("live progress: the call's line, its objective trace and a bar for a known number of steps, fitting every width, redrawn in place", async () => {
    await render("prog", MIME.progress, fx.fitProgress);
    await render("steps", MIME.progress, fx.stepsProgress);
    assert.equal(await page.locator("#prog .mllab-progress-line").innerText(), "KMeans: run 2, iteration 38 · distortion 2.4044e+6 · 4.2 s");
    assert.equal(await page.locator("#prog .mllab-progress-trace polyline").count(), 1, "the distortion so far");
    assert.equal(await page.locator("#prog .mllab-progress-bar").count(), 0, "no bar when the number of steps is unknown");
    assert.match(await page.locator("#steps .mllab-progress-line").innerText(), /^gradient descent: step 30 of 120 · 0\.9 s$/);
    const bar = await page.locator("#steps .mllab-progress-bar").evaluate((b) => [(b.firstElementChild as HTMLElement).getBoundingClientRect().width, b.getBoundingClientRect().width]);
    assert.ok(Math.abs(bar[0] / bar[1] - 0.25) < 0.01, `a quarter done: ${bar}`);
    for (const theme of THEMES) {
      await setTheme(theme);
      for (const width of WIDTHS) {
        await setWidth(width);
        for (const id of ["prog", "steps"]) assert.deepEqual(await layoutProblems(page, id), [], `${theme} ${width}px ${id}`);
      }
    }
    await setTheme("light");
    await setWidth(1000);
    const blanks = await page.evaluate(async ([data]) => {
      const el = document.getElementById("prog")!;
      let empty = 0;
      const observer = new MutationObserver(() => {
        if (!el.querySelector(".mllab-progress-line")) empty++;
      });
      observer.observe(el, { childList: true, subtree: true });
      for (let step = 39; step <= 41; step++) await (window as any).renderItem("prog", "application/vnd.mllab.progress+json", { ...data, step });
      observer.disconnect();
      return empty;
    }, [fx.fitProgress] as const);
    assert.equal(blanks, 0);
    assert.match(await page.locator("#prog .mllab-progress-line").innerText(), /iteration 41/);
    await page.locator("#prog").screenshot({ path: path.join(shots, "progress.png") });
  });

  it("an update with the same output id redraws in place (no empty frame)", async () => {
    const spec = fx.convergence[MIME.vegaLite] as Record<string, unknown>;
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

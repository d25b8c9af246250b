/**
 * What a student would see, measured in a page: shared by the renderer's browser tests (a stand-in for VS Code's
 * output webview) and the e2e tests (the real webview and workbench in code-server). An output's `selector` names
 * VS Code's div.output, whose parent (div.output_container) clips it to the height VS Code measured.
 *
 * The e2e tests `require` this module: the repository's type check has no DOM library; test/renderer's has.
 */
import type { Frame, Page } from "playwright-core";

/**
 * What a student would see go wrong in an output, measured in the page: the output or anything in it wider than
 * its box, content taller than the box VS Code sized for it, an inner element that scrolls, text that overlaps
 * other text, or a picture that leaves the output's content box.
 */
export async function layoutProblems(target: Page | Frame, selector: string, allowScroll = false): Promise<string[]> {
  return target.evaluate(([selector, allowScroll]) => {
    const problems: string[] = [];
    const output = document.querySelector<HTMLElement>(selector)!;
    const container = output.parentElement!;
    if (output.scrollWidth > output.clientWidth) problems.push(`output ${output.scrollWidth} px wide in a ${output.clientWidth} px box`);
    if (container.scrollHeight > container.clientHeight) problems.push(`content ${container.scrollHeight} px tall in a ${container.clientHeight} px box`);
    const style = getComputedStyle(output);
    const box = output.getBoundingClientRect();
    const content = { left: box.left + parseFloat(style.paddingLeft), right: box.right - parseFloat(style.paddingRight) };
    for (const el of Array.from(output.querySelectorAll<HTMLElement>("*"))) {
      const cs = getComputedStyle(el);
      if (/(auto|scroll)/.test(cs.overflowX + cs.overflowY)) {
        if (el.scrollWidth > el.clientWidth) problems.push(`${el.className || el.tagName} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
        if (!allowScroll && el.scrollHeight > el.clientHeight) problems.push(`${el.className || el.tagName} scrolls (${el.scrollHeight} > ${el.clientHeight})`);
      }
      // Clipped plot content (ellipses) is checked by its pixels instead: its box includes what the clip hides.
      if (el.closest(".mllab-sr-only, .vega-actions, details, [clip-path]")) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right > content.right + 0.5 || r.left < content.left - 0.5)) problems.push(`${el.tagName}.${String(el.getAttribute("class") ?? "")} spans ${r.left.toFixed(0)}–${r.right.toFixed(0)} outside ${content.left.toFixed(0)}–${content.right.toFixed(0)}`);
    }
    // Text on text: tick labels, axis titles, legend labels, chart titles (vega hides dropped labels with opacity 0).
    const texts = Array.from(output.querySelectorAll("svg text")).filter((t) => t.textContent!.trim() !== "" && getComputedStyle(t).opacity !== "0" && t.getAttribute("opacity") !== "0" && !t.closest("[opacity='0']"));
    const rects = texts.map((t) => t.getBoundingClientRect());
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const [a, b] = [rects[i], rects[j]];
        if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1) problems.push(`"${texts[i].textContent}" overlaps "${texts[j].textContent}"`);
      }
    }
    return problems;
  }, [selector, allowScroll] as const);
}

/**
 * An image grid as a student sees it: the grid fits across its output, and when it does not scroll, every caption
 * row is in view, with ink in the caption band under the last image.
 */
export async function imageGridProblems(target: Page | Frame, selector: string): Promise<string[]> {
  return target.evaluate((selector) => {
    const problems: string[] = [];
    for (const canvas of Array.from(document.querySelectorAll<HTMLCanvasElement>(`${selector} .mllab-grid canvas`))) {
      const viewport = canvas.parentElement!;
      const c = canvas.getBoundingClientRect(), v = viewport.getBoundingClientRect();
      if (c.left < v.left - 0.5 || c.right > v.right + 0.5) problems.push(`the grid (${c.left.toFixed(0)}–${c.right.toFixed(0)}) is wider than its view (${v.left.toFixed(0)}–${v.right.toFixed(0)})`);
      if (viewport.scrollHeight > viewport.clientHeight) continue;
      if (c.bottom > v.bottom + 0.5) problems.push(`caption rows below the view (${c.bottom.toFixed(0)} > ${v.bottom.toFixed(0)})`);
      const [tileW, tileH] = canvas.dataset.tile!.split("x").map(Number);
      const imageH = Number(canvas.dataset.imageHeight);
      if (tileH <= imageH) continue;
      const columns = Number(canvas.dataset.columns), count = Number(canvas.dataset.count);
      const last = count - 1, row = Math.floor(last / columns), col = last % columns;
      const ratio = canvas.width / c.width;
      const band = canvas.getContext("2d")!.getImageData(Math.round(col * (tileW + 10) * ratio), Math.round((row * (tileH + 10) + imageH) * ratio), Math.round(tileW * ratio), Math.round((tileH - imageH) * ratio)).data;
      let ink = 0;
      for (let i = 3; i < band.length; i += 4) if (band[i] > 0) ink++;
      if (ink < 20) problems.push(`no caption drawn under the last image (${ink} ink pixels)`);
    }
    return problems;
  }, selector);
}

/** The outputs drawn by the ML Lab renderer (root elements matching `views`) that VS Code has laid out, with their view's class. */
export async function rendererOutputs(target: Page | Frame, views: string): Promise<{ id: string; kind: string }[]> {
  return target.evaluate((views) => {
    return Array.from(document.querySelectorAll<HTMLElement>(".output"))
      .filter((o) => o.querySelector(views) && o.parentElement!.clientHeight > 0)
      .map((o) => ({ id: o.id, kind: o.querySelector(views)!.classList[0] }));
  }, views);
}

/** The natural width of the first image under `selector` once it has loaded (0 if it does not within `timeoutMs`). */
export async function loadedImageWidth(target: Page | Frame, selector: string, timeoutMs = 20_000): Promise<number> {
  await target.waitForFunction((selector) => (document.querySelector<HTMLImageElement>(`${selector} img`)?.naturalWidth ?? 0) > 0, selector, { timeout: timeoutMs }).catch(() => undefined);
  return target.evaluate((selector) => document.querySelector<HTMLImageElement>(`${selector} img`)?.naturalWidth ?? 0, selector);
}

/** How far a virtualised list (VS Code's monaco-list) is scrolled: its rows are moved up by that much. */
export async function listScrollTop(target: Page | Frame, selector: string): Promise<number> {
  return target.evaluate((selector) => -parseFloat(document.querySelector<HTMLElement>(`${selector} .monaco-list-rows`)?.style.top || "0"), selector);
}

/**
 * The part of an output a picture of it should show, in page coordinates: the smallest box around everything the
 * view draws (an output is as wide as the editor; a chart often is not), with `pad` pixels around it, inside the
 * output. The output webview's frame may sit anywhere on the page: its offset is read from the output's own box.
 */
export async function pictureClip(target: Page | Frame, selector: string, pad = 8): Promise<{ x: number; y: number; width: number; height: number }> {
  const [page, inFrame] = await Promise.all([
    target.locator(selector).boundingBox(),
    target.evaluate(([selector, pad]) => {
      const output = document.querySelector<HTMLElement>(selector)!;
      const box = output.getBoundingClientRect();
      // What is drawn: pictures and controls as boxes, text by its own extent (a block holding a title is as wide
      // as the output; its text is not).
      const rects: DOMRect[] = [];
      for (const el of Array.from(output.querySelectorAll<Element>("svg, canvas, img, input, button, select, summary"))) {
        if (!el.parentElement?.closest("svg") && !el.closest(".mllab-sr-only") && getComputedStyle(el).visibility !== "hidden") rects.push(el.getBoundingClientRect());
      }
      const walker = document.createTreeWalker(output, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement!;
        if (node.textContent!.trim() === "" || parent.closest("svg, .mllab-sr-only") || getComputedStyle(parent).visibility === "hidden") continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        rects.push(range.getBoundingClientRect());
      }
      let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const r of rects) {
        if (r.width === 0 || r.height === 0) continue;
        [left, top, right, bottom] = [Math.min(left, r.left), Math.min(top, r.top), Math.max(right, r.right), Math.max(bottom, r.bottom)];
      }
      if (left === Infinity) return { output: { x: box.left, y: box.top }, x: box.left, y: box.top, width: box.width, height: box.height };
      const x = Math.max(box.left, left - pad), y = Math.max(box.top, top - pad);
      return { output: { x: box.left, y: box.top }, x, y, width: Math.min(box.right, right + pad) - x, height: Math.min(box.bottom, bottom + pad) - y };
    }, [selector, pad] as const),
  ]);
  if (!page) throw new Error(`${selector} is not on the page`);
  const [dx, dy] = [page.x - inFrame.output.x, page.y - inFrame.output.y];
  return { x: inFrame.x + dx, y: inFrame.y + dy, width: inFrame.width, height: inFrame.height };
}

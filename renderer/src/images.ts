import type { ImageGridPayload } from "../../kernel-lib/src/output-contract";
import { accessibleSummary, availableWidth, themeColors, viewRoot, viewTitle } from "./theme";

const GAP = 10, MAX_HEIGHT = 560, HEADLINE = 13, DETAIL = 11.5, LINE = 1.35, MAX_CAPTION = 160, ZOOM = 280;

function decode(base64: string): Uint8Array {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function parseColor(css: string): [number, number, number] {
  const probe = document.createElement("canvas").getContext("2d")!;
  probe.fillStyle = css;
  const hex = probe.fillStyle as string;
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex);
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : [128, 128, 128];
}

/**
 * A grid of captioned images on one canvas, drawn only for the rows in view (virtual scrolling), so 4,000 MNIST
 * digits cost one canvas, not thousands of DOM nodes. Tiles are as wide as their captions need (a bold headline
 * such as "label 7", smaller details under it), the columns are laid out from the output's content width, and
 * the grid scrolls on its own only beyond MAX_HEIGHT. A click on an image (or Enter on the focused grid) shows it
 * enlarged with its whole caption. Grayscale ink takes the theme's foreground colour.
 */
export function renderImageGrid(element: HTMLElement, data: ImageGridPayload): { dispose(): void; redraw(): void } {
  if (data.version !== 1) throw new Error(`unsupported images version ${data.version}`);
  const [h, w] = data.shape;
  const pixels = decode(data.pixels);
  const perImage = h * w * data.channels;
  if (pixels.length < perImage * data.count) throw new Error(`the images hold ${pixels.length} bytes; ${data.count} images of ${h}×${w}×${data.channels} need ${perImage * data.count}`);
  const scale = data.scale ?? Math.max(1, Math.round(56 / Math.max(h, w)));
  const captionLines = (i: number) => (data.captions?.[i] ?? "").split("\n").filter((l) => l.length > 0);
  const lineCount = data.captions ? Math.max(0, ...data.captions.map((c) => c.split("\n").filter((l) => l).length)) : 0;
  const captionH = lineCount === 0 ? 0 : Math.ceil(HEADLINE * LINE + (lineCount - 1) * DETAIL * LINE) + 4;

  const root = viewRoot("mllab-images");
  if (data.title) root.append(viewTitle(data.title));
  const zoom = document.createElement("div");
  zoom.className = "mllab-zoom";
  zoom.hidden = true;
  const viewport = document.createElement("div");
  viewport.className = "mllab-grid";
  viewport.tabIndex = 0;
  const spacer = document.createElement("div");
  const canvas = document.createElement("canvas");
  canvas.setAttribute("style", "position:sticky;top:0;left:0;display:block;cursor:zoom-in;");
  canvas.setAttribute("role", "img");
  const shown = data.captions?.slice(0, 12).map((c) => c.replace(/\n/g, " ")).join(", ");
  const label = `${data.count} images of ${h}×${w}${data.title ? `: ${data.title}` : ""}${shown ? `. Captions: ${shown}${data.count > 12 ? ", …" : ""}` : ""}. Click an image to enlarge it.`;
  canvas.setAttribute("aria-label", label);
  viewport.append(canvas, spacer);
  root.append(zoom, viewport, accessibleSummary(label));
  element.replaceChildren(root);

  const tile = document.createElement("canvas");
  tile.width = w;
  tile.height = h;
  const tileCtx = tile.getContext("2d")!;
  const image = tileCtx.createImageData(w, h);
  const fonts = () => {
    const family = themeColors().fontFamily;
    return { headline: `600 ${HEADLINE}px ${family}`, detail: `${DETAIL}px ${family}` };
  };
  // Tile width: the image, or the widest caption line (up to MAX_CAPTION; longer lines are shortened with "…").
  const measure = canvas.getContext("2d")!;
  let captionW = 0;
  const { headline, detail } = fonts();
  for (let i = 0; i < data.count && data.captions; i++) {
    captionLines(i).forEach((l, j) => {
      measure.font = j === 0 ? headline : detail;
      captionW = Math.max(captionW, Math.min(MAX_CAPTION, Math.ceil(measure.measureText(l).width) + 4));
    });
  }
  const tileW = Math.max(w * scale, captionW), tileH = h * scale + captionH;
  let columns = 1, frame = 0, viewHeight = 0;

  const paint = (index: number, ctx: CanvasRenderingContext2D, x: number, y: number, pixelsPerUnit: number, ink: number[], paper: number[]) => {
    const base = index * perImage;
    for (let p = 0; p < h * w; p++) {
      if (data.channels === 3) {
        image.data.set([pixels[base + 3 * p], pixels[base + 3 * p + 1], pixels[base + 3 * p + 2], 255], 4 * p);
      } else {
        const v = pixels[base + p] / 255;
        image.data.set([paper[0] + (ink[0] - paper[0]) * v, paper[1] + (ink[1] - paper[1]) * v, paper[2] + (ink[2] - paper[2]) * v, 255], 4 * p);
      }
    }
    tileCtx.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(tile, x, y, w * pixelsPerUnit, h * pixelsPerUnit);
  };

  const layout = () => {
    const rowsFor = (width: number) => Math.ceil(data.count / Math.max(1, Math.floor((width + GAP) / (tileW + GAP))));
    let width = availableWidth(root);
    const scrolls = rowsFor(width) * (tileH + GAP) - GAP > MAX_HEIGHT;
    // Scroll only past MAX_HEIGHT, and then only vertically: the columns fit the width left beside the scrollbar.
    viewport.setAttribute("style", `position:relative;overflow-x:hidden;overflow-y:${scrolls ? "scroll" : "hidden"};outline-offset:2px;`);
    if (scrolls) width = viewport.clientWidth || width;
    columns = Math.max(1, Math.min(data.count, Math.floor((width + GAP) / (tileW + GAP))));
    const rows = Math.ceil(data.count / columns);
    const totalHeight = rows * (tileH + GAP) - GAP;
    viewHeight = Math.min(totalHeight, MAX_HEIGHT);
    const cssWidth = columns * (tileW + GAP) - GAP;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(cssWidth * ratio);
    canvas.height = Math.round(viewHeight * ratio);
    canvas.style.width = `${cssWidth}px`;
    canvas.style.height = `${viewHeight}px`;
    canvas.style.marginBottom = `-${viewHeight}px`;
    viewport.style.height = `${viewHeight}px`;
    spacer.style.height = `${totalHeight}px`;
    canvas.dataset.columns = String(columns);
    canvas.dataset.tile = `${tileW}x${tileH}`;
    // For layout tests: where a tile's caption band starts, and how many tiles there are.
    canvas.dataset.imageHeight = String(h * scale);
    canvas.dataset.count = String(data.count);
  };

  const draw = () => {
    frame = 0;
    const t = themeColors();
    const ink = parseColor(t.foreground), paper = parseColor(t.background);
    const ratio = canvas.width / Math.max(1, parseFloat(canvas.style.width));
    const ctx = canvas.getContext("2d")!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const { headline, detail } = fonts();
    const top = viewport.scrollTop;
    const firstRow = Math.floor(top / (tileH + GAP));
    const lastRow = Math.ceil((top + viewHeight) / (tileH + GAP));
    ctx.textBaseline = "alphabetic";
    ctx.textAlign = "center";
    for (let row = firstRow; row <= lastRow; row++) {
      for (let col = 0; col < columns; col++) {
        const index = row * columns + col;
        if (index >= data.count) break;
        const x = col * (tileW + GAP), y = row * (tileH + GAP) - top;
        paint(index, ctx, x + Math.floor((tileW - w * scale) / 2), y, scale, ink, paper);
        let ty = y + h * scale + 2;
        captionLines(index).forEach((line, j) => {
          ctx.font = j === 0 ? headline : detail;
          ctx.fillStyle = j === 0 ? t.foreground : t.muted;
          ty += j === 0 ? HEADLINE : DETAIL * LINE;
          ctx.fillText(fit(ctx, line, tileW), x + tileW / 2, ty);
          if (j === 0) ty += HEADLINE * (LINE - 1);
        });
      }
    }
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(draw);
  };

  let zoomed = -1;
  const showZoom = (index: number) => {
    zoomed = index;
    if (index < 0) {
      zoom.hidden = true;
      zoom.replaceChildren();
      return;
    }
    const t = themeColors();
    const factor = Math.max(1, Math.floor(Math.min(ZOOM, availableWidth(root) - 24) / Math.max(h, w)));
    const big = document.createElement("canvas");
    big.width = w * factor;
    big.height = h * factor;
    big.setAttribute("role", "img");
    big.setAttribute("aria-label", `image ${index + 1} enlarged${data.captions?.[index] ? `: ${data.captions[index].replace(/\n/g, " ")}` : ""}`);
    big.setAttribute("style", "display:block;image-rendering:pixelated;");
    paint(index, big.getContext("2d")!, 0, 0, factor, parseColor(t.foreground), parseColor(t.background));
    const text = document.createElement("div");
    text.setAttribute("style", "display:flex;flex-direction:column;gap:4px;min-width:0;");
    captionLines(index).forEach((line, j) => {
      const p = document.createElement("div");
      p.textContent = line;
      p.setAttribute("style", j === 0 ? "font-size:18px;font-weight:600;" : `font-size:13px;color:${t.muted};`);
      text.append(p);
    });
    const note = document.createElement("div");
    note.textContent = `image ${index + 1} of ${data.count}`;
    note.setAttribute("style", `font-size:12px;color:${t.muted};`);
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "close";
    close.setAttribute("aria-label", "close the enlarged image");
    close.setAttribute("style", "align-self:flex-start;margin-top:6px;cursor:pointer;font:inherit;font-size:12px;");
    close.addEventListener("click", () => showZoom(-1));
    text.append(note, close);
    zoom.setAttribute("style", "display:flex;gap:14px;align-items:flex-start;flex-wrap:wrap;margin:0 0 8px;");
    zoom.replaceChildren(big, text);
    zoom.hidden = false;
  };
  const tileAt = (event: MouseEvent): number => {
    const rect = canvas.getBoundingClientRect();
    const x = event.clientX - rect.left, y = event.clientY - rect.top + viewport.scrollTop;
    const col = Math.floor(x / (tileW + GAP)), row = Math.floor(y / (tileH + GAP));
    if (col < 0 || col >= columns || x - col * (tileW + GAP) > tileW || y - row * (tileH + GAP) > tileH) return -1;
    const index = row * columns + col;
    return index < data.count ? index : -1;
  };
  const onClick = (event: MouseEvent) => {
    const index = tileAt(event);
    if (index >= 0) showZoom(index === zoomed ? -1 : index);
  };
  const onMove = (event: MouseEvent) => {
    const index = tileAt(event);
    canvas.title = index >= 0 ? `${(data.captions?.[index] ?? `image ${index + 1}`).replace(/\n/g, " · ")} (click to enlarge)` : "";
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === "Escape") showZoom(-1);
    else if (event.key === "Enter") showZoom(zoomed < 0 ? 0 : -1);
    else if (zoomed >= 0 && (event.key === "ArrowRight" || event.key === "ArrowLeft")) showZoom((zoomed + (event.key === "ArrowRight" ? 1 : data.count - 1)) % data.count);
  };

  layout();
  draw();
  viewport.addEventListener("scroll", schedule);
  canvas.addEventListener("click", onClick);
  canvas.addEventListener("mousemove", onMove);
  viewport.addEventListener("keydown", onKey);
  // Resizing the canvas clears it, so only re-layout on a real width change, and redraw in the same callback:
  // never leave a blank frame (the observer also fires once right after the first draw).
  let laidOutWidth = availableWidth(root);
  const resize = new ResizeObserver(() => {
    const width = availableWidth(root);
    if (width === laidOutWidth) return;
    laidOutWidth = width;
    layout();
    draw();
  });
  resize.observe(root);
  return {
    redraw: () => {
      schedule();
      if (zoomed >= 0) showZoom(zoomed);
    },
    dispose: () => {
      resize.disconnect();
      viewport.removeEventListener("scroll", schedule);
    },
  };
}

/** The text, shortened with "…" until it fits `width` pixels. */
function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let end = text.length;
  while (end > 1 && ctx.measureText(`${text.slice(0, end)}…`).width > width) end--;
  return `${text.slice(0, end)}…`;
}

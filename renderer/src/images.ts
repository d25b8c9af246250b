import { accessibleSummary, themeColors } from "./theme";

/** application/vnd.mllab.images+json, version 1 (built by ml-lab's imageGrid). */
export interface ImageGridData {
  version: 1;
  /** [height, width] of every image. */
  shape: [number, number];
  channels: 1 | 3;
  count: number;
  /** All pixels, image after image, row-major (RGB interleaved when channels is 3), one byte each, base64. */
  pixels: string;
  /** A caption per image (label, cluster size, purity…); may be shorter than count. */
  captions?: string[];
  title?: string;
  /** Drawing scale in CSS pixels per image pixel. */
  scale?: number;
}

const GAP = 6, CAPTION = 14, MAX_HEIGHT = 560;

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
 * A grid of images on one canvas, drawn only for the rows in view (virtual scrolling), so 4,000 MNIST centroids
 * cost one canvas, not thousands of DOM nodes. Grayscale ink takes the theme's foreground colour.
 */
export function renderImageGrid(element: HTMLElement, data: ImageGridData): { dispose(): void; redraw(): void } {
  if (data.version !== 1) throw new Error(`unsupported images version ${data.version}`);
  const [h, w] = data.shape;
  const pixels = decode(data.pixels);
  const perImage = h * w * data.channels;
  if (pixels.length < perImage * data.count) throw new Error(`the images hold ${pixels.length} bytes; ${data.count} images of ${h}×${w}×${data.channels} need ${perImage * data.count}`);
  const scale = data.scale ?? Math.max(1, Math.round(56 / Math.max(h, w)));
  const tileW = w * scale, tileH = h * scale + (data.captions ? CAPTION : 0);
  const root = document.createElement("div");
  root.className = "mllab-images";
  const title = document.createElement("div");
  title.textContent = data.title ?? "";
  const viewport = document.createElement("div");
  viewport.setAttribute("style", `overflow-y:auto;position:relative;max-height:${MAX_HEIGHT}px`);
  viewport.tabIndex = 0;
  const spacer = document.createElement("div");
  const canvas = document.createElement("canvas");
  canvas.setAttribute("style", "position:sticky;top:0;left:0;display:block");
  canvas.setAttribute("role", "img");
  const shown = data.captions?.slice(0, 12).join(", ");
  canvas.setAttribute("aria-label", `${data.count} images of ${h}×${w}${data.title ? `: ${data.title}` : ""}${shown ? `. Captions: ${shown}${data.count > 12 ? ", …" : ""}` : ""}`);
  viewport.append(canvas, spacer);
  root.append(title, viewport, accessibleSummary(canvas.getAttribute("aria-label")!));
  element.replaceChildren(root);

  let columns = 1, frame = 0;
  const tile = document.createElement("canvas");
  tile.width = w;
  tile.height = h;
  const tileCtx = tile.getContext("2d")!;
  const image = tileCtx.createImageData(w, h);

  const layout = () => {
    // VS Code pads output containers; keep a margin so the last column is never cut off.
    const width = Math.max(tileW + GAP, (element.clientWidth || 600) - 16);
    columns = Math.max(1, Math.floor((width + GAP) / (tileW + GAP)));
    const rows = Math.ceil(data.count / columns);
    const totalHeight = rows * (tileH + GAP);
    const viewHeight = Math.min(totalHeight, MAX_HEIGHT);
    spacer.style.height = `${Math.max(0, totalHeight - viewHeight)}px`;
    canvas.width = columns * (tileW + GAP);
    canvas.height = viewHeight;
    canvas.style.marginBottom = `-${viewHeight}px`;
    viewport.style.height = `${viewHeight}px`;
    spacer.style.height = `${totalHeight}px`;
  };

  const draw = () => {
    frame = 0;
    const t = themeColors();
    const ink = parseColor(t.foreground), paper = parseColor(t.background);
    const ctx = canvas.getContext("2d")!;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = t.foreground;
    ctx.font = "11px sans-serif";
    ctx.imageSmoothingEnabled = false;
    const top = viewport.scrollTop;
    const firstRow = Math.floor(top / (tileH + GAP));
    const lastRow = Math.ceil((top + canvas.height) / (tileH + GAP));
    for (let row = firstRow; row <= lastRow; row++) {
      for (let col = 0; col < columns; col++) {
        const index = row * columns + col;
        if (index >= data.count) break;
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
        const x = col * (tileW + GAP), y = row * (tileH + GAP) - top;
        ctx.drawImage(tile, x, y, w * scale, h * scale);
        const caption = data.captions?.[index];
        if (caption) ctx.fillText(caption, x, y + h * scale + CAPTION - 3, tileW);
      }
    }
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(draw);
  };
  layout();
  draw();
  viewport.addEventListener("scroll", schedule);
  // Resizing the canvas clears it, so only re-layout on a real width change, and redraw in the same callback:
  // never leave a blank frame (the observer also fires once right after the first draw).
  let laidOutWidth = element.clientWidth;
  const resize = new ResizeObserver(() => {
    if (element.clientWidth === laidOutWidth) return;
    laidOutWidth = element.clientWidth;
    layout();
    draw();
  });
  resize.observe(element);
  return {
    redraw: schedule,
    dispose: () => {
      resize.disconnect();
      viewport.removeEventListener("scroll", schedule);
    },
  };
}

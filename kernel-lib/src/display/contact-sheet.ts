/**
 * The static PNG of an image grid, for viewers without the ML Lab renderer (Jupyter, nbconvert, GitHub): every
 * image enlarged, its caption under it (headline line bold), the title on top, black on white as matplotlib's
 * gray_r shows digits. Text is drawn by pureimage with a bundled DejaVu Sans, so it looks the same everywhere.
 */
import type * as PureImage from "pureimage";
import { pngCodec } from "../png";

const FONT = "MLLabRegular", BOLD = "MLLabBold";
let pureimage: typeof PureImage | undefined;

/** pureimage and the fonts load on the first contact sheet, not with the library (the kernel preloads ml-lab). */
function drawing(): typeof PureImage {
  if (pureimage) return pureimage;
  const lib = require("pureimage") as typeof PureImage;
  lib.registerFont(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"), FONT).loadSync();
  lib.registerFont(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"), BOLD).loadSync();
  return (pureimage = lib);
}

export interface ContactSheetInput {
  /** Pixels scaled to bytes, image after image (RGB interleaved when channels is 3). */
  bytes: Uint8Array;
  count: number;
  shape: [number, number];
  channels: 1 | 3;
  captions?: string[];
  title?: string;
  /** Images drawn at most; a note under the title says how many there are. */
  limit: number;
}

const GAP = 10, MARGIN = 10, HEADLINE = 13, DETAIL = 11, LINE = 1.3, MAX_WIDTH = 960, MAX_CAPTION = 150;

export function contactSheet(input: ContactSheetInput): Buffer {
  const PImage = drawing();
  const [h, w] = input.shape;
  const n = Math.min(input.count, input.limit);
  const scale = Math.max(1, Math.round(56 / Math.max(h, w)));
  const lines = (i: number) => (input.captions?.[i] ?? "").split("\n").filter((l) => l.length > 0);
  const measure = PImage.make(1, 1).getContext("2d");
  const textWidth = (text: string, bold: boolean) => {
    measure.font = `${bold ? HEADLINE : DETAIL}px ${bold ? BOLD : FONT}`;
    return measure.measureText(text).width;
  };
  let captionWidth = 0, captionLines = 0;
  for (let i = 0; i < n; i++) {
    const ls = lines(i);
    captionLines = Math.max(captionLines, ls.length);
    ls.forEach((l, j) => (captionWidth = Math.max(captionWidth, Math.min(MAX_CAPTION, textWidth(l, j === 0)))));
  }
  const tileW = Math.ceil(Math.max(w * scale, captionWidth)), imageH = h * scale;
  const captionH = captionLines === 0 ? 0 : Math.ceil(HEADLINE * LINE + (captionLines - 1) * DETAIL * LINE) + 2;
  const cols = Math.max(1, Math.min(n, Math.floor((MAX_WIDTH - 2 * MARGIN + GAP) / (tileW + GAP))));
  const rows = Math.ceil(n / cols);
  const note = input.count > n ? `the first ${n} of ${input.count} images` : "";
  const header = (input.title ? Math.ceil(14 * LINE) : 0) + (note ? Math.ceil(DETAIL * LINE) : 0) + (input.title || note ? 6 : 0);
  const width = 2 * MARGIN + cols * tileW + (cols - 1) * GAP;
  const height = 2 * MARGIN + header + rows * (imageH + captionH) + (rows - 1) * GAP;
  const img = PImage.make(width, height);
  const ctx = img.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = "#000000";
  let y = MARGIN;
  if (input.title) {
    ctx.font = `14px ${BOLD}`;
    ctx.fillText(input.title, MARGIN, y + 14);
    y += Math.ceil(14 * LINE);
  }
  if (note) {
    ctx.fillStyle = "#555555";
    ctx.font = `${DETAIL}px ${FONT}`;
    ctx.fillText(note, MARGIN, y + DETAIL);
    y += Math.ceil(DETAIL * LINE);
  }
  if (input.title || note) y += 6;
  const perImage = h * w * input.channels;
  for (let i = 0; i < n; i++) {
    const ox = MARGIN + (i % cols) * (tileW + GAP), oy = y + Math.floor(i / cols) * (imageH + captionH + GAP);
    const left = ox + Math.floor((tileW - w * scale) / 2);
    for (let r = 0; r < imageH; r++) {
      for (let c = 0; c < w * scale; c++) {
        const src = i * perImage + (Math.floor(r / scale) * w + Math.floor(c / scale)) * input.channels;
        const at = ((oy + r) * width + left + c) * 4;
        if (input.channels === 3) img.data.set([input.bytes[src], input.bytes[src + 1], input.bytes[src + 2], 255], at);
        else img.data.set([255 - input.bytes[src], 255 - input.bytes[src], 255 - input.bytes[src], 255], at);
      }
    }
    let ty = oy + imageH + 2;
    lines(i).forEach((line, j) => {
      const size = j === 0 ? HEADLINE : DETAIL;
      ctx.font = `${size}px ${j === 0 ? BOLD : FONT}`;
      ctx.fillStyle = j === 0 ? "#000000" : "#444444";
      const text = fit(ctx, line, tileW);
      ty += size * (j === 0 ? 1 : LINE);
      ctx.fillText(text, ox + Math.max(0, (tileW - ctx.measureText(text).width) / 2), ty);
      if (j === 0) ty += HEADLINE * (LINE - 1);
    });
  }
  const PNG = pngCodec();
  return PNG.sync.write(Object.assign(new PNG({ width, height }), { data: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength) }));
}

/** The text, shortened with "…" until it fits `width` pixels. */
function fit(ctx: { measureText(t: string): { width: number } }, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let end = text.length;
  while (end > 1 && ctx.measureText(`${text.slice(0, end)}…`).width > width) end--;
  return `${text.slice(0, end)}…`;
}

import { PNG } from "pngjs";
import { ShapeError } from "../errors";
import { MatrixLike } from "../linalg/matrix";
import { checkData } from "../validate";
import { MIME, MimeBundle } from "./mime";

export interface ImageGridOptions {
  /** [height, width]; default: square (28×28 for 784 columns, 8×8 for 64, …). */
  shape?: [number, number];
  /** 3 when each row is RGB-interleaved. Default 1 (grayscale). */
  channels?: 1 | 3;
  /** One caption per image: a label, "7 (n=812, 94%)"… */
  captions?: ArrayLike<string | number>;
  title?: string;
  /** [min, max] of the pixel values; default: the data's own range. */
  range?: [number, number];
  /** Images in the static PNG fallback (the interactive grid shows all). Default 400. */
  pngLimit?: number;
}

function squareShape(d: number, channels: number): [number, number] {
  const side = Math.round(Math.sqrt(d / channels));
  if (side * side * channels !== d) throw new ShapeError(`rows have ${d} values, which is not a square image; pass shape: [height, width]`);
  return [side, side];
}

/**
 * Images (one per row: MNIST digits, k-means centroids, mean-RGB swatches) as
 * application/vnd.mllab.images+json for the canvas grid renderer, with a PNG contact sheet and a text list.
 */
export function imageGrid(images: MatrixLike, options: ImageGridOptions = {}): MimeBundle & { toMimeBundle(): MimeBundle } {
  const x = checkData(images, "images");
  const channels = options.channels ?? 1;
  const [h, w] = options.shape ?? squareShape(x.cols, channels);
  if (h * w * channels !== x.cols) throw new ShapeError(`shape ${h}×${w}×${channels} needs ${h * w * channels} values per row; the rows have ${x.cols}`);
  if (options.captions && options.captions.length !== x.rows) throw new ShapeError(`captions has ${options.captions.length} entries for ${x.rows} images`);
  let [lo, hi] = options.range ?? [Infinity, -Infinity];
  if (!options.range) for (const v of x.data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const span = hi > lo ? hi - lo : 1;
  const bytes = new Uint8Array(x.data.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, (x.data[i] - lo) / span)) * 255);
  const captions = options.captions ? Array.from(options.captions, String) : undefined;
  const data = {
    version: 1,
    shape: [h, w],
    channels,
    count: x.rows,
    pixels: Buffer.from(bytes.buffer).toString("base64"),
    ...(captions ? { captions } : {}),
    ...(options.title ? { title: options.title } : {}),
  };
  const shown = captions ? `: ${captions.slice(0, 20).join(", ")}${x.rows > 20 ? ", …" : ""}` : "";
  const bundle: MimeBundle = {
    [MIME.images]: data,
    [MIME.png]: contactSheet(bytes, x.rows, h, w, channels, options.pngLimit ?? 400).toString("base64"),
    [MIME.text]: `${options.title ? `${options.title} — ` : ""}${x.rows} images of ${h}×${w}${shown}`,
  };
  return Object.assign(bundle, { toMimeBundle: () => bundle });
}

/** A PNG grid of the first `limit` images (ink dark on white, as matplotlib's gray_r), 1 px gaps. */
function contactSheet(bytes: Uint8Array, count: number, h: number, w: number, channels: number, limit: number): Buffer {
  const n = Math.min(count, limit);
  const cols = Math.min(n, Math.max(1, Math.floor(800 / (w + 1)))), rows = Math.ceil(n / cols);
  const png = new PNG({ width: cols * (w + 1) + 1, height: rows * (h + 1) + 1 });
  png.data.fill(255);
  for (let i = 0; i < n; i++) {
    const ox = (i % cols) * (w + 1) + 1, oy = Math.floor(i / cols) * (h + 1) + 1;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const px = ((oy + r) * png.width + ox + c) * 4;
        const src = i * h * w * channels + (r * w + c) * channels;
        if (channels === 3) png.data.set([bytes[src], bytes[src + 1], bytes[src + 2], 255], px);
        else png.data.set([255 - bytes[src], 255 - bytes[src], 255 - bytes[src], 255], px);
      }
    }
  }
  return PNG.sync.write(png);
}

/**
 * k-means centroids as images, each captioned with its inferred label, cluster size and purity (seed 003), from a
 * CentroidClassifier's view of the training data.
 */
export function centroidImages(
  centroids: MatrixLike,
  labels: ArrayLike<string | number | null>,
  sizes: ArrayLike<number>,
  purity?: ArrayLike<number>,
  options: Omit<ImageGridOptions, "captions"> = {},
): MimeBundle & { toMimeBundle(): MimeBundle } {
  const captions = Array.from(labels, (l, c) => `${l ?? "–"} (n=${sizes[c]}${purity ? `, ${Math.round(purity[c] * 100)}%` : ""})`);
  return imageGrid(centroids, { ...options, captions });
}

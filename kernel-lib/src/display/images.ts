import { ShapeError } from "../errors";
import { MatrixLike } from "../linalg/matrix";
import { ImageGridPayload, MIME, MimeBundle } from "../output-contract";
import { checkData } from "../validate";
import { contactSheet } from "./contact-sheet";

export interface ImageGridOptions {
  /** [height, width]; default: square (28×28 for 784 columns, 8×8 for 64, …). */
  shape?: [number, number];
  /** 3 when each row is RGB-interleaved. Default 1 (grayscale). */
  channels?: 1 | 3;
  /** One caption per image: a label ("7", "rocket"); after a "\n", smaller detail lines ("n=812 · 94%"). */
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
  const data: ImageGridPayload = {
    version: 1,
    shape: [h, w],
    channels,
    count: x.rows,
    pixels: Buffer.from(bytes.buffer).toString("base64"),
    ...(captions ? { captions } : {}),
    ...(options.title ? { title: options.title } : {}),
  };
  const shown = captions ? `: ${captions.slice(0, 20).map((c) => c.replace(/\n/g, " · ")).join(", ")}${x.rows > 20 ? ", …" : ""}` : "";
  const png = contactSheet({ bytes, count: x.rows, shape: [h, w], channels, captions, title: options.title, limit: options.pngLimit ?? 400 });
  const bundle: MimeBundle = {
    [MIME.images]: data,
    [MIME.png]: png.toString("base64"),
    [MIME.text]: `${options.title ? `${options.title} — ` : ""}${x.rows} images of ${h}×${w}${shown}`,
  };
  return Object.assign(bundle, { toMimeBundle: () => bundle });
}

/**
 * k-means centroids as images, each captioned with its inferred label over its cluster size and purity (the
 * MNIST k-means homework titles each centroid "Inferred label: 7"), from a CentroidClassifier's view of the data.
 */
export function centroidImages(
  centroids: MatrixLike,
  labels: ArrayLike<string | number | null>,
  sizes: ArrayLike<number>,
  purity?: ArrayLike<number>,
  options: Omit<ImageGridOptions, "captions"> = {},
): MimeBundle & { toMimeBundle(): MimeBundle } {
  const captions = Array.from(labels, (l, c) => `${l === null ? "no label" : `label ${l}`}\nn=${sizes[c]}${purity ? ` · ${Math.round(purity[c] * 100)}%` : ""}`);
  return imageGrid(centroids, { ...options, captions });
}

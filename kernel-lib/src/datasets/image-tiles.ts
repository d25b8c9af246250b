import type { PNG } from "pngjs";
import { DataFileError, ShapeError } from "../errors";
import { Matrix, MatrixLike, toMatrix } from "../linalg/matrix";
import { pngCodec } from "../png";
import { checkOptions } from "../validate";
import { readMaybeGzip } from "./files";

export interface ImageTilesOptions {
  /** Tile size in pixels, [height, width]. */
  tile: [number, number];
  /** How many tiles to read (row-major); default every whole tile in the sheet. A short last row is allowed. */
  count?: number;
}

/**
 * Equal-size RGB images laid out row-major in one PNG sprite sheet (samples/data/photo-tiles.png), one image per
 * row of the result: RGB-interleaved, values in [0, 1], ready for `imageGrid(x, { channels: 3, shape: tile })`.
 */
export function readImageTiles(path: string, options: ImageTilesOptions): Matrix {
  checkOptions(options, ["tile", "count"], "readImageTiles", "{ tile: [32, 32] }");
  if (!Array.isArray(options.tile) || options.tile.length !== 2) throw new ShapeError(`tile must be [height, width], got ${JSON.stringify(options.tile)}`);
  const [th, tw] = options.tile;
  if (!(Number.isInteger(th) && Number.isInteger(tw) && th > 0 && tw > 0)) throw new ShapeError(`tile must be two positive integers, got ${JSON.stringify(options.tile)}`);
  let png: PNG;
  try {
    png = pngCodec().sync.read(readMaybeGzip(path, "PNG file"));
  } catch (e) {
    if (e instanceof DataFileError) throw e;
    throw new DataFileError(`${path} is not a readable PNG: ${(e as Error).message}`);
  }
  const { width, height, data } = png;
  if (width % tw !== 0 || height % th !== 0) throw new ShapeError(`${path} is ${width}×${height} pixels, not a whole number of ${tw}×${th} tiles`);
  const perRow = width / tw;
  const available = perRow * (height / th);
  const count = options.count ?? available;
  if (!Number.isInteger(count) || count < 0 || count > available) throw new ShapeError(`count ${count} is not between 0 and the ${available} tiles in ${path}`);
  const out = Matrix.zeros(count, th * tw * 3);
  for (let t = 0; t < count; t++) {
    const top = Math.floor(t / perRow) * th, left = (t % perRow) * tw;
    let o = t * th * tw * 3;
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        const p = ((top + y) * width + left + x) * 4; // pngjs always decodes to RGBA
        out.data[o++] = data[p] / 255;
        out.data[o++] = data[p + 1] / 255;
        out.data[o++] = data[p + 2] / 255;
      }
    }
  }
  return out;
}

/** Each image's mean red, green and blue (n × 3), from RGB-interleaved rows: the features the Coursera EM assignment clusters. */
export function meanColours(imagesLike: MatrixLike): Matrix {
  const images = toMatrix(imagesLike, "images");
  if (images.cols % 3 !== 0) throw new ShapeError(`RGB rows need a multiple of 3 values; these have ${images.cols}`);
  const pixels = images.cols / 3;
  const out = Matrix.zeros(images.rows, 3);
  for (let i = 0; i < images.rows; i++) {
    const row = images.data.subarray(i * images.cols, (i + 1) * images.cols);
    for (let p = 0; p < row.length; p += 3) {
      out.data[i * 3] += row[p];
      out.data[i * 3 + 1] += row[p + 1];
      out.data[i * 3 + 2] += row[p + 2];
    }
    for (let c = 0; c < 3; c++) out.data[i * 3 + c] /= pixels;
  }
  return out;
}

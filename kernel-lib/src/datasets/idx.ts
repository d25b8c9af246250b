import { DataFileError, DataTypeError, ShapeError } from "../errors";
import { describe, Matrix } from "../linalg/matrix";
import { checkOneOf, checkOptions, checkPositiveInt } from "../validate";
import { readMaybeGzip } from "./files";

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parses the IDX format of MNIST and Fashion-MNIST (unsigned-byte payloads): magic 0x0000 08 NN, then NN
 * big-endian dimension sizes, then the data. Accepts raw or gzipped bytes.
 */
export function parseIdx(bytes: Uint8Array, source = "IDX data"): IdxArray {
  if (!(bytes instanceof Uint8Array)) throw new DataTypeError(`parseIdx needs the file's bytes as a Uint8Array (or Buffer), got ${describe(bytes)}`);
  if (bytes.length < 4) throw new DataFileError(`${source} is too short to be an IDX file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = (magic >> 8) & 0xff, rank = magic & 0xff;
  if (magic >>> 16 !== 0 || type !== 0x08 || rank < 1 || rank > 4) {
    throw new DataFileError(`${source} is not an unsigned-byte IDX file (magic 0x${magic.toString(16).padStart(8, "0")}; expected 0x00000801…0x00000804)`);
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new DataFileError(`${source} ends inside its header`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - header !== count) {
    throw new DataFileError(`${source} declares ${dims.join("×")} = ${count} values but holds ${bytes.length - header}; the file is truncated or corrupt`);
  }
  return { dims, data: bytes.subarray(header) };
}

export function readIdx(path: string): IdxArray {
  return parseIdx(readMaybeGzip(path, "IDX file"), path);
}

export interface ImageDataset {
  /** One flattened image per row, scaled to [0, 1] unless `scale: false`. */
  images: Matrix;
  labels: Int32Array;
  /** [height, width]. */
  imageShape: [number, number];
}

/** MNIST-style images and labels (e.g. train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz). */
export function loadIdxImages(
  imagesPath: string,
  labelsPath: string,
  options: { scale?: boolean; dtype?: "float64" | "float32"; limit?: number } = {},
): ImageDataset {
  checkOptions(options, ["scale", "dtype", "limit"], "loadIdxImages", "{ limit: 1000 }");
  checkOneOf(options.dtype ?? "float64", ["float64", "float32"], "dtype");
  if (options.limit !== undefined) checkPositiveInt(options.limit, "limit", 0);
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (images.dims.length !== 3) throw new DataFileError(`${imagesPath} holds a ${images.dims.length}-D array; image files are 3-D (count×height×width)`);
  if (labels.dims.length !== 1) throw new DataFileError(`${labelsPath} holds a ${labels.dims.length}-D array; label files are 1-D`);
  if (labels.dims[0] !== images.dims[0]) throw new ShapeError(`${imagesPath} has ${images.dims[0]} images but ${labelsPath} has ${labels.dims[0]} labels`);
  const [count, height, width] = images.dims;
  const n = Math.min(count, options.limit ?? count);
  const d = height * width;
  const m = Matrix.zeros(n, d, options.dtype ?? "float64");
  const factor = options.scale === false ? 1 : 1 / 255;
  for (let i = 0; i < n * d; i++) m.data[i] = images.data[i] * factor;
  return { images: m, labels: Int32Array.from(labels.data.subarray(0, n)), imageShape: [height, width] };
}

